"""Adaptive softmax (Grave et al., 2016), as ``torch.nn.AdaptiveLogSoftmaxWithLoss``."""

from __future__ import annotations

from collections import namedtuple
from typing import Any

import numpy as np

import ember
from ember._tensor import Tensor
from ember.nn import functional as F
from ember.nn.modules.container import ModuleList, Sequential
from ember.nn.modules.linear import Linear
from ember.nn.modules.module import Module

__all__ = ["AdaptiveLogSoftmaxWithLoss"]

_ASMoutput = namedtuple("_ASMoutput", ["output", "loss"])


def _check_cutoffs(cutoffs: Any, n_classes: int) -> list[int]:
    cutoffs = list(cutoffs)
    if len(cutoffs) == 0:
        raise ValueError("cutoffs should be a sequence of length larger than 0")
    if (
        cutoffs != sorted(cutoffs)
        or min(cutoffs) <= 0
        or max(cutoffs) > (n_classes - 1)
        or len(set(cutoffs)) != len(cutoffs)
        or any(int(c) != c for c in cutoffs)
    ):
        raise ValueError(
            "cutoffs should be a sequence of unique, positive integers sorted in an increasing "
            "order, where each value is between 1 and n_classes-1"
        )
    return [int(c) for c in cutoffs]


class AdaptiveLogSoftmaxWithLoss(Module):
    """Efficient softmax for many classes: frequent classes in a head, rare ones in clusters.

    The head scores the ``cutoffs[0]`` most frequent classes plus one entry per tail cluster;
    cluster ``i`` (classes ``cutoffs[i]`` to ``cutoffs[i+1] - 1``) projects the input to
    ``in_features // div_value ** (i + 1)`` features before its own softmax. Parameter names,
    shapes, initialisation and results follow PyTorch's module.

    Args:
        in_features: size of each input sample.
        n_classes: number of classes.
        cutoffs: increasing class indices where the clusters start.
        div_value: the factor the projection size shrinks by per cluster.
        head_bias: give the head a bias.
        device: the device of the parameters.
        dtype: the dtype of the parameters.

    Returns (of ``forward(input, target)``):
        A named tuple ``(output, loss)``: the log-probability of each target and the mean
        negative log-likelihood.

    Example:
        >>> asm = ember.nn.AdaptiveLogSoftmaxWithLoss(8, 10, cutoffs=[3, 6])
        >>> out, loss = asm(ember.randn(4, 8), ember.tensor([0, 4, 7, 9]))
        >>> out.shape, asm.log_prob(ember.randn(4, 8)).shape
        (ember.Size([4]), ember.Size([4, 10]))
    """

    def __init__(
        self,
        in_features: int,
        n_classes: int,
        cutoffs: Any,
        div_value: float = 4.0,
        head_bias: bool = False,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        cutoffs = _check_cutoffs(cutoffs, n_classes)
        kw = {"device": device, "dtype": dtype}
        self.in_features = in_features
        self.n_classes = n_classes
        self.cutoffs = cutoffs + [n_classes]
        self.div_value = div_value
        self.head_bias = head_bias
        self.shortlist_size = self.cutoffs[0]
        self.n_clusters = len(self.cutoffs) - 1
        self.head_size = self.shortlist_size + self.n_clusters
        self.head = Linear(in_features, self.head_size, bias=head_bias, **kw)
        self.tail = ModuleList()
        for i in range(self.n_clusters):
            hsz = int(in_features // (div_value ** (i + 1)))
            osz = self.cutoffs[i + 1] - self.cutoffs[i]
            self.tail.append(
                Sequential(
                    Linear(in_features, hsz, bias=False, **kw), Linear(hsz, osz, bias=False, **kw)
                )
            )

    def reset_parameters(self) -> None:
        """Re-draw the head and the cluster projections."""
        self.head.reset_parameters()
        for cluster in self.tail:
            for layer in cluster:
                layer.reset_parameters()

    def _batched(self, input: Tensor, target: Tensor) -> bool:
        if target.ndim == 1:
            if input.ndim != 2:
                raise RuntimeError(
                    "1D target tensor expects 2D input tensors, but found inputs "
                    f"with size {list(input.shape)}"
                )
            if input.shape[0] != target.shape[0]:
                raise RuntimeError(
                    "Input and target should have the same size in the batch "
                    f"dimension, got {input.shape[0]} and {target.shape[0]}"
                )
            return True
        if target.ndim == 0:
            if input.ndim != 1:
                raise RuntimeError(
                    "0D target tensor expects 1D input tensors, but found inputs "
                    f"with size {list(input.shape)}"
                )
            return False
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")

    def forward(self, input: Tensor, target: Tensor) -> Any:
        """``(output, loss)``: each target's log-probability and their mean negative."""
        batched = self._batched(input, target)
        x = input if batched else input.unsqueeze(0)
        t = target if batched else target.unsqueeze(0)
        tv = t._data if isinstance(t._data, np.ndarray) else t.cpu()._data
        n = tv.shape[0]
        bounds = [0] + self.cutoffs
        head_index = tv.copy()
        output = ember.zeros(n, dtype=x.dtype, device=x.device)
        covered = (tv >= 0) & (tv < bounds[1])
        for i in range(1, len(bounds) - 1):
            low, high = bounds[i], bounds[i + 1]
            rows_np = np.nonzero((tv >= low) & (tv < high))[0]
            if rows_np.size == 0:
                continue
            covered[rows_np] = True
            head_index[rows_np] = self.shortlist_size + i - 1
            rows = ember.tensor(rows_np, device=x.device)
            rel = ember.tensor(tv[rows_np] - low, device=x.device).unsqueeze(1)
            logp = F.log_softmax(self.tail[i - 1](x.index_select(0, rows)), dim=1)
            output = output.index_add(0, rows, logp.gather(1, rel).squeeze(1))
        if not covered.all():
            raise RuntimeError(
                f"Target values should be in [0, {self.n_classes - 1}], but values in range "
                f"[{int(tv.min())}, {int(tv.max())}] were found. "
            )
        head_logp = F.log_softmax(self.head(x), dim=1)
        hidx = ember.tensor(head_index, device=x.device).unsqueeze(1)
        output = output + head_logp.gather(1, hidx).squeeze(1)
        loss = (-output).mean()
        return _ASMoutput(output if batched else output.squeeze(0), loss)

    def _full_log_prob(self, input: Tensor, head_output: Tensor) -> Tensor:
        head_logp = F.log_softmax(head_output, dim=1)
        parts = [head_logp[:, : self.shortlist_size]]
        for i in range(self.n_clusters):
            cluster_logp = F.log_softmax(self.tail[i](input), dim=1)
            parts.append(cluster_logp + head_logp[:, self.shortlist_size + i].unsqueeze(1))
        return ember.cat(parts, dim=1)

    def log_prob(self, input: Tensor) -> Tensor:
        """Log-probabilities of every class, ``(N, n_classes)`` (or ``(n_classes,)``)."""
        batched = input.ndim == 2
        x = input if batched else input.unsqueeze(0)
        out = self._full_log_prob(x, self.head(x))
        return out if batched else out.squeeze(0)

    def predict(self, input: Tensor) -> Tensor:
        """The most likely class of each sample (the argmax of ``log_prob``)."""
        return self.log_prob(input).argmax(dim=-1)
