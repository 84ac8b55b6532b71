"""ember versus PyTorch's own OpInfo sample inputs (stored by ``make_samples.py``).

Replays every stored sample in this process and checks the outcome against
``known_failures.txt``: a sample that passed and now fails is a regression (named with its op
and error); a known failure that now passes asks for the list to be regenerated, so progress
is recorded rather than silent. See ``docs/torch-samples.md``.
"""

from __future__ import annotations

import functools
import re

import pytest

from tests.ember.torch_samples.replay import KNOWN, read_known, replay_all

pytestmark = pytest.mark.xdist_group("torch_samples")  # one worker replays the samples once

UPDATE = "run `.venv/bin/python -m tests.ember.torch_samples.report --update-known`"


@functools.lru_cache(maxsize=1)
def outcomes():
    return tuple(replay_all())


def failing(o) -> str | None:
    if o.status != "pass":
        return o.status
    if o.grad_status not in (None, "pass"):
        return o.grad_status
    return None


def test_pass_rate_not_below_recorded():
    header = re.search(r"# passing (\d+) of (\d+)", KNOWN.read_text())
    assert header, f"{KNOWN.name} has no '# passing N of M' line; {UPDATE}"
    recorded = int(header.group(1))
    passed = sum(o.status == "pass" for o in outcomes())
    assert passed >= recorded, f"{passed} samples pass, {recorded} passed when recorded"


def test_no_sample_regressed():
    known = read_known()
    regressed = [
        f"{o.sample_id} ({o.path}): {failing(o)}: "
        f"{o.message if o.status != 'pass' else o.grad_message}"
        for o in outcomes()
        if failing(o) and o.sample_id not in known
    ]
    assert not regressed, f"{len(regressed)} samples regressed:\n" + "\n".join(regressed[:40])


def test_known_failures_still_fail():
    known = read_known()
    now = {o.sample_id: failing(o) for o in outcomes()}
    fixed = sorted(sid for sid in known if sid in now and now[sid] is None)
    stale = sorted(sid for sid in known if sid not in now)
    assert not fixed, (
        f"{len(fixed)} known failures now pass, update the list ({UPDATE}):\n"
        + "\n".join(fixed[:40])
    )
    assert not stale, f"{len(stale)} ids in {KNOWN.name} name no stored sample ({UPDATE})"


def test_replay_covers_every_namespace():
    namespaces = {o.namespace for o in outcomes()}
    wanted = {"torch", "Tensor", "nn.functional", "linalg", "fft", "special", "masked"}
    assert wanted <= namespaces, sorted(wanted - namespaces)
    assert len(outcomes()) > 3000
