"""Run the same code on the CPU and on the GPU (the real one, else the simulated one) and compare:
the domain packages' transforms and models must give the CPU's results on the device, with
nothing changed in the calling code but the device."""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

import ember
from tests.ember import _fake_cupy


@contextlib.contextmanager
def on(device: str) -> Iterator[None]:
    """Nothing for ``"cpu"``; the simulated GPU for ``"cuda"`` when there is no real one."""
    if device == "cpu" or ember.cuda.is_available():
        yield
    else:
        with _fake_cupy.installed():
            yield


def tensors(out: Any) -> list[ember.Tensor]:
    """The tensors in a (nested) output, in order."""
    if isinstance(out, ember.Tensor):
        return [out]
    if isinstance(out, (tuple, list)):
        return [t for o in out for t in tensors(o)]
    if isinstance(out, dict):
        return [t for o in out.values() for t in tensors(o)]
    return []


def _host(t: ember.Tensor) -> np.ndarray:
    return t.detach().cpu().numpy()


def assert_close(cpu: list[np.ndarray], gpu: list[np.ndarray], rtol: float, what: str) -> None:
    assert len(cpu) == len(gpu), what
    scale = max((float(np.abs(a).max()) for a in cpu if a.size), default=1.0)
    for a, b in zip(cpu, gpu):
        assert a.shape == b.shape and a.dtype == b.dtype, (what, a.shape, b.shape)
        np.testing.assert_allclose(b, a, rtol=rtol, atol=rtol * scale, err_msg=what)


def same_on_device(
    make: Callable[[], Any],
    inputs: Callable[[str], tuple],
    *,
    seeds=(0, 1),
    rtol: float = 1e-5,
    device_random: bool = False,
) -> None:
    """``make()(*inputs(device))`` under ``manual_seed(s)`` for each seed: on the GPU the outputs
    stay there and equal the CPU's (random transforms draw the same parameters).

    ``device_random``: the transform draws random numbers on its input's device (as torchaudio's
    masks do). The simulated GPU's generator gives the CPU's numbers under one seed; a real
    GPU's does not, so there the reference is a second run on the GPU under the same seeds."""
    results = {}
    ref = "cuda" if device_random and ember.cuda.is_available() else "cpu"
    for key, device in (("cpu", ref), ("cuda", "cuda")):
        with on(device):
            outs = []
            for s in seeds:
                ember.manual_seed(s)
                fn = make()
                if isinstance(fn, ember.nn.Module):
                    fn = fn.to(device)
                out = tensors(fn(*inputs(device)))
                assert out and all(t.device.type == device for t in out), [t.device for t in out]
                outs += [_host(t) for t in out]
            results[key] = outs
    assert_close(results["cpu"], results["cuda"], rtol, "outputs")


def model_same_on_device(
    build: Callable[[], ember.nn.Module], inputs: Callable[[str], tuple], *, rtol: float = 1e-4
) -> None:
    """Forward and backward of ``build()`` (seeded; train mode, dropout off) on both devices:
    outputs, parameter gradients and their devices agree. The loss weighs each output element
    randomly, so that no gradient is zero by symmetry."""
    ember.manual_seed(0)
    model = build()
    drops = (ember.nn.Dropout, ember.nn.Dropout1d, ember.nn.Dropout2d, ember.nn.Dropout3d)
    for m in model.modules():
        if isinstance(m, drops):
            m.p = 0.0
    model.train()
    results = {}
    for device in ("cpu", "cuda"):
        with on(device):
            net = copy.deepcopy(model).to(device)
            ember.manual_seed(1)
            outs = [o for o in tensors(net(*inputs(device))) if o.dtype.is_floating_point]
            rng = np.random.default_rng(0)
            loss = sum(
                (
                    o
                    * ember.tensor(
                        rng.standard_normal(tuple(o.shape)), dtype=o.dtype, device=device
                    )
                ).sum()
                for o in outs
            )
            loss.backward()
            grads = [p.grad for p in net.parameters() if p.grad is not None]
            assert all(t.device.type == device for t in outs + grads)
            results[device] = ([_host(o) for o in outs], [_host(g) for g in grads])
    assert_close(results["cpu"][0], results["cuda"][0], rtol, "outputs")
    assert_close(results["cpu"][1], results["cuda"][1], 10 * rtol, "gradients")
