"""The public test kit, as ``torch.testing`` plus what a domain package needs to test itself.

- :func:`assert_close` and :func:`make_tensor`, with ``torch.testing``'s defaults.
- Op records and their generic checks (:class:`OpRecord`, :class:`Sample`, :func:`check_op`,
  :func:`check_op_forward`, :func:`check_op_gradients`, :func:`to_tensors`): forward against a
  NumPy reference, float64 gradcheck and double-backward check.
- :func:`require_data` / :func:`shared_data_root`: the one rule for tests that read real data
  (skip locally when absent, fail when ``CI`` is set); :func:`above_chance` for the accuracy a
  learning test demands (several binomial standard deviations above chance).
- :mod:`ember.testing.domain`: fake-file writers and the contract checks every domain package
  runs on its datasets, transforms, models, weights and hub registration.

Example:
    >>> import ember
    >>> from ember.testing import assert_close, make_tensor
    >>> x = make_tensor(3, dtype=ember.float32)
    >>> assert_close(x * 1.0, x)
"""

from __future__ import annotations

from ember.testing._compare import assert_close, make_tensor
from ember.testing._data import above_chance, require_data, shared_data_root
from ember.testing._gradcheck import (
    OpRecord,
    Sample,
    check_op,
    check_op_forward,
    check_op_gradients,
    to_tensors,
)

__all__ = [
    "assert_close",
    "make_tensor",
    "OpRecord",
    "Sample",
    "check_op",
    "check_op_forward",
    "check_op_gradients",
    "to_tensors",
    "require_data",
    "above_chance",
    "shared_data_root",
]
