"""``detect_anomaly``: find the forward op behind a NaN gradient."""

from __future__ import annotations

import traceback
import warnings
from typing import Any

__all__ = ["detect_anomaly", "set_detect_anomaly", "is_enabled"]


class _State:
    enabled = False
    check_nan = True


def is_enabled() -> bool:
    """True inside ``detect_anomaly()``."""
    return _State.enabled


class detect_anomaly:
    """Context manager that records where each op was created and checks backward for NaN.

    When a backward function returns NaN, the error names that function, and the traceback of
    the forward call that created it is shown as a warning.

    Args:
        check_nan: raise when a backward function returns NaN (default True).

    Example:
        >>> with ember.autograd.detect_anomaly():
        ...     loss.backward()
    """

    def __init__(self, check_nan: bool = True) -> None:
        self.check_nan = check_nan

    def __enter__(self) -> None:
        self._prev = (_State.enabled, _State.check_nan)
        _State.enabled, _State.check_nan = True, self.check_nan
        warnings.warn(
            "Anomaly Detection has been enabled. This mode will increase the runtime and should "
            "only be enabled for debugging.",
            stacklevel=2,
        )

    def __exit__(self, *exc: object) -> None:
        _State.enabled, _State.check_nan = self._prev


class set_detect_anomaly(detect_anomaly):
    """Turn anomaly detection on or off, as a function call or a context manager.

    Args:
        mode: True to enable.
        check_nan: raise on NaN in backward.
    """

    def __init__(self, mode: bool, check_nan: bool = True) -> None:
        self._prev = (_State.enabled, _State.check_nan)
        _State.enabled, _State.check_nan = bool(mode), check_nan

    def __enter__(self) -> None:
        pass


def record_trace(node: Any) -> None:
    """Keep the forward call stack on ``node`` (called when a node is created in anomaly mode)."""
    node._anomaly_trace = "".join(traceback.format_stack()[:-3])


def check_gradients(node: Any, grads: tuple[Any, ...]) -> None:
    """Raise naming ``node`` when one of the gradients it returned holds NaN."""
    if not _State.check_nan:
        return
    for i, g in enumerate(grads):
        if g is None:
            continue
        xp_any = g._data != g._data
        if bool(xp_any.any()):
            trace = getattr(node, "_anomaly_trace", None)
            if trace:
                warnings.warn(
                    f"Error detected in {node.name()}. Traceback of forward call that caused the "
                    f"error:\n{trace}",
                    stacklevel=2,
                )
            raise RuntimeError(f"Function '{node.name()}' returned nan values in its {i}th output.")
