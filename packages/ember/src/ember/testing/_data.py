"""Where the shared real datasets live, and the one rule for tests that need them."""

from __future__ import annotations

import math
import os
from pathlib import Path

__all__ = ["shared_data_root", "require_data", "above_chance"]


def shared_data_root() -> Path:
    """The shared datasets folder: ``$EMBER_DATA``, else ``../shared/data`` from the current
    directory (the layout of a checkout beside the shared data; tests run from the repo root).

    Example:
        >>> shared_data_root().name
        'data'
    """
    env = os.environ.get("EMBER_DATA")
    return Path(env) if env else Path.cwd().parent / "shared" / "data"


def require_data(
    *parts: str | os.PathLike[str], root: str | os.PathLike[str] | None = None
) -> Path:
    """The path ``root/parts...`` for a test that needs real data; skip or fail when absent.

    Every "data folder absent" decision in the test suite goes through this one function:
    when the path does not exist the test is skipped, except when the ``CI`` environment
    variable is set to a true value (``true``, ``1``, ``yes``), where it fails, so CI never
    passes by skipping.

    Args:
        *parts: sub-path below the root (a dataset folder, a file).
        root: the data root; default :func:`shared_data_root`.

    Returns:
        The existing path.

    Example:
        >>> mnist = require_data("MNIST", "raw")  # doctest: +SKIP
    """
    import pytest  # only tests call this; importing ember.testing must not need pytest

    base = Path(root) if root is not None else shared_data_root()
    path = base.joinpath(*map(os.fspath, parts))
    if path.exists():
        return path
    why = f"data {path} is missing (set EMBER_DATA to the shared data folder)"
    if os.environ.get("CI", "").strip().lower() in ("true", "1", "yes"):
        pytest.fail(f"{why}; CI must not skip", pytrace=False)
    pytest.skip(why)


def above_chance(n: int, chance: float, sds: float = 4.0) -> float:
    """The accuracy a learning test should demand: ``sds`` binomial standard deviations above
    ``chance`` on ``n`` evaluation samples (a fraction in [0, 1]).

    A guessing model scores ``chance`` on average with standard deviation
    ``sqrt(chance * (1 - chance) / n)``; demanding several of them above chance makes a pass
    mean "it learned", not "it was lucky", whatever the size of the evaluation set.

    Args:
        n: the number of evaluated samples.
        chance: the accuracy of guessing (``1 / num_classes`` for balanced classes).
        sds: how many standard deviations above chance.

    Example:
        >>> round(above_chance(1000, 0.1, sds=4), 4)
        0.138
    """
    if n <= 0 or not 0.0 < chance < 1.0:
        raise ValueError(f"above_chance: need n > 0 and 0 < chance < 1, got n={n}, chance={chance}")
    return chance + sds * math.sqrt(chance * (1.0 - chance) / n)
