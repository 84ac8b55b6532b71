"""Weight averaging, as ``torch.optim.swa_utils``: AveragedModel (SWA or EMA of a model's
weights), SWALR (anneal to a constant SWA learning rate) and update_bn (recompute BatchNorm
statistics for the averaged weights)."""

from __future__ import annotations

import copy
import itertools
import math
from collections.abc import Callable, Iterable
from typing import Any

import ember
from ember._tensor import Tensor
from ember.autograd.grad_mode import no_grad
from ember.nn.modules.module import Module
from ember.optim.lr_scheduler import LRScheduler, _per_group
from ember.optim.optimizer import Optimizer

__all__ = [
    "AveragedModel",
    "SWALR",
    "update_bn",
    "get_ema_avg_fn",
    "get_ema_multi_avg_fn",
    "get_swa_avg_fn",
    "get_swa_multi_avg_fn",
]

AvgFn = Callable[[Tensor, Tensor, Any], Tensor]
MultiAvgFn = Callable[[list[Tensor], list[Tensor], Any], None]


def get_ema_multi_avg_fn(decay: float = 0.999) -> MultiAvgFn:
    """An in-place update ``ema = decay * ema + (1 - decay) * current`` over lists of tensors."""
    if decay < 0.0 or decay > 1.0:
        raise ValueError(
            f"Invalid decay value {decay} provided. Please provide a value in [0,1] range."
        )

    def ema_update(ema: list[Tensor], current: list[Tensor], _: Any) -> None:
        with no_grad():
            for p_ema, p_model in zip(ema, current):
                if p_ema.is_floating_point() or p_ema.is_complex():
                    p_ema.copy_(p_ema + (p_model - p_ema) * (1 - decay))
                else:
                    p_ema.copy_(p_ema * decay + p_model * (1 - decay))

    return ema_update


def get_swa_multi_avg_fn() -> MultiAvgFn:
    """An in-place running mean ``avg += (current - avg) / (n + 1)`` over lists of tensors."""

    def swa_update(averaged: list[Tensor], current: list[Tensor], num_averaged: Any) -> None:
        n = float(num_averaged)
        with no_grad():
            for p_avg, p_model in zip(averaged, current):
                if p_avg.is_floating_point() or p_avg.is_complex():
                    p_avg.copy_(p_avg + (p_model - p_avg) * (1.0 / (n + 1)))
                else:  # integer buffers: PyTorch's integer division truncates
                    diff = p_model - p_avg
                    p_avg.copy_(p_avg + ember.div(diff, int(n) + 1, rounding_mode="trunc"))

    return swa_update


def get_ema_avg_fn(decay: float = 0.999) -> AvgFn:
    """``(ema, current, n) -> decay * ema + (1 - decay) * current``."""
    if decay < 0.0 or decay > 1.0:
        raise ValueError(
            f"Invalid decay value {decay} provided. Please provide a value in [0,1] range."
        )

    def ema_update(ema_param: Tensor, current_param: Tensor, num_averaged: Any) -> Tensor:
        return decay * ema_param + (1 - decay) * current_param

    return ema_update


def get_swa_avg_fn() -> AvgFn:
    """``(avg, current, n) -> avg + (current - avg) / (n + 1)``."""

    def swa_update(averaged_param: Tensor, current_param: Tensor, num_averaged: Any) -> Tensor:
        return averaged_param + (current_param - averaged_param) / (num_averaged + 1)

    return swa_update


class AveragedModel(Module):
    """A copy of ``model`` whose weights are the running average (SWA) or an exponential moving
    average (EMA, with ``multi_avg_fn=get_ema_multi_avg_fn(decay)``) of ``model``'s weights.

    Args:
        model: the model to average (deep-copied into ``self.module``).
        device: move the copy there.
        avg_fn: ``(averaged, current, num_averaged) -> new averaged`` per tensor.
        multi_avg_fn: an in-place update over lists of tensors (default: SWA running mean).
        use_buffers: average the buffers too (else copy them from ``model``).

    Example:
        >>> swa_model = AveragedModel(model)
        >>> for epoch in range(10):
        ...     train_one_epoch(model)
        ...     swa_model.update_parameters(model)
    """

    def __init__(self, model: Module, device: Any = None, avg_fn: AvgFn | None = None,
                 multi_avg_fn: MultiAvgFn | None = None, use_buffers: bool = False) -> None:
        super().__init__()
        if avg_fn is not None and multi_avg_fn is not None:
            raise AssertionError("Only one of avg_fn and multi_avg_fn should be provided")
        self.module = copy.deepcopy(model)
        if device is not None:
            self.module = self.module.to(device)
        self.register_buffer("n_averaged", ember.tensor(0, dtype=ember.int64, device=device))
        self.avg_fn = avg_fn
        self.multi_avg_fn = multi_avg_fn
        self.use_buffers = use_buffers

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        return self.module(*args, **kwargs)

    def _pairs(self, model: Module) -> tuple[Iterable[Tensor], Iterable[Tensor]]:
        if self.use_buffers:
            return (itertools.chain(self.module.parameters(), self.module.buffers()),
                    itertools.chain(model.parameters(), model.buffers()))
        return self.parameters(), model.parameters()

    def update_parameters(self, model: Module) -> None:
        """Fold ``model``'s current weights into the average (the first call copies them)."""
        mine, theirs = self._pairs(model)
        averaged, current = [], []
        first = int(self.n_averaged.item()) == 0
        for p_avg, p_model in zip(mine, theirs):
            p_model_ = p_model.detach().to(p_avg.device)
            averaged.append(p_avg.detach())
            current.append(p_model_)
            if first:
                p_avg.detach().copy_(p_model_)
        if not first:
            self._average(averaged, current)
        if not self.use_buffers:
            for b_swa, b_model in zip(self.module.buffers(), model.buffers()):
                b_swa.detach().copy_(b_model.detach().to(b_swa.device))
        self.n_averaged.add_(1)

    def _average(self, averaged: list[Tensor], current: list[Tensor]) -> None:
        if self.avg_fn is not None:
            with no_grad():
                for p_avg, p_model in zip(averaged, current):
                    p_avg.copy_(self.avg_fn(p_avg, p_model, self.n_averaged))
            return
        update = self.multi_avg_fn or get_swa_multi_avg_fn()
        for group in _by_dtype(averaged, current):
            update(group[0], group[1], self.n_averaged)


def _by_dtype(averaged: list[Tensor], current: list[Tensor]) -> list[tuple[list, list]]:
    """Tensor pairs grouped by (device, dtype) as PyTorch groups them for its foreach kernels."""
    groups: dict[Any, tuple[list, list]] = {}
    for a, c in zip(averaged, current):
        key = (str(a.device), a.dtype)
        groups.setdefault(key, ([], []))
        groups[key][0].append(a)
        groups[key][1].append(c)
    return list(groups.values())


def _is_batchnorm(module: Module) -> bool:
    from ember.nn.modules.normalization import _BatchNorm

    return isinstance(module, _BatchNorm)


def update_bn(loader: Iterable[Any], model: Module, device: Any = None) -> None:
    """Recompute the BatchNorm running statistics of ``model`` with one pass over ``loader``.

    Every BatchNorm's statistics are reset and re-estimated as a plain average (momentum None)
    over the batches; each batch is an input tensor or a list/tuple whose first item is.

    Example:
        >>> update_bn(train_loader, swa_model)
    """
    momenta = {}
    for module in model.modules():
        if _is_batchnorm(module):
            module.reset_running_stats()
            momenta[module] = module.momentum
    if not momenta:
        return
    was_training = model.training
    model.train()
    for module in momenta:
        module.momentum = None
    for batch in loader:
        if isinstance(batch, (list, tuple)):
            batch = batch[0]
        if device is not None:
            batch = batch.to(device)
        model(batch)
    for module, momentum in momenta.items():
        module.momentum = momentum
    model.train(was_training)


def _cosine_anneal(t: float) -> float:
    return (1 - math.cos(math.pi * t)) / 2


def _linear_anneal(t: float) -> float:
    return t


class SWALR(LRScheduler):
    """Anneal each group's learning rate to ``swa_lr`` over ``anneal_epochs``, then hold it.

    Args:
        optimizer: the wrapped optimizer.
        swa_lr: the SWA learning rate (one value, or one per parameter group).
        anneal_epochs: epochs of annealing (0: jump straight to ``swa_lr``).
        anneal_strategy: ``"cos"`` or ``"linear"``.
        last_epoch: index of the last epoch when resuming.

    Example:
        >>> swa_scheduler = SWALR(optimizer, swa_lr=0.05, anneal_epochs=5)
    """

    def __init__(self, optimizer: Optimizer, swa_lr: Any, anneal_epochs: int = 10,
                 anneal_strategy: str = "cos", last_epoch: int = -1) -> None:
        for lr, group in zip(_per_group("swa_lr", optimizer, swa_lr), optimizer.param_groups):
            group["swa_lr"] = lr
        if anneal_strategy not in ("cos", "linear"):
            raise ValueError(
                "anneal_strategy must be one of 'cos' or 'linear', instead got "
                f"{anneal_strategy}"
            )
        self.anneal_func = _cosine_anneal if anneal_strategy == "cos" else _linear_anneal
        if not isinstance(anneal_epochs, int) or anneal_epochs < 0:
            raise ValueError(f"anneal_epochs must be equal or greater than 0, got {anneal_epochs}")
        self.anneal_epochs = anneal_epochs
        super().__init__(optimizer, last_epoch)

    @staticmethod
    def _get_initial_lr(lr: float, swa_lr: float, alpha: float) -> float:
        if alpha == 1:
            return swa_lr
        return (lr - alpha * swa_lr) / (1 - alpha)

    def get_lr(self) -> list[Any]:
        """The learning rates for the current step."""
        self._warn_get_lr()
        step = self._step_count - 1
        if self.anneal_epochs == 0:
            step = max(1, step)
        prev_t = max(0, min(1, (step - 1) / max(1, self.anneal_epochs)))
        prev_alpha = self.anneal_func(prev_t)
        groups = self.optimizer.param_groups
        prev_lrs = [self._get_initial_lr(g["lr"], g["swa_lr"], prev_alpha) for g in groups]
        t = max(0, min(1, step / max(1, self.anneal_epochs)))
        alpha = self.anneal_func(t)
        return [g["swa_lr"] * alpha + lr * (1 - alpha) for g, lr in zip(groups, prev_lrs)]
