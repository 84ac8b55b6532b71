"""default_collate, default_convert and collate, per PyTorch's documented rules."""

from __future__ import annotations

import collections

import numpy as np
import pytest

import ember
from ember.utils.data import collate, default_collate, default_convert

from ._helpers import REFERENCE

Point = collections.namedtuple("Point", "x y")


def test_tensors_are_stacked():
    out = default_collate([ember.tensor([1.0, 2.0]), ember.tensor([3.0, 4.0])])
    assert isinstance(out, ember.Tensor) and out.shape == (2, 2) and out.dtype == ember.float32
    assert out.tolist() == [[1.0, 2.0], [3.0, 4.0]]


def test_unequal_tensors_raise_like_stack():
    with pytest.raises(RuntimeError, match="stack expects each tensor to be equal size"):
        default_collate([ember.zeros(2), ember.zeros(3)])


def test_numpy_arrays_become_tensors():
    out = default_collate([np.array([1, 2], dtype=np.int32), np.array([3, 4], dtype=np.int32)])
    assert isinstance(out, ember.Tensor) and out.dtype == ember.int32
    assert out.tolist() == [[1, 2], [3, 4]]


def test_numpy_string_arrays_are_refused():
    with pytest.raises(TypeError, match="default_collate: batch must contain"):
        default_collate([np.array(["a"]), np.array(["b"])])


def test_numpy_scalars_keep_dtype():
    out = default_collate([np.float32(1.5), np.float32(2.5)])
    assert out.dtype == ember.float32 and out.tolist() == [1.5, 2.5]


def test_python_numbers_match_pytorch_dtypes():
    batch = default_collate([(1, 0.5, True, "a"), (2, 1.5, False, "b")])
    dtypes = [str(b.dtype).replace("ember.", "torch.") if isinstance(b, ember.Tensor)
              else type(b).__name__ for b in batch]
    assert dtypes == REFERENCE["collate_dtypes"]
    assert batch[0].tolist() == [1, 2] and batch[2].tolist() == [True, False]
    assert batch[3] == ("a", "b")  # PyTorch hands back the transposed tuple as is
    assert default_collate(["a", "b"]) == ["a", "b"]


def test_tuples_become_lists_and_namedtuples_stay():
    assert isinstance(default_collate([(1, 2), (3, 4)]), list)
    p = default_collate([Point(1, 2.0), Point(3, 4.0)])
    assert isinstance(p, Point) and p.x.tolist() == [1, 3] and p.y.dtype == ember.float64


def test_mappings_are_collated_per_key():
    out = default_collate([{"a": 1, "b": {"c": 2.0}}, {"a": 3, "b": {"c": 4.0}}])
    assert set(out) == {"a", "b"} and out["a"].tolist() == [1, 3]
    assert out["b"]["c"].tolist() == [2.0, 4.0]
    od = default_collate([collections.OrderedDict(z=1), collections.OrderedDict(z=2)])
    assert isinstance(od, collections.OrderedDict)


def test_lists_are_transposed():
    out = default_collate([[1, 2], [3, 4]])
    assert isinstance(out, list) and [t.tolist() for t in out] == [[1, 3], [2, 4]]


def test_mismatched_sequence_sizes():
    with pytest.raises(RuntimeError, match="each element in list of batch should be of equal size"):
        default_collate([[1, 2], [3]])


def test_unknown_type_is_a_type_error():
    with pytest.raises(TypeError, match="default_collate: batch must contain"):
        default_collate([object(), object()])


def test_bytes_kept():
    assert default_collate([b"x", b"y"]) == [b"x", b"y"]


def test_default_convert():
    out = default_convert({"x": np.arange(3), "s": "keep", "t": (np.float64(1.0), 2)})
    assert isinstance(out["x"], ember.Tensor) and out["x"].tolist() == [0, 1, 2]
    assert out["s"] == "keep"
    assert isinstance(out["t"], list) and isinstance(out["t"][0], ember.Tensor)
    assert out["t"][1] == 2
    strings = np.array(["a", "b"])
    assert default_convert(strings) is strings
    p = default_convert(Point(np.zeros(1), 1))
    assert isinstance(p, Point) and isinstance(p.x, ember.Tensor)


def test_collate_with_custom_map():
    def collate_int(batch, *, collate_fn_map):
        return sum(batch)

    assert collate([1, 2, 3], collate_fn_map={int: collate_int}) == 6
    assert collate([(1, 2), (3, 4)], collate_fn_map={int: collate_int}) == [4, 6]
