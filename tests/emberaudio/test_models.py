"""emberaudio.models: shapes, layer references, one-batch overfitting, CTC decoding, hub."""

from __future__ import annotations

import numpy as np
import pytest

import ember
from ember import nn, optim
from emberaudio import models


def overfit(model: nn.Module, x: ember.Tensor, y: ember.Tensor, steps: int, lr: float) -> tuple:
    opt = optim.Adam(model.parameters(), lr=lr)
    first = None
    for _ in range(steps):
        loss = nn.functional.cross_entropy(model(x), y)
        first = float(loss) if first is None else first
        opt.zero_grad()
        loss.backward()
        opt.step()
    return first, float(loss)


def test_m5_shape_keys_and_overfit():
    model = models.M5(n_output=4, n_channel=8)
    assert model(ember.randn(3, 1, 8000)).shape == (3, 4)
    keys = set(model.state_dict())
    assert {"conv1.weight", "bn4.running_mean", "fc1.weight"} <= keys
    x, y = ember.randn(4, 1, 8000), ember.tensor([0, 1, 2, 3])
    first, last = overfit(model, x, y, 25, 1e-2)
    assert last < 0.2 * first


def test_conv_classifier_overfit_and_layer_reference():
    model = models.ConvClassifier(num_classes=3, n_mels=8, channels=(8, 8), kernel_sizes=(3, 3),
                                  strides=(1, 2), dropout=0.0)  # fmt: skip
    x = ember.randn(2, 8, 20)
    assert model(x).shape == (2, 3) and model(x[:, None]).shape == (2, 3)
    model.eval()
    conv = model.features[0][0]
    got = conv(x).detach().numpy()
    w = conv.weight.detach().numpy()
    xp = np.pad(x.numpy(), ((0, 0), (0, 0), (1, 1)))
    want = np.stack([np.einsum("ock,bck->bo", w, xp[:, :, t : t + 3]) for t in range(20)], -1)
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)
    model.train()
    first, last = overfit(model, ember.randn(6, 8, 20), ember.tensor([0, 1, 2, 0, 1, 2]), 30, 1e-2)
    assert last < 0.2 * first


def test_wav2letter_layout():
    model = models.Wav2Letter(num_classes=5, input_type="mfcc", num_features=13)
    out = model(ember.randn(2, 13, 50))
    assert out.shape == (2, 5, 26)
    np.testing.assert_allclose(out.exp().sum(1).detach().numpy(), 1.0, rtol=1e-5)
    keys = list(model.state_dict())
    assert keys[0] == "acoustic_model.0.weight" and len(keys) == 22
    with pytest.raises(ValueError, match="input_type"):
        models.Wav2Letter(input_type="text")


def test_greedy_ctc_decoder():
    probs = np.full((2, 7, 3), 0.01)
    for b, path in enumerate([[1, 1, 0, 1, 2, 2, 0], [0, 0, 2, 0, 2, 1, 1]]):
        probs[b, np.arange(7), path] = 0.98
    emission = ember.tensor(np.log(probs))
    assert models.ctc_greedy_decode(emission) == [[1, 1, 2], [2, 2, 1]]
    decoder = models.GreedyCTCDecoder(["-", "no", "yes"], separator=" ")
    assert decoder(emission) == ["no no yes", "yes yes no"]
    assert decoder(emission[0]) == ["no no yes"]


def test_conformer_masks_padding_and_learns_ctc():
    ember.manual_seed(0)
    conf = models.Conformer(16, num_heads=2, ffn_dim=32, num_layers=1, depthwise_conv_kernel_size=3)
    conf.eval()
    x = ember.randn(2, 10, 16)
    out, lengths = conf(x, ember.tensor([10, 6]))
    assert out.shape == (2, 10, 16) and lengths.tolist() == [10, 6]
    # attention ignores padded frames: changing them does not move the first 4 outputs, except
    # through the depthwise convolution's reach (kernel 3: one frame) at the boundary
    x2 = x.clone()
    x2[1, 6:] = 100.0
    out2, _ = conf(x2, ember.tensor([10, 6]))
    assert ember.allclose(out[1, :5], out2[1, :5], atol=1e-5)
    model = models.ConformerCTC(8, num_classes=3, d_model=16, num_heads=2, ffn_dim=32,
                                num_layers=1, kernel_size=3, dropout=0.0)  # fmt: skip
    feats = ember.randn(2, 8, 40)
    targets = ember.tensor([1, 2, 1, 2, 2])
    opt = optim.Adam(model.parameters(), lr=1e-2)
    losses = []
    for _ in range(40):
        logp, out_len = model(feats, ember.tensor([40, 32]))
        loss = nn.functional.ctc_loss(logp.transpose(0, 1), targets, out_len, ember.tensor([3, 2]))
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(float(loss))
    assert out_len.tolist() == [10, 8] and losses[-1] < 0.3 * losses[0]
    assert models.ctc_greedy_decode(logp[0, :10]) == [[1, 2, 1]]


def test_registered_in_hub():
    names = ember.hub.list_models(module=models)
    assert names == ["conformer_ctc", "conv_classifier", "m5", "wav2letter"]
    assert isinstance(ember.hub.get_model("m5", n_output=3), models.M5)
    with pytest.raises(ValueError, match="no pretrained"):
        models.m5(weights="DEFAULT")


def test_shipped_fsdd_weights_reach_their_metric(shared_data):
    from emberaudio.datasets import FSDD

    weights = models.ConvClassifier_Weights.DEFAULT
    model = models.conv_classifier(weights=weights).eval()
    preprocess = weights.transforms()
    test = FSDD(shared_data / "audio", split="test")
    items = [test[i] for i in range(len(test))]
    with ember.no_grad():
        x = ember.stack([preprocess(w, sr)[0] for w, sr, *_ in items])
        pred = model(x).argmax(1).numpy()
    acc = 100.0 * float((pred == np.array([item[2] for item in items])).mean())
    assert acc >= 95.0, acc
    assert weights.meta["num_params"] == sum(p.numel() for p in model.parameters())
