"""The neural-network primitives: fused ops with a forward and a backward, grouped by kind.

``ember.nn.functional`` checks arguments and calls these; it defines no primitive itself.

* ``linear``: ``Linear`` (x @ W.T + b), ``Embedding`` (row lookup).
* ``conv``: ``Conv``, ``ConvInput`` (transposed convolution), ``ConvWeight``.
* ``pooling``: ``LinearMap`` (a linear map and its adjoint: padding, average pooling,
  interpolation, unfold/fold), ``IndexPool`` (max pooling with indices).
* ``sampling``: ``GridSample`` and its backward.
* ``normalization``: ``NormAffine`` (batch/layer norm with the affine step).
* ``loss``: ``CrossEntropy``, ``BinaryCrossEntropy``; ``ctc``: ``CTCLoss``.
* ``attention``: ``Attention`` (scaled dot-product attention).
* ``rnn``: ``LSTMRecurrence``, ``GRURecurrence``, ``RNNRecurrence`` (whole sequences).

The array kernels behind conv and pooling stay in ``ember.nn._functional._convkern`` and
``_poolkern`` for now.
"""

from __future__ import annotations
