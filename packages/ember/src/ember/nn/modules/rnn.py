"""Recurrent layers (RNN, LSTM, GRU and their cells) with PyTorch's weights, gates and numerics.

Each layer runs in two parts. The input projection ``x @ W_ih.T + b_ih`` for every time step is
one GEMM (``F.linear`` on the time-major, packed data). The recurrence over time is one fused
primitive per layer and direction (``LSTMRecurrence``, ``GRURecurrence``, ``RNNRecurrence``):
its forward loops over time on raw arrays and saves the gate activations, its backward loops back
over time on raw arrays. A primitive for measured speed: per time step it costs one small GEMM and a
handful of in-place array calls instead of a dozen graph nodes.

Every sequence is handled in packed form: ``data`` is ``(sum of lengths, features)`` and time step
``t`` owns ``batch_sizes[t]`` consecutive rows (the longest sequences first). A dense ``(T, B, *)``
input is the special case ``batch_sizes = [B] * T``.

When the backward itself must be differentiated (``create_graph=True``), the recurrence is rebuilt
from ember ops (the same cell functions ``RNNCell``/``LSTMCell``/``GRUCell`` use) and
differentiated by autograd, so higher derivatives are exact, only slower.
"""

from __future__ import annotations

import math
import numbers
import warnings
from typing import Any

import numpy as np

import ember
from ember import _creation
from ember._tensor import Tensor
from ember.nn import functional as F
from ember.nn import init
from ember.nn.modules.module import Module
from ember.nn.parameter import Parameter
from ember.nn.utils.rnn import PackedSequence
from ember.ops.nn.rnn import (
    GRURecurrence,
    LSTMRecurrence,
    RNNRecurrence,
    gru_cell,
    lstm_cell,
    rnn_cell,
)

__all__ = ["RNNBase", "RNN", "LSTM", "GRU", "RNNCellBase", "RNNCell", "LSTMCell", "GRUCell"]


# -- time-step bookkeeping -------------------------------------------------------------------------


# -- cells composed from ember ops (cells, and the create_graph fallback) -------------------------


# -- fused recurrences ----------------------------------------------------------------------------


def _run_direction(mode: str, x: Tensor, bs: np.ndarray, states: list[Tensor],
                   weights: list[Tensor | None], reverse: bool) -> tuple[Tensor, ...]:
    """One layer, one direction: the input GEMM, then the fused recurrence."""
    w_ih, w_hh, b_ih, b_hh, w_hr = weights
    gx = F.linear(x, w_ih, b_ih)
    if mode == "LSTM":
        return LSTMRecurrence.apply(gx, states[0], states[1], w_hh, b_hh, w_hr, bs=bs,
                     reverse=reverse)
    if mode == "GRU":
        return GRURecurrence.apply(gx, states[0], w_hh, b_hh, bs=bs, reverse=reverse)
    return RNNRecurrence.apply(gx, states[0], w_hh, b_hh, bs=bs, reverse=reverse,
                 relu=mode == "RNN_RELU")


# -- modules --------------------------------------------------------------------------------------
_GATES = {"LSTM": 4, "GRU": 3, "RNN_TANH": 1, "RNN_RELU": 1}


class RNNBase(Module):
    """Shared machinery of ``RNN``, ``LSTM`` and ``GRU`` (parameters, shapes, layer loop).

    Args:
        mode: ``"LSTM"``, ``"GRU"``, ``"RNN_TANH"`` or ``"RNN_RELU"``.
        input_size: features of the input.
        hidden_size: features of the hidden state.
        num_layers: stacked layers.
        bias: if False, no ``bias_ih``/``bias_hh``.
        batch_first: input and output are ``(B, T, *)`` instead of ``(T, B, *)``.
        dropout: dropout probability on the outputs of every layer but the last (training only).
        bidirectional: also run each layer backwards in time and concatenate.
        proj_size: LSTM only; project the hidden state to this size (``weight_hr``).

    Example:
        >>> rnn = ember.nn.RNNBase("GRU", 4, 8)
        >>> rnn(ember.randn(5, 2, 4))[0].shape
        ember.Size([5, 2, 8])
    """

    def __init__(self, mode: str, input_size: int, hidden_size: int, num_layers: int = 1,
                 bias: bool = True, batch_first: bool = False, dropout: float = 0.0,
                 bidirectional: bool = False, proj_size: int = 0, device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__()
        _check_config(mode, hidden_size, num_layers, dropout, proj_size)
        self.mode = mode
        self.input_size, self.hidden_size = input_size, hidden_size
        self.num_layers, self.bias, self.batch_first = num_layers, bias, batch_first
        self.dropout, self.bidirectional, self.proj_size = float(dropout), bidirectional, proj_size
        self._flat_weights_names: list[str] = []
        self._all_weights: list[list[str]] = []
        real_hidden = proj_size if proj_size > 0 else hidden_size
        dirs = 2 if bidirectional else 1
        for layer in range(num_layers):
            for d in range(dirs):
                width = input_size if layer == 0 else real_hidden * dirs
                self._add_layer(layer, "_reverse" if d else "", width, device, dtype)
        self.reset_parameters()

    def _add_layer(self, layer: int, suffix: str, width: int, device: Any, dtype: Any) -> None:
        gate, hid, proj = _GATES[self.mode] * self.hidden_size, self.hidden_size, self.proj_size
        shapes = {"weight_ih": (gate, width), "weight_hh": (gate, proj or hid)}
        if self.bias:
            shapes.update(bias_ih=(gate,), bias_hh=(gate,))
        if proj > 0:
            shapes["weight_hr"] = (proj, hid)
        names = []
        for key, shape in shapes.items():
            name = f"{key}_l{layer}{suffix}"
            setattr(self, name, Parameter(_creation.empty(*shape, device=device, dtype=dtype)))
            names.append(name)
        self._flat_weights_names.extend(names)
        self._all_weights.append(names)

    def reset_parameters(self) -> None:
        """Draw every weight and bias from U(-1/sqrt(hidden_size), 1/sqrt(hidden_size))."""
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for w in self.parameters():
            init.uniform_(w, -stdv, stdv)

    def flatten_parameters(self) -> None:
        """No-op (kept for PyTorch code that calls it for cuDNN)."""

    @property
    def _flat_weights(self) -> list[Tensor]:
        return [getattr(self, n) for n in self._flat_weights_names]

    @property
    def all_weights(self) -> list[list[Parameter]]:
        """Parameters grouped per layer and direction."""
        return [[getattr(self, n) for n in names] for names in self._all_weights]

    def _layer_weights(self, idx: int) -> list[Tensor | None]:
        names = self._all_weights[idx]
        get = {n.split("_l")[0]: getattr(self, n) for n in names}
        return [get["weight_ih"], get["weight_hh"], get.get("bias_ih"), get.get("bias_hh"),
                get.get("weight_hr")]

    def extra_repr(self) -> str:
        s = f"{self.input_size}, {self.hidden_size}"
        if self.proj_size != 0:
            s += f", proj_size={self.proj_size}"
        if self.num_layers != 1:
            s += f", num_layers={self.num_layers}"
        for name, default in (("bias", True), ("batch_first", False), ("dropout", 0.0),
                              ("bidirectional", False)):
            if getattr(self, name) != default:
                s += f", {name}={getattr(self, name)}"
        return s

    def forward(self, input: Tensor | PackedSequence, hx: Any = None) -> tuple[Any, Any]:
        """Run the stack over a sequence; returns ``(output, h_n)`` (``(h_n, c_n)`` for LSTM).

        ``input`` is ``(T, B, input_size)`` (``(B, T, ...)`` with ``batch_first``), unbatched
        ``(T, input_size)``, or a ``PackedSequence``; ``hx`` defaults to zeros.
        """
        seq = _as_packed(self, input)
        states = _initial_states(self, seq, hx)
        data = seq.data
        dirs = 2 if self.bidirectional else 1
        finals: list[list[Tensor]] = []
        for layer in range(self.num_layers):
            outs = []
            for d in range(dirs):
                idx = layer * dirs + d
                res = _run_direction(self.mode, data, seq.bs, [s[idx] for s in states],
                                     self._layer_weights(idx), reverse=d == 1)
                outs.append(res[0])
                finals.append(list(res[1:]))
            data = outs[0] if dirs == 1 else ember.cat(outs, 1)
            if self.dropout > 0 and self.training and layer < self.num_layers - 1:
                data = F.dropout(data, self.dropout, True)
        h_n = [ember.stack([f[k] for f in finals], 0) for k in range(len(states))]
        return _finish(self, seq, data, h_n)


class _Seq:
    """A sequence in packed form plus what is needed to give the output its input's layout."""

    def __init__(self, data: Tensor, bs: np.ndarray, packed: PackedSequence | None,
                 shape: tuple[int, int] | None, unbatched: bool) -> None:
        self.data, self.bs, self.packed, self.shape, self.unbatched = (data, bs, packed, shape,
                                                                       unbatched)


def _as_packed(rnn: RNNBase, input: Any) -> _Seq:
    if isinstance(input, PackedSequence):
        bs = np.asarray(input.batch_sizes.cpu().numpy()).astype(np.int64)
        _check_input_size(rnn, input.data, 2)
        return _Seq(input.data, bs, input, None, False)
    if input.ndim not in (2, 3):
        raise ValueError(f"{type(rnn).__name__}: Expected input to be 2D or 3D, got "
                         f"{input.ndim}D tensor instead")
    _check_input_size(rnn, input, 3)
    unbatched = input.ndim == 2
    x = input.unsqueeze(1) if unbatched else (input.transpose(0, 1) if rnn.batch_first else input)
    steps, batch = x.shape[0], x.shape[1]
    data = x.reshape(steps * batch, x.shape[2])
    return _Seq(data, np.full(steps, batch, np.int64), None, (steps, batch), unbatched)


def _check_input_size(rnn: RNNBase, x: Tensor, ndim: int) -> None:
    if x.shape[-1] != rnn.input_size:
        raise RuntimeError(f"input.size(-1) must be equal to input_size. Expected "
                           f"{rnn.input_size}, got {x.shape[-1]}")


def _initial_states(rnn: RNNBase, seq: _Seq, hx: Any) -> list[Tensor]:
    dirs = 2 if rnn.bidirectional else 1
    batch = int(seq.bs[0]) if seq.bs.size else 0
    real = rnn.proj_size or rnn.hidden_size
    shapes = [(rnn.num_layers * dirs, batch, real)]
    if rnn.mode == "LSTM":
        shapes.append((rnn.num_layers * dirs, batch, rnn.hidden_size))
    if hx is None:
        like = seq.data
        return [ember.zeros(*s, dtype=like.dtype, device=like.device) for s in shapes]
    given = list(hx) if rnn.mode == "LSTM" else [hx]
    if rnn.mode == "LSTM" and not isinstance(hx, (tuple, list)):
        raise TypeError("LSTM: hx must be a tuple (h_0, c_0)")
    out = []
    for t, shape in zip(given, shapes):
        t = t.unsqueeze(1) if seq.unbatched else t
        if seq.packed is not None and seq.packed.sorted_indices is not None:
            t = t.index_select(1, seq.packed.sorted_indices)
        if tuple(t.shape) != shape:
            raise RuntimeError(f"Expected hidden size {shape}, got {list(t.shape)}")
        out.append(t)
    return out


def _finish(rnn: RNNBase, seq: _Seq, data: Tensor, h_n: list[Tensor]) -> tuple[Any, Any]:
    if seq.packed is not None:
        p = seq.packed
        output: Any = PackedSequence(data, p.batch_sizes, p.sorted_indices, p.unsorted_indices)
        if p.unsorted_indices is not None:
            h_n = [h.index_select(1, p.unsorted_indices) for h in h_n]
    else:
        steps, batch = seq.shape  # type: ignore[misc]
        output = data.reshape(steps, batch, data.shape[1])
        if seq.unbatched:
            output = output.squeeze(1)
            h_n = [h.squeeze(1) for h in h_n]
        elif rnn.batch_first:
            output = output.transpose(0, 1)
    return output, (tuple(h_n) if rnn.mode == "LSTM" else h_n[0])


def _check_config(mode: str, hidden_size: int, num_layers: int, dropout: float,
                  proj_size: int) -> None:
    if not isinstance(dropout, numbers.Number) or not 0 <= dropout <= 1 or \
            isinstance(dropout, bool):
        raise ValueError("dropout should be a number in range [0, 1] representing the "
                         "probability of an element being zeroed")
    if dropout > 0 and num_layers == 1:
        warnings.warn("dropout option adds dropout after all but last recurrent layer, so "
                      f"non-zero dropout expects num_layers greater than 1, but got "
                      f"dropout={dropout} and num_layers={num_layers}", stacklevel=3)
    if not isinstance(hidden_size, int) or hidden_size <= 0:
        raise ValueError("hidden_size must be greater than zero")
    if not isinstance(num_layers, int) or num_layers <= 0:
        raise ValueError("num_layers must be greater than zero")
    if proj_size < 0:
        raise ValueError("proj_size should be a positive integer or zero to disable projections")
    if proj_size >= hidden_size:
        raise ValueError("proj_size has to be smaller than hidden_size")
    if proj_size and mode != "LSTM":
        raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")


class RNN(RNNBase):
    """Elman RNN: ``h_t = act(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh)``, act tanh or relu.

    Args:
        input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional: see
            ``RNNBase``.
        nonlinearity: ``"tanh"`` (default) or ``"relu"``.

    Returns:
        ``(output, h_n)``.

    Example:
        >>> rnn = ember.nn.RNN(4, 8, num_layers=2)
        >>> out, h = rnn(ember.randn(5, 3, 4))
        >>> out.shape, h.shape
        (ember.Size([5, 3, 8]), ember.Size([2, 3, 8]))
    """

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1,
                 nonlinearity: str = "tanh", bias: bool = True, batch_first: bool = False,
                 dropout: float = 0.0, bidirectional: bool = False, device: Any = None,
                 dtype: Any = None) -> None:
        modes = {"tanh": "RNN_TANH", "relu": "RNN_RELU"}
        if nonlinearity not in modes:
            raise ValueError(f"Unknown nonlinearity '{nonlinearity}'. Select from 'tanh' or "
                             "'relu'.")
        self.nonlinearity = nonlinearity
        super().__init__(modes[nonlinearity], input_size, hidden_size, num_layers, bias,
                         batch_first, dropout, bidirectional, 0, device, dtype)


class LSTM(RNNBase):
    """Long short-term memory, PyTorch's gate order i, f, g, o (optional projection ``proj_size``).

    Returns ``(output, (h_n, c_n))``; ``h_n`` has ``proj_size`` features when projecting.

    Example:
        >>> lstm = ember.nn.LSTM(4, 8, batch_first=True)
        >>> out, (h, c) = lstm(ember.randn(3, 5, 4))
        >>> out.shape, c.shape
        (ember.Size([3, 5, 8]), ember.Size([1, 3, 8]))
    """

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False,
                 proj_size: int = 0, device: Any = None, dtype: Any = None) -> None:
        super().__init__("LSTM", input_size, hidden_size, num_layers, bias, batch_first, dropout,
                         bidirectional, proj_size, device, dtype)


class GRU(RNNBase):
    """Gated recurrent unit, PyTorch's gate order r, z, n with ``b_hn`` inside ``r * (...)``.

    Returns ``(output, h_n)``.

    Example:
        >>> gru = ember.nn.GRU(4, 8, bidirectional=True)
        >>> gru(ember.randn(5, 3, 4))[0].shape
        ember.Size([5, 3, 16])
    """

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False,
                 device: Any = None, dtype: Any = None) -> None:
        super().__init__("GRU", input_size, hidden_size, num_layers, bias, batch_first, dropout,
                         bidirectional, 0, device, dtype)


# -- cells ----------------------------------------------------------------------------------------
class RNNCellBase(Module):
    """Parameters shared by the cells: ``weight_ih``, ``weight_hh``, ``bias_ih``, ``bias_hh``.

    Example:
        >>> ember.nn.RNNCellBase(3, 4, True, 2).weight_ih.shape
        ember.Size([8, 3])
    """

    def __init__(self, input_size: int, hidden_size: int, bias: bool, num_chunks: int,
                 device: Any = None, dtype: Any = None) -> None:
        super().__init__()
        self.input_size, self.hidden_size, self.bias = input_size, hidden_size, bias
        kw = {"device": device, "dtype": dtype}
        self.weight_ih = Parameter(_creation.empty(num_chunks * hidden_size, input_size, **kw))
        self.weight_hh = Parameter(_creation.empty(num_chunks * hidden_size, hidden_size, **kw))
        if bias:
            self.bias_ih = Parameter(_creation.empty(num_chunks * hidden_size, **kw))
            self.bias_hh = Parameter(_creation.empty(num_chunks * hidden_size, **kw))
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Draw every weight and bias from U(-1/sqrt(hidden_size), 1/sqrt(hidden_size))."""
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for w in self.parameters():
            init.uniform_(w, -stdv, stdv)

    def extra_repr(self) -> str:
        s = f"{self.input_size}, {self.hidden_size}"
        if not self.bias:
            s += ", bias=False"
        nl = getattr(self, "nonlinearity", "tanh")
        return s + (f", nonlinearity={nl}" if nl != "tanh" else "")

    def _prepare(self, input: Tensor, hx: Tensor | None, n_states: int) -> tuple[Any, ...]:
        if input.ndim not in (1, 2):
            raise ValueError(f"{type(self).__name__}: Expected input to be 1D or 2D, got "
                             f"{input.ndim}D instead")
        unbatched = input.ndim == 1
        x = input.unsqueeze(0) if unbatched else input
        if x.shape[1] != self.input_size:
            raise RuntimeError(f"input has inconsistent input_size: got {x.shape[1]} expected "
                               f"{self.input_size}")
        if hx is None:
            z = ember.zeros(x.shape[0], self.hidden_size, dtype=x.dtype, device=x.device)
            states = [z] * n_states
        else:
            states = list(hx) if n_states == 2 else [hx]
            states = [s.unsqueeze(0) if unbatched else s for s in states]
        return x, states, unbatched


class RNNCell(RNNCellBase):
    """One Elman RNN step: ``h' = act(x W_ih^T + b_ih + h W_hh^T + b_hh)``.

    Args:
        input_size: input features.
        hidden_size: hidden features.
        bias: if False, no biases.
        nonlinearity: ``"tanh"`` or ``"relu"``.

    Example:
        >>> ember.nn.RNNCell(3, 4)(ember.randn(2, 3)).shape
        ember.Size([2, 4])
    """

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True,
                 nonlinearity: str = "tanh", device: Any = None, dtype: Any = None) -> None:
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"Unknown nonlinearity: {nonlinearity}")
        self.nonlinearity = nonlinearity
        super().__init__(input_size, hidden_size, bias, 1, device, dtype)

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        """``(B, input_size), (B, hidden_size) -> (B, hidden_size)`` (batch dim optional)."""
        x, (h,), unbatched = self._prepare(input, hx, 1)
        gx = F.linear(x, self.weight_ih, self.bias_ih)
        h = rnn_cell(gx, h, self.weight_hh, self.bias_hh, self.nonlinearity == "relu")
        return h.squeeze(0) if unbatched else h


class LSTMCell(RNNCellBase):
    """One LSTM step; returns ``(h', c')``. Gates i, f, g, o as PyTorch.

    Example:
        >>> h, c = ember.nn.LSTMCell(3, 4)(ember.randn(2, 3))
        >>> h.shape
        ember.Size([2, 4])
    """

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__(input_size, hidden_size, bias, 4, device, dtype)

    def forward(self, input: Tensor, hx: tuple[Tensor, Tensor] | None = None
                ) -> tuple[Tensor, Tensor]:
        """``(B, input_size), ((B, H), (B, H)) -> ((B, H), (B, H))`` (batch dim optional)."""
        x, (h, c), unbatched = self._prepare(input, hx, 2)
        gx = F.linear(x, self.weight_ih, self.bias_ih)
        h, c = lstm_cell(gx, h, c, self.weight_hh, self.bias_hh)
        return (h.squeeze(0), c.squeeze(0)) if unbatched else (h, c)


class GRUCell(RNNCellBase):
    """One GRU step; gates r, z, n with ``b_hn`` inside ``r * (...)`` as PyTorch.

    Example:
        >>> ember.nn.GRUCell(3, 4)(ember.randn(2, 3)).shape
        ember.Size([2, 4])
    """

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__(input_size, hidden_size, bias, 3, device, dtype)

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        """``(B, input_size), (B, H) -> (B, H)`` (batch dim optional)."""
        x, (h,), unbatched = self._prepare(input, hx, 1)
        gx = F.linear(x, self.weight_ih, self.bias_ih)
        h = gru_cell(gx, h, self.weight_hh, self.bias_hh)
        return h.squeeze(0) if unbatched else h
