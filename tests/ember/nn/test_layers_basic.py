"""Layers and nn.functional (non-loss) against stored PyTorch values, gradchecks and modules."""

from __future__ import annotations

import numpy as np
import pytest

import ember
import ember.nn.functional as F
from ember import nn
from tests.ember.nn.fixtures import reference

LOSS_FNS = {r["fn"] for r in reference.cases() if r["fn"].endswith("loss") or r["fn"] in (
    "cross_entropy", "binary_cross_entropy", "binary_cross_entropy_with_logits", "kl_div")}
LAYER_CASES = reference.cases(exclude=LOSS_FNS)


@pytest.mark.parametrize("record", LAYER_CASES, ids=[r["name"] for r in LAYER_CASES])
def test_functional_matches_pytorch(record, device):
    reference.replay(record, device)


# -- module structure against PyTorch --------------------------------------------------------------
import json  # noqa: E402
from collections import OrderedDict  # noqa: E402

MANIFEST = json.loads((reference.HERE / "module_manifest.json").read_text())


@pytest.mark.parametrize("record", MANIFEST, ids=[r["expr"] for r in MANIFEST])
def test_state_dict_keys_and_repr_match_pytorch(record):
    m = eval(record["expr"], {"nn": nn, "torch": ember, "OrderedDict": OrderedDict})
    assert list(m.state_dict()) == record["keys"]
    assert [n for n, _ in m.named_parameters()] == record["params"]
    assert [n for n, _ in m.named_buffers()] == record["buffers"]
    assert repr(m) == record["repr"].replace("torch.", "ember.")


def _runs():
    with np.load(reference.HERE / "module_runs.npz") as data:
        return {k: data[k] for k in data.files}


@pytest.mark.parametrize("tag, ctor", [
    ("bn_cma", lambda: nn.BatchNorm1d(3, momentum=None)),
    ("bn_2d", lambda: nn.BatchNorm2d(3, momentum=0.3)),
    ("in_track", lambda: nn.InstanceNorm1d(3, affine=True, track_running_stats=True)),
])
def test_running_statistics_match_pytorch(tag, ctor):
    runs = _runs()
    m = ctor().double()
    m.load_state_dict({"weight": ember.tensor(runs[f"{tag}/weight"]),
                       "bias": ember.tensor(runs[f"{tag}/bias"])}, strict=False)
    for step in range(3):
        y = m(ember.tensor(runs[f"{tag}/x{step}"]))
        np.testing.assert_allclose(y.detach().numpy(), runs[f"{tag}/y{step}"], rtol=1e-7,
                                   atol=1e-9)
    np.testing.assert_allclose(m.running_mean.numpy(), runs[f"{tag}/running_mean"], rtol=1e-7)
    np.testing.assert_allclose(m.running_var.numpy(), runs[f"{tag}/running_var"], rtol=1e-7)
    assert m.num_batches_tracked.item() == int(runs[f"{tag}/num_batches_tracked"])
    m.eval()
    y = m(ember.tensor(runs[f"{tag}/x_eval"]))
    np.testing.assert_allclose(y.detach().numpy(), runs[f"{tag}/y_eval"], rtol=1e-7, atol=1e-9)


def test_batchnorm_no_running_stats_uses_batch_stats_in_eval():
    bn = nn.BatchNorm1d(2, track_running_stats=False).eval()
    y = bn(ember.tensor([[1.0, 2.0], [3.0, 6.0]]))
    np.testing.assert_allclose(y.detach().numpy(), [[-1, -1], [1, 1]], atol=1e-4)


def test_batchnorm_errors():
    with pytest.raises(ValueError, match="more than 1 value per channel"):
        nn.BatchNorm1d(3)(ember.ones(1, 3))
    with pytest.raises(ValueError, match="expected 4D input"):
        nn.BatchNorm2d(3)(ember.ones(2, 3))


def test_old_batchnorm_checkpoint_without_num_batches_tracked_loads():
    bn = nn.BatchNorm1d(2)
    sd = {k: v for k, v in bn.state_dict().items() if k != "num_batches_tracked"}
    assert bn.load_state_dict(sd).missing_keys == []


# -- gradients of the primitives and composites -------------------------------------------------
def _t(a, grad=True):
    return ember.tensor(np.asarray(a, dtype=np.float64), requires_grad=grad)


GRAD_CASES = {
    "linear": (lambda x, w, b: F.linear(x, w, b), lambda r: (r.standard_normal((2, 3, 4)),
                                                             r.standard_normal((5, 4)),
                                                             r.standard_normal(5))),
    "batch_norm_train": (lambda x, w, b: F.batch_norm(x, None, None, w, b, training=True),
                         lambda r: (r.standard_normal((4, 3, 2)), r.standard_normal(3),
                                    r.standard_normal(3))),
    "batch_norm_eval": (lambda x, w, b: F.batch_norm(x, ember.zeros(3, dtype=ember.float64) + 0.1,
                                                     ember.ones(3, dtype=ember.float64) * 2, w, b),
                        lambda r: (r.standard_normal((4, 3)), r.standard_normal(3),
                                   r.standard_normal(3))),
    "layer_norm": (lambda x, w, b: F.layer_norm(x, (2, 3), w, b),
                   lambda r: (r.standard_normal((2, 2, 3)), r.standard_normal((2, 3)),
                              r.standard_normal((2, 3)))),
    "layer_norm_plain": (lambda x: F.layer_norm(x, (4,)), lambda r: (r.standard_normal((3, 4)),)),
    "group_norm": (lambda x, w, b: F.group_norm(x, 2, w, b),
                   lambda r: (r.standard_normal((2, 4, 3)), r.standard_normal(4),
                              r.standard_normal(4))),
    "instance_norm": (lambda x: F.instance_norm(x), lambda r: (r.standard_normal((2, 2, 4)),)),
    "rms_norm": (lambda x, w: F.rms_norm(x, (3,), w), lambda r: (r.standard_normal((2, 3)),
                                                                  r.standard_normal(3))),
    "bilinear": (lambda a, b, w: F.bilinear(a, b, w), lambda r: (r.standard_normal((2, 3)),
                                                                  r.standard_normal((2, 2)),
                                                                  r.standard_normal((2, 3, 2)))),
    "embedding": (lambda w: F.embedding(ember.tensor([[0, 2], [2, 1]]), w),
                  lambda r: (r.standard_normal((3, 2)),)),
    "embedding_bag_max": (lambda w: F.embedding_bag(ember.tensor([0, 2, 1, 1]), w,
                                                    ember.tensor([0, 2]), mode="max"),
                          lambda r: (r.standard_normal((3, 2)),)),
    "gelu": (lambda x: F.gelu(x), lambda r: (r.standard_normal((3, 2)),)),
    "mish": (lambda x: F.mish(x), lambda r: (r.standard_normal((3, 2)),)),
    "cosine_similarity": (lambda a, b: F.cosine_similarity(a, b),
                          lambda r: (r.standard_normal((2, 3)), r.standard_normal((2, 3)))),
    "local_response_norm": (lambda x: F.local_response_norm(x, 3),
                            lambda r: (r.standard_normal((1, 4, 2)),)),
}


@pytest.mark.parametrize("name", sorted(GRAD_CASES))
def test_gradcheck_and_gradgradcheck(name):
    fn, make = GRAD_CASES[name]
    args = [_t(a) for a in make(np.random.default_rng(5))]
    assert ember.autograd.gradcheck(fn, args)
    assert ember.autograd.gradgradcheck(fn, args)


def test_norm_affine_fast_and_recorded_backward_agree():
    rng = np.random.default_rng(2)
    x, w, b = (_t(a) for a in (rng.standard_normal((5, 3, 2)), rng.standard_normal(3),
                               rng.standard_normal(3)))
    cot = ember.tensor(rng.standard_normal((5, 3, 2)))
    y = F.batch_norm(x, None, None, w, b, training=True)
    fast = ember.autograd.grad((y * cot).sum(), (x, w, b))
    y = F.batch_norm(x, None, None, w, b, training=True)
    slow = ember.autograd.grad((y * cot).sum(), (x, w, b), create_graph=True)
    for f, s in zip(fast, slow):
        np.testing.assert_allclose(f.numpy(), s.detach().numpy(), rtol=1e-10, atol=1e-12)


def test_layer_norm_inplace_change_of_output_is_caught():
    x = _t(np.random.default_rng(0).standard_normal((2, 4)))
    y = F.layer_norm(x, (4,))
    y.mul_(2)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()


# -- layers' behaviour --------------------------------------------------------------------------
def test_linear_float32_and_shapes():
    lin = nn.Linear(4, 3)
    x = ember.randn(2, 5, 4)
    y = lin(x)
    assert y.shape == ember.Size([2, 5, 3]) and y.dtype == ember.float32
    want = x.numpy() @ lin.weight.detach().numpy().T + lin.bias.detach().numpy()
    np.testing.assert_allclose(y.detach().numpy(), want, rtol=1e-5, atol=1e-6)
    with pytest.raises(RuntimeError, match="shapes cannot be multiplied"):
        lin(ember.randn(2, 5))


def test_flatten_unflatten_identity():
    x = ember.randn(2, 3, 4, 5)
    assert nn.Flatten()(x).shape == ember.Size([2, 60])
    assert nn.Flatten(0, 2)(x).shape == ember.Size([24, 5])
    assert nn.Unflatten(1, (3, 20))(nn.Flatten()(x)).shape == ember.Size([2, 3, 20])
    assert nn.Identity(3, foo=1)(x) is x


def test_dropout_statistics_and_modes():
    x = ember.ones(200, 500)
    drop = nn.Dropout(0.3)
    y = drop(x).numpy()
    kept = y != 0
    assert abs(kept.mean() - 0.7) < 0.01
    np.testing.assert_allclose(y[kept], 1 / 0.7, rtol=1e-6)
    assert drop.eval()(x) is x
    assert float(F.dropout(x, 1.0).sum()) == 0.0
    with pytest.raises(ValueError):
        nn.Dropout(1.5)
    y2 = F.dropout2d(ember.ones(50, 40, 3, 3), 0.5).numpy()
    per_channel = y2.reshape(50, 40, 9)
    assert ((per_channel == 0).all(-1) | (per_channel == 2).all(-1)).all()


def test_dropout_gradient_uses_mask():
    x = ember.ones(1000, requires_grad=True)
    y = F.dropout(x, 0.5)
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), y.detach().numpy())


def test_alpha_dropout_keeps_mean_and_variance():
    x = ember.randn(400, 500)
    y = F.alpha_dropout(x, 0.2, training=True).numpy()
    assert abs(y.mean()) < 0.02 and abs(y.std() - 1) < 0.02


def test_embedding_module_padding_and_pretrained():
    emb = nn.Embedding(5, 3, padding_idx=-1)
    assert emb.padding_idx == 4 and float(emb.weight[4].abs().sum()) == 0.0
    out = emb(ember.tensor([[4, 1]]))
    out.sum().backward()
    assert float(emb.weight.grad[4].abs().sum()) == 0.0
    np.testing.assert_allclose(emb.weight.grad[1].numpy(), np.ones(3))
    pre = nn.Embedding.from_pretrained(ember.eye(3), freeze=False)
    assert pre.weight.requires_grad and pre(ember.tensor([1])).tolist() == [[0.0, 1.0, 0.0]]
    with pytest.raises(IndexError):
        emb(ember.tensor([5]))
    with pytest.raises(RuntimeError, match="Long, Int"):
        emb(ember.tensor([1.0]))


def test_embedding_max_norm_renormalises_rows_in_place():
    w = ember.tensor([[3.0, 4.0], [0.3, 0.4], [6.0, 8.0]])
    emb = nn.Embedding.from_pretrained(w, max_norm=1.0)
    emb(ember.tensor([0, 1]))
    norms = np.linalg.norm(emb.weight.detach().numpy(), axis=1)
    np.testing.assert_allclose(norms, [1.0, 0.5, 10.0], rtol=1e-5)


def test_embedding_bag_module_matches_manual():
    bag = nn.EmbeddingBag(6, 2, mode="mean")
    idx = ember.tensor([[0, 1, 2], [3, 4, 5]])
    w = bag.weight.detach().numpy()
    np.testing.assert_allclose(bag(idx).detach().numpy(),
                               [w[:3].mean(0), w[3:].mean(0)], rtol=1e-6)


def test_prelu_learns_per_channel_slope():
    m = nn.PReLU(2)
    y = m(ember.tensor([[-1.0, -2.0]]))
    np.testing.assert_allclose(y.detach().numpy(), [[-0.25, -0.5]])
    y.sum().backward()
    np.testing.assert_allclose(m.weight.grad.numpy(), [-1.0, -2.0])


def test_activation_modules_call_functional():
    x = ember.randn(3, 4)
    pairs = [(nn.ReLU(), F.relu), (nn.GELU("tanh"), lambda t: F.gelu(t, approximate="tanh")),
             (nn.Softplus(2.0, 5.0), lambda t: F.softplus(t, 2.0, 5.0)),
             (nn.LeakyReLU(0.2), lambda t: F.leaky_relu(t, 0.2)), (nn.Softmax(1),
                                                                   lambda t: F.softmax(t, 1)),
             (nn.Hardtanh(-2, 2), lambda t: F.hardtanh(t, -2, 2)), (nn.SiLU(), F.silu)]
    for mod, fn in pairs:
        np.testing.assert_allclose(mod(x).numpy(), fn(x).numpy())


def test_inplace_relu_modifies_input():
    x = ember.tensor([-1.0, 2.0])
    y = nn.ReLU(inplace=True)(x)
    assert y is x and x.tolist() == [0.0, 2.0]


def test_softmax_implicit_dim_warns():
    with pytest.warns(UserWarning, match="Implicit dimension"):
        F.softmax(ember.ones(2, 3))


def test_one_hot_errors():
    assert F.one_hot(ember.tensor([2, 0])).shape == ember.Size([2, 3])
    with pytest.raises(RuntimeError):
        F.one_hot(ember.tensor([1.0]))
    with pytest.raises(RuntimeError, match="smaller than num_classes"):
        F.one_hot(ember.tensor([3]), 2)


def test_glu_odd_dim_raises():
    with pytest.raises(RuntimeError, match="even"):
        F.glu(ember.ones(2, 3))


def test_layer_norm_shape_error():
    with pytest.raises(RuntimeError, match="normalized_shape"):
        F.layer_norm(ember.ones(2, 3), (4,))


def test_norm_layers_float32_stay_float32():
    x = ember.randn(4, 6, 5)
    for m in (nn.BatchNorm1d(6), nn.LayerNorm(5), nn.GroupNorm(3, 6), nn.InstanceNorm1d(6),
              nn.RMSNorm(5)):
        assert m(x).dtype == ember.float32
