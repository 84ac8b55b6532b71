"""Learning-rate schedulers, as torch.optim.lr_scheduler."""

from __future__ import annotations

__all__: list[str] = []
