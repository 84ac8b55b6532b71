"""``GradScaler``: dynamic loss scaling for mixed-precision training, as ``torch.amp``.

Half-precision gradients underflow to zero when they are small. The scaler multiplies the loss
by a large factor before ``backward`` (so the gradients are scaled too), divides the gradients
by it again before the optimizer step, and skips the step when any gradient is inf or NaN. The
factor shrinks (``backoff_factor``) after a skipped step and grows (``growth_factor``) after
``growth_interval`` steps in a row without one.
"""

from __future__ import annotations

import enum
import warnings
from collections import defaultdict
from typing import Any

import numpy as np

from ember._tensor import Tensor
from ember.backends import Device, cuda_available

__all__ = ["GradScaler"]


class _Stage(enum.Enum):
    READY = 0
    UNSCALED = 1
    STEPPED = 2


def _scale_outputs(outputs: Any, scale: float) -> Any:
    if isinstance(outputs, Tensor):
        return outputs * scale
    if isinstance(outputs, (list, tuple)):
        return type(outputs)(_scale_outputs(o, scale) for o in outputs)
    if isinstance(outputs, dict):
        return {k: _scale_outputs(v, scale) for k, v in outputs.items()}
    raise ValueError("outputs must be a Tensor or an iterable of Tensors")


class GradScaler:
    """Scales the loss, unscales the gradients, skips steps with inf/NaN gradients.

    Args:
        device: the device type the model trains on (``"cuda"`` or ``"cpu"``).
        init_scale: the first scale factor.
        growth_factor: the factor the scale is multiplied by after ``growth_interval``
            consecutive steps without inf/NaN gradients.
        backoff_factor: the factor the scale is multiplied by after a skipped step.
        growth_interval: how many good steps in a row before the scale grows.
        enabled: when False every method is a pass-through (``scale`` returns its input).

    Example:
        >>> scaler = ember.amp.GradScaler("cpu", init_scale=1024.0)
        >>> model = ember.nn.Linear(2, 1)
        >>> opt = ember.optim.SGD(model.parameters(), lr=0.1)
        >>> scaler.scale(model(ember.ones(1, 2)).sum()).backward()
        >>> scaler.step(opt)
        >>> scaler.update()
        >>> scaler.get_scale()
        1024.0
    """

    def __init__(self, device: str = "cuda", init_scale: float = 2.0**16,
                 growth_factor: float = 2.0, backoff_factor: float = 0.5,
                 growth_interval: int = 2000, enabled: bool = True) -> None:
        self._device = Device(device).type
        if enabled and self._device == "cuda" and not cuda_available():
            warnings.warn("ember.amp.GradScaler is enabled, but CUDA is not available. "
                          "Disabling.", stacklevel=2)
            enabled = False
        if growth_factor <= 1.0:
            raise ValueError("The growth factor must be > 1.0.")
        if not 0.0 < backoff_factor < 1.0:
            raise ValueError("The backoff factor must be < 1.0.")
        self._enabled = enabled
        self._scale = float(init_scale)
        self._growth_factor = float(growth_factor)
        self._backoff_factor = float(backoff_factor)
        self._growth_interval = int(growth_interval)
        self._growth_tracker = 0
        self._per_optimizer: dict[int, dict[str, Any]] = defaultdict(self._fresh_state)

    @staticmethod
    def _fresh_state() -> dict[str, Any]:
        return {"stage": _Stage.READY, "found_inf": False}

    def is_enabled(self) -> bool:
        """Whether the scaler does anything."""
        return self._enabled

    def scale(self, outputs: Any) -> Any:
        """``outputs`` (a Tensor, or a list/tuple/dict of them) multiplied by the scale."""
        if not self._enabled:
            return outputs
        return _scale_outputs(outputs, self._scale)

    def unscale_(self, optimizer: Any) -> None:
        """Divide ``optimizer``'s gradients by the scale in place and look for inf/NaN.

        Call it before gradient clipping; :meth:`step` calls it when you have not.
        """
        if not self._enabled:
            return
        state = self._per_optimizer[id(optimizer)]
        if state["stage"] is _Stage.UNSCALED:
            raise RuntimeError(
                "unscale_() has already been called on this optimizer since the last update()."
            )
        if state["stage"] is _Stage.STEPPED:
            raise RuntimeError("unscale_() is being called after step().")
        inv = 1.0 / self._scale
        found = False
        for group in optimizer.param_groups:
            for p in group["params"]:
                g = p.grad
                if g is None:
                    continue
                arr = g._data
                if arr.dtype == np.float16:
                    raise ValueError("Attempting to unscale FP16 gradients.")
                arr *= inv
                found = found or not bool(_all_finite(arr))
        state["found_inf"] = found
        state["stage"] = _Stage.UNSCALED

    def step(self, optimizer: Any, *args: Any, **kwargs: Any) -> Any:
        """Unscale (if not done yet) and run ``optimizer.step`` unless a gradient is inf/NaN.

        Returns:
            What ``optimizer.step`` returned, or None when the step was skipped.
        """
        if not self._enabled:
            return optimizer.step(*args, **kwargs)
        if "closure" in kwargs:
            raise RuntimeError("Closure use is not currently supported if GradScaler is enabled.")
        state = self._per_optimizer[id(optimizer)]
        if state["stage"] is _Stage.STEPPED:
            raise RuntimeError("step() has already been called since the last update().")
        if state["stage"] is _Stage.READY:
            self.unscale_(optimizer)
        result = None if state["found_inf"] else optimizer.step(*args, **kwargs)
        state["stage"] = _Stage.STEPPED
        return result

    def update(self, new_scale: float | Tensor | None = None) -> None:
        """Adjust the scale after the step(s) of this iteration (or set it to ``new_scale``)."""
        if not self._enabled:
            return
        if new_scale is not None:
            self._scale = float(new_scale.item() if isinstance(new_scale, Tensor) else new_scale)
        else:
            stepped = [s for s in self._per_optimizer.values() if s["stage"] is not _Stage.READY]
            if not stepped:
                raise AssertionError("No inf checks were recorded prior to update.")
            if any(s["found_inf"] for s in stepped):
                self._scale *= self._backoff_factor
                self._growth_tracker = 0
            else:
                self._growth_tracker += 1
                if self._growth_tracker == self._growth_interval:
                    self._scale *= self._growth_factor
                    self._growth_tracker = 0
        self._per_optimizer = defaultdict(self._fresh_state)

    def get_scale(self) -> float:
        """The current scale (1.0 when disabled)."""
        return self._scale if self._enabled else 1.0

    def get_growth_factor(self) -> float:
        """The factor the scale grows by."""
        return self._growth_factor

    def set_growth_factor(self, new_factor: float) -> None:
        """Set the factor the scale grows by."""
        self._growth_factor = float(new_factor)

    def get_backoff_factor(self) -> float:
        """The factor the scale shrinks by after a skipped step."""
        return self._backoff_factor

    def set_backoff_factor(self, new_factor: float) -> None:
        """Set the factor the scale shrinks by."""
        self._backoff_factor = float(new_factor)

    def get_growth_interval(self) -> int:
        """How many good steps in a row make the scale grow."""
        return self._growth_interval

    def set_growth_interval(self, new_interval: int) -> None:
        """Set how many good steps in a row make the scale grow."""
        self._growth_interval = int(new_interval)

    def state_dict(self) -> dict[str, Any]:
        """The scale and growth state, with PyTorch's keys (empty when disabled)."""
        if not self._enabled:
            return {}
        return {"scale": self._scale, "growth_factor": self._growth_factor,
                "backoff_factor": self._backoff_factor, "growth_interval": self._growth_interval,
                "_growth_tracker": self._growth_tracker}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore what :meth:`state_dict` returned."""
        if not self._enabled:
            return
        if len(state_dict) == 0:
            raise RuntimeError("The source state dict is empty, possibly because it was saved "
                               "from a disabled instance of GradScaler.")
        self._scale = float(state_dict["scale"])
        self._growth_factor = float(state_dict["growth_factor"])
        self._backoff_factor = float(state_dict["backoff_factor"])
        self._growth_interval = int(state_dict["growth_interval"])
        self._growth_tracker = int(state_dict["_growth_tracker"])


def _all_finite(arr: Any) -> Any:
    from ember.backends import get_xp

    return get_xp(arr).isfinite(arr).all()
