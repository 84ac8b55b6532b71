"""Every model registered in ``ember.hub`` exports to ONNX (small configurations), passes the checker,
matches ember in onnxruntime at two batch sizes, and round-trips through ``ember.onnx.load``."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np
import pytest

import ember
from ember import hub, nn
from tests.ember.onnx._check import batch_axes, export_and_compare, randomize


def _narrow_resnet(block: str, **kw: int) -> Callable[[], nn.Module]:
    def build() -> nn.Module:
        from embervision import models

        class Narrow(models.ResNet):
            def _make_layer(self, blk, planes, blocks, stride=1, dilate=False):
                if planes == 64:
                    self.inplanes = 8
                return super()._make_layer(blk, planes // 8, 1, stride, dilate)

        m = Narrow(getattr(models, block), [1, 1, 1, 1], num_classes=10, **kw)
        m.conv1 = nn.Conv2d(3, 8, kernel_size=7, stride=2, padding=3, bias=False)
        m.bn1 = nn.BatchNorm2d(8)
        m.fc = nn.Linear(m.fc.in_features // 8, 10)
        return m

    return build


def _shell(cls: type, features: nn.Module, pool: int, width: int) -> nn.Module:
    """A ``cls`` (VGG, AlexNet: ``features`` -> adaptive pool -> ``classifier``) with small
    parts: their constructors always draw the full 4096-wide classifier (over 100M weights)."""
    model = cls.__new__(cls)
    nn.Module.__init__(model)
    model.features = features
    model.avgpool = nn.AdaptiveAvgPool2d((pool, pool))
    model.classifier = nn.Sequential(
        nn.Dropout(), nn.Linear(width * pool * pool, 16), nn.ReLU(True), nn.Linear(16, 10)
    )
    return model


def _vgg(bn: bool) -> Callable[[], nn.Module]:
    def build() -> nn.Module:
        from embervision.models import VGG
        from embervision.models.vgg import make_layers

        return _shell(VGG, make_layers([8, "M", 16, "M"], batch_norm=bn), 7, 16)

    return build


def _alexnet() -> nn.Module:
    cls = hub.get_model_builder("alexnet").__globals__["AlexNet"]
    features = nn.Sequential(  # AlexNet's layers, 8x narrower
        nn.Conv2d(3, 8, 11, stride=4, padding=2),
        nn.ReLU(True),
        nn.MaxPool2d(3, 2),
        nn.Conv2d(8, 24, 5, padding=2),
        nn.ReLU(True),
        nn.MaxPool2d(3, 2),
        nn.Conv2d(24, 32, 3, padding=1),
        nn.ReLU(True),
        nn.Conv2d(32, 32, 3, padding=1),
        nn.ReLU(True),
        nn.MaxPool2d(3, 2),
    )
    return _shell(cls, features, 6, 32)


def _efficientnet() -> nn.Module:
    from embervision.models import EfficientNet
    from embervision.models.efficientnet import _b0_setting

    return EfficientNet(_b0_setting(0.25, 0.25), 0.2, num_classes=10)


def _vit() -> nn.Module:
    from embervision.models import VisionTransformer

    return VisionTransformer(16, 4, 1, 2, 16, 32, num_classes=10)


def _get(name: str, **kw) -> Callable[[], nn.Module]:
    return lambda: hub.get_model(name, **kw)


def _wav2letter() -> nn.Module:
    """Wav2Letter's layers (kernels, strides, paddings) with 250 and 2000 channels narrowed to 16
    and 32: its constructor has no width option and draws 23M weights (seconds)."""
    module = importlib.import_module("emberaudio.models.wav2letter")
    make, narrow = module._conv_relu, {250: 16, 2000: 32}

    def small(c_in: int, c_out: int, *rest: int) -> list[nn.Module]:
        return make(narrow.get(c_in, c_in), narrow.get(c_out, c_out), *rest)

    module._conv_relu = small
    try:
        return hub.get_model("wav2letter", num_classes=5, input_type="mfcc", num_features=13)
    finally:
        module._conv_relu = make


class _FirstOutput(nn.Module):
    """The CTC models return (log_probs, lengths); deployment exports the log-probs."""

    def __init__(self, model: nn.Module) -> None:
        super().__init__()
        self.model = model

    def forward(self, x):
        return self.model(x)[0]


def _conformer_log_probs() -> nn.Module:
    small = dict(num_features=16, d_model=16, num_heads=2, ffn_dim=32, num_layers=1, kernel_size=3)
    return _FirstOutput(hub.get_model("conformer_ctc", **small))


class _Ids(nn.Module):
    """Token-id models with extra arguments, called on a (batch, time) id tensor alone."""

    def __init__(self, model: nn.Module, kind: str) -> None:
        super().__init__()
        self.model, self.kind = model, kind

    def forward(self, ids):
        if self.kind == "lm":  # (time, batch) ids and a zero state, as the word LM example
            out, _ = self.model(ids.t(), self.model.init_hidden(ids.shape[0]))
            return out.transpose(0, 1)
        return self.model(ids)[0]


def _text(name: str, kind: str, **small) -> Callable[[], nn.Module]:
    return lambda: _Ids(hub.get_model(name, **small), kind)


def _ids(vocab: int, time: int) -> Callable[[int], ember.Tensor]:
    return lambda batch: ember.randint(1, vocab, (batch, time))


class _Feed(NamedTuple):
    """Several graph inputs: ``make(batch)`` gives them; names and dynamic axes to export."""

    make: Callable[[int], tuple[ember.Tensor, ...]]
    names: list[str]
    axes: dict[str, dict[int, str]]


def _bags(vocab: int) -> _Feed:
    """EmbeddingBag's inputs: the ids of all bags in a row and each bag's offset (bags of 0 to
    5 ids, a different draw for each batch size)."""

    def make(batch: int) -> tuple[ember.Tensor, ...]:
        sizes = np.random.default_rng(batch).integers(0, 6, batch)
        offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        return ember.randint(1, vocab, (int(sizes.sum()),)), ember.from_numpy(offsets)

    axes = {"text": {0: "tokens"}, "offsets": {0: "batch"}, "output_0": {0: "batch"}}
    return _Feed(make, ["text", "offsets"], axes)


def _padded(vocab: int, time: int) -> _Feed:
    """A padded (batch, time) id batch (zeros after each length) and the lengths."""

    def make(batch: int) -> tuple[ember.Tensor, ...]:
        lengths = np.random.default_rng(batch).integers(1, time + 1, batch)
        ids = np.random.default_rng(batch).integers(1, vocab, (batch, time))
        ids[np.arange(time)[None, :] >= lengths[:, None]] = 0
        return ember.from_numpy(ids), ember.from_numpy(lengths)

    axes = {"ids": {0: "batch", 1: "time"}, "lengths": {0: "batch"}, "output_0": {0: "batch"}}
    return _Feed(make, ["ids", "lengths"], axes)


# name -> (small builder, input shape, or a function of the batch size making the input, or a
# _Feed of several inputs). A newly registered model needs an entry here.
SMALL: dict[str, tuple[Callable[[], nn.Module], Any]] = {
    "lenet": (_get("lenet"), (2, 1, 28, 28)),
    "alexnet": (_alexnet, (2, 3, 64, 64)),
    "efficientnet_b0": (_efficientnet, (2, 3, 32, 32)),
    "mobilenet_v2": (_get("mobilenet_v2", width_mult=0.25, num_classes=10), (2, 3, 32, 32)),
    "mobilenet_v3_large": (
        _get("mobilenet_v3_large", width_mult=0.25, num_classes=10),
        (2, 3, 32, 32),
    ),
    "mobilenet_v3_small": (
        _get("mobilenet_v3_small", width_mult=0.25, num_classes=10),
        (2, 3, 32, 32),
    ),
    "vit_b_16": (_vit, (2, 3, 16, 16)),
    "vit_tiny": (
        _get("vit_tiny", num_layers=1, hidden_dim=48, mlp_dim=96, num_classes=4),
        (2, 3, 32, 32),
    ),
    **{n: (_narrow_resnet("BasicBlock"), (2, 3, 32, 32)) for n in ("resnet18", "resnet34")},
    **{
        n: (_narrow_resnet("Bottleneck"), (2, 3, 32, 32))
        for n in ("resnet50", "resnet101", "resnet152")
    },
    "resnext50_32x4d": (_narrow_resnet("Bottleneck", groups=4, width_per_group=16), (2, 3, 32, 32)),
    "wide_resnet50_2": (_narrow_resnet("Bottleneck", width_per_group=128), (2, 3, 32, 32)),
    # embertext
    "gpt": (
        _text("gpt", "first", vocab_size=40, block_size=16, n_layer=1, n_head=2, n_embd=16),
        _ids(40, 12),
    ),
    "bert_encoder": (
        _text(
            "bert_encoder",
            "first",
            vocab_size=40,
            hidden_size=16,
            num_hidden_layers=1,
            num_attention_heads=2,
            intermediate_size=32,
            max_position_embeddings=32,
        ),
        _ids(40, 12),
    ),
    "text_classifier": (
        _get("text_classifier", vocab_size=40, embed_dim=8, num_class=3),
        _bags(40),
    ),
    "rnn_classifier": (
        _get("rnn_classifier", vocab_size=40, embed_dim=8, hidden_size=8, num_class=3),
        _padded(40, 6),
    ),
    "rnn_lm": (_text("rnn_lm", "lm", ntoken=40, ninp=8, nhid=8, nlayers=1), _ids(40, 6)),
    # emberaudio
    "m5": (_get("m5", n_output=10, n_channel=8), (2, 1, 16000)),
    "wav2letter": (_wav2letter, (2, 13, 40)),
    "conv_classifier": (_get("conv_classifier", channels=(8, 8, 16, 16)), (2, 40, 32)),
    "conformer_ctc": (_conformer_log_probs, (2, 16, 24)),
    **{
        f"vgg{d}{s}": (vgg, (2, 3, 16, 16))
        for d in (11, 13, 16, 19)
        for s, vgg in (("", _vgg(False)), ("_bn", _vgg(True)))
    },
}


@pytest.mark.parametrize("name", hub.list_models())
def test_registered_model_exports_and_matches_onnxruntime(name: str):
    if name not in SMALL:
        pytest.fail(
            f"hub model {name!r} has no small export configuration: add "
            "(builder, input shape) to SMALL in tests/ember/onnx/test_hub_models.py"
        )
    build, shape = SMALL[name]
    ember.manual_seed(0)
    model = randomize(build())
    names, axes = ["x"], batch_axes("x", "output_0")
    if isinstance(shape, _Feed):  # several inputs: variable lengths at each batch size
        x, x2 = list(shape.make(2)), list(shape.make(3))
        names, axes = shape.names, shape.axes
    elif callable(shape):
        x, x2 = [shape(2)], [shape(3)]
    else:
        x, x2 = [ember.randn(*shape)], [ember.randn(shape[0] + 1, *shape[1:])]
    try:
        export_and_compare(model, x, x2, names, axes)
    except ember.onnx.ExportError as err:
        pytest.fail(f"hub model {name!r} does not export: {err}")
