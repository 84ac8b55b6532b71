"""ember.utils.data: RootDataset, StandardTransform, verify_str_arg and the combinators."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import ember
from ember.testing import domain
from ember.utils.data import RootDataset, StandardTransform, verify_str_arg
from ember.utils.data import transforms as T


class Lines(RootDataset):
    """A tiny real dataset: ``root/labels.csv`` rows of (text, label)."""

    def __init__(self, root, split="train", **kwargs):
        super().__init__(root, **kwargs)
        self.split = verify_str_arg(split, "split", ("train", "test"))
        path = Path(self.root) / f"{split}.csv"
        self.rows = [line.split(",") for line in path.read_text().splitlines()]

    def __getitem__(self, index):
        text, label = self.rows[index]
        return self.apply_transforms(text, int(label))

    def __len__(self):
        return len(self.rows)

    def extra_repr(self):
        return f"Split: {self.split}"


def _lines(tmp_path: Path) -> Path:
    domain.write_csv(tmp_path / "train.csv", [("a", 0), ("bb", 1), ("ccc", 0)])
    return tmp_path


def test_root_dataset_passes_the_contract_kit(tmp_path: Path):
    root = _lines(tmp_path)
    domain.check_dataset(lambda **kw: Lines(root, **kw), length=3)


def test_repr_has_torchvision_layout(tmp_path: Path):
    ds = Lines(_lines(tmp_path), transform=T.Lambda(str.upper))
    lines = repr(ds).splitlines()
    assert lines[:4] == [
        "Dataset Lines",
        "    Number of datapoints: 3",
        f"    Root location: {tmp_path}",
        "    Split: train",
    ]
    assert lines[4] == "    StandardTransform" and lines[5].startswith("Transform: Lambda(")
    assert ds[1] == ("BB", 1)


def test_transforms_and_separate_transforms_are_exclusive():
    with pytest.raises(ValueError, match="Only transforms or transform/target_transform"):
        RootDataset(transforms=lambda x, y: (x, y), target_transform=str)
    assert RootDataset("~/x").root.startswith(str(Path.home()))
    assert RootDataset().apply_transforms(1, 2) == (1, 2)
    with pytest.raises(NotImplementedError, match="RootDataset must implement __len__"):
        len(RootDataset())


def test_standard_transform_repr_indents_multiline_transforms():
    st = StandardTransform(T.Compose([T.Lambda(abs), T.Lambda(str)]), str)
    assert st(-3, 4) == ("3", "4")
    text = repr(st).splitlines()
    assert text[0] == "StandardTransform" and text[1] == "Transform: Compose("
    assert text[-1].startswith("Target transform: ")


def test_verify_str_arg_messages():
    assert verify_str_arg("a", "split", ["a", "b"]) == "a"
    with pytest.raises(
        ValueError, match=r"Unknown value 'c' for argument split\. Valid values are \{'a', 'b'\}"
    ):
        verify_str_arg("c", "split", ["a", "b"])
    with pytest.raises(ValueError, match="^use a or b$"):
        verify_str_arg("c", "split", ["a", "b"], custom_msg="use a or b")
    with pytest.raises(ValueError, match="Expected type str for argument split, but got type int"):
        verify_str_arg(3, "split")


def test_compose_and_multi_input_pipelines():
    c = T.Compose([T.Lambda(lambda x: x + 1), T.Lambda(lambda x: x * 2)])
    assert c(1) == 4
    swap = T.Compose([lambda x, y: (y, x), lambda x, y: (x * 10, y)])
    assert swap(1, 2) == (20, 1)
    with pytest.raises(TypeError, match="sequence of callables"):
        T.Compose(lambda x: x)


def test_random_apply_follows_the_seed_and_probability():
    t = T.RandomApply([T.Lambda(lambda x: x + 1)], p=0.3)
    ember.manual_seed(0)
    hits = sum(t(0) for _ in range(2000))
    # Binomial(2000, 0.3): sd = 20.5; six SDs either side
    assert abs(hits - 600) < 123
    ember.manual_seed(5)
    first = [t(0) for _ in range(20)]
    ember.manual_seed(5)
    assert [t(0) for _ in range(20)] == first
    with pytest.raises(ValueError, match="probability"):
        T.RandomApply([], p=1.5)


def test_random_choice_weights_and_random_order():
    t = T.RandomChoice([T.Lambda(lambda x: 0), T.Lambda(lambda x: 1)], p=[1, 3])
    ember.manual_seed(0)
    ones = sum(t(None) for _ in range(2000))
    assert abs(ones - 1500) < 6 * np.sqrt(2000 * 0.75 * 0.25)
    with pytest.raises(ValueError, match="p has 1 entries but there are 2"):
        T.RandomChoice([abs, abs], p=[1])
    order = T.RandomOrder([lambda s: s + "a", lambda s: s + "b"])
    ember.manual_seed(0)
    seen = {order("") for _ in range(50)}
    assert seen == {"ab", "ba"}


def test_lambda_types_and_structures():
    t = T.Lambda(lambda x: x * 2, int)
    assert t(3) == 6 and t(1.5) == 1.5
    assert t((1, [2, 2.5], {"k": 3})) == (2, [4, 2.5], {"k": 6})
    assert t(1, 2.0) == (2, 2.0)
    with pytest.raises(TypeError, match="lambd must be callable"):
        T.Lambda(3)


def test_embervision_reexports_the_core_combinators():
    from embervision import transforms as VT

    for name in ("Compose", "RandomApply", "RandomChoice", "RandomOrder"):
        assert getattr(VT, name) is getattr(T, name)
    assert issubclass(VT.Lambda, T.Lambda)
    # torchvision v2 rule kept: in a structured sample the label is not an image
    assert VT.Lambda(lambda x: x * 0)((ember.ones(2), 7))[1] == 7
