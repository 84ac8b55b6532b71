"""ember.testing.domain: the fake-file writers read back, and each contract check passes on a
conforming object and fails on a broken one."""

from __future__ import annotations

import csv
import gzip
import wave
from pathlib import Path

import numpy as np
import pytest

import ember
from ember import hub, nn
from ember.testing import domain
from ember.utils.data import RootDataset


def test_write_idx_round_trip(tmp_path: Path):
    arr = np.arange(24, dtype=np.uint8).reshape(2, 3, 4)
    raw = domain.write_idx(tmp_path / "a-idx3-ubyte.gz", arr).read_bytes()
    raw = gzip.decompress(raw)
    assert raw[:4] == b"\x00\x00\x08\x03"
    dims = np.frombuffer(raw, ">u4", 3, 4)
    np.testing.assert_array_equal(np.frombuffer(raw, np.uint8, offset=16).reshape(dims), arr)
    f = np.linspace(0, 1, 5, dtype=np.float32)
    raw = domain.write_idx(tmp_path / "f-idx1", f).read_bytes()
    assert raw[2] == 0x0D and np.allclose(np.frombuffer(raw, ">f4", offset=8), f)
    with pytest.raises(ValueError, match="no code for dtype"):
        domain.write_idx(tmp_path / "x", np.zeros(2, np.uint32))


def test_write_wav_csv_lines_and_images(tmp_path: Path):
    t = np.linspace(0, 1, 800, dtype=np.float32)
    wav = np.stack([np.sin(40 * t), 0.5 * np.cos(40 * t)])
    path = domain.write_wav(tmp_path / "a.wav", wav, sample_rate=8000)
    with wave.open(str(path)) as f:
        assert (f.getnchannels(), f.getframerate(), f.getnframes(), f.getsampwidth()) == (
            2,
            8000,
            800,
            2,
        )
        frames = np.frombuffer(f.readframes(800), "<i2").reshape(800, 2).T / 32767
    np.testing.assert_allclose(frames, wav, atol=1e-4)
    rows = [("x, y", 1), ('say "hi"', 2)]
    with open(domain.write_csv(tmp_path / "t.csv", rows, header=("text", "label"))) as fh:
        assert list(csv.reader(fh)) == [["text", "label"], ["x, y", "1"], ['say "hi"', "2"]]
    assert domain.write_lines(tmp_path / "v.txt", ["a", "é"]).read_text("utf-8") == "a\né\n"
    pytest.importorskip("PIL")
    files = domain.write_image_folder(tmp_path / "img", ["b", "a"], per_class=2, size=(5, 3))
    assert [(p.parent.name, c) for p, c in files] == [("b", 0), ("b", 0), ("a", 1), ("a", 1)]
    from PIL import Image

    with Image.open(files[0][0]) as im:
        assert im.size == (5, 3) and im.mode == "RGB"


# ------------------------------------------------------------------------ check_dataset ---


class Good(RootDataset):
    def __init__(self, root=None, **kw):
        super().__init__(root, **kw)
        self.data = [(i * 1.5, i % 2) for i in range(4)]

    def __getitem__(self, i):
        return self.apply_transforms(*self.data[i])

    def __len__(self):
        return len(self.data)


class IgnoresTargetTransform(Good):
    def __getitem__(self, i):
        x, y = self.data[i]
        return (self.transform(x) if self.transform else x), y


class NoIndexError(Good):
    def __getitem__(self, i):
        return self.apply_transforms(*self.data[i % 4])


def test_check_dataset_accepts_a_good_dataset(tmp_path: Path):
    domain.check_dataset(lambda **kw: Good(tmp_path, **kw), length=4)


@pytest.mark.parametrize(
    "cls,message",
    [(IgnoresTargetTransform, "target_transform"), (NoIndexError, "IndexError")],
)
def test_check_dataset_catches_broken_datasets(cls, message):
    with pytest.raises(AssertionError, match=message):
        domain.check_dataset(lambda **kw: cls(**kw))


def test_check_dataset_catches_wrong_length_and_repr():
    with pytest.raises(AssertionError, match="expected 5"):
        domain.check_dataset(lambda **kw: Good(**kw), length=5)

    class BadRepr(Good):
        def __repr__(self):
            return "Good()"

    with pytest.raises(AssertionError, match="repr starts"):
        domain.check_dataset(lambda **kw: BadRepr(**kw))


# ---------------------------------------------------------------------- check_transform ---


class Jitter(nn.Module):
    """Adds one random offset per call (the batch-friendly rule)."""

    def forward(self, x):
        return x + ember.rand(1)


class PerItemNoise(nn.Module):
    """Draws noise of the input's shape: a batch does not match its items."""

    def forward(self, x):
        return x + ember.rand(*x.shape)


class Unseeded(nn.Module):
    def __init__(self):
        super().__init__()
        self.rng = np.random.default_rng()

    def forward(self, x):
        return x + float(self.rng.random())


def test_check_transform():
    xs = [ember.randn(3, 4) for _ in range(3)]
    domain.check_transform(Jitter(), xs)
    domain.check_transform(nn.Tanh(), xs)
    domain.check_transform(PerItemNoise(), xs, batched=False)
    with pytest.raises(AssertionError, match="batched result differs"):
        domain.check_transform(PerItemNoise(), xs)
    with pytest.raises(AssertionError, match="not deterministic under a seed"):
        domain.check_transform(Unseeded(), xs)


# --------------------------------------------------------------------------- check_model ---


class Frozen(nn.Module):
    """Its output ignores its parameter: cannot overfit."""

    def __init__(self):
        super().__init__()
        self.w = nn.Parameter(ember.randn(2))

    def forward(self, x):
        return x[:, :2] + 0 * self.w


class ForgetsBuffer(nn.Module):
    """Keeps a value outside the state dict: a round trip changes its output."""

    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(3, 2)
        self.shift = float(ember.randn(1).item())

    def forward(self, x):
        return self.lin(x) + self.shift


def test_check_model():
    x = ember.randn(6, 3)
    y = ember.tensor([0, 1, 0, 1, 1, 0])
    domain.check_model(lambda: nn.Linear(3, 2), x, y, steps=40, lr=0.1)
    domain.check_model(lambda: nn.Linear(3, 1), x, None, steps=40, lr=0.1)
    with pytest.raises(AssertionError, match="could not overfit"):
        domain.check_model(Frozen, x, y)
    with pytest.raises(AssertionError, match="outputs differ after loading"):
        domain.check_model(ForgetsBuffer, x, y)


# ------------------------------------------------------------------------- check_weights ---


class Kit_Weights(hub.WeightsEnum):
    V1 = hub.Weights(
        "https://example.org/kit-0123abcd.ember",
        None,
        {"categories": ["a", "b"], "num_params": 8, "_metrics": {"Toy": {"acc@1": 90.0}}},
    )
    DEFAULT = V1


class KitNoHash_Weights(hub.WeightsEnum):
    V1 = hub.Weights("https://example.org/kit.ember", None, {})
    DEFAULT = V1


class KitNoDefault_Weights(hub.WeightsEnum):
    V1 = hub.Weights(None, None, {"categories": []}, file="pkg/kit.ember")


def test_check_weights():
    domain.check_weights(Kit_Weights)
    domain.check_weights(Kit_Weights.V1)
    with pytest.raises(AssertionError, match="needs a sha256"):
        domain.check_weights(KitNoHash_Weights)
    with pytest.raises(AssertionError, match="no DEFAULT"):
        domain.check_weights(KitNoDefault_Weights)
    with pytest.raises(AssertionError, match="bad categories"):
        domain.check_weights(KitNoDefault_Weights.V1)


# ---------------------------------------------------------------- check_hub_registration ---


def test_check_hub_registration_on_a_toy_domain(registry):
    @hub.register_model(domain="kitdomain")
    def kit_net(*, weights=None, progress=True):
        return nn.Linear(2, 2)

    domain.check_hub_registration("kitdomain", build=["kit_net"])

    @hub.register_model(domain="kitdomain")
    def kit_bad(weights=None):
        return nn.Linear(2, 2)

    with pytest.raises(AssertionError, match="keyword-only weights"):
        domain.check_hub_registration("kitdomain")
    with pytest.raises(AssertionError, match="not in"):
        domain.check_hub_registration("nodomain")
