"""Module machinery: registration, iteration, state dicts, hooks, conversion and containers."""

from __future__ import annotations

import copy
import pickle
from collections import OrderedDict

import numpy as np
import pytest

import ember
from ember import nn


class Net(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.fc1 = nn.Linear(4, 3)
        self.act = nn.ReLU() if hasattr(nn, "ReLU") else nn.Identity()
        self.head = nn.Sequential(nn.Identity(), nn.Linear(3, 2))
        self.register_buffer("steps", ember.zeros(1))
        self.register_buffer("scratch", ember.zeros(2), persistent=False)

    def forward(self, x):
        return self.head(self.act(self.fc1(x)))


def _arrays(module: nn.Module) -> dict[str, np.ndarray]:
    return {k: v.numpy().copy() for k, v in module.state_dict().items()}


def test_registration_by_assignment():
    net = Net()
    assert [n for n, _ in net.named_parameters()] == [
        "fc1.weight", "fc1.bias", "head.1.weight", "head.1.bias"]
    assert [n for n, _ in net.named_buffers()] == ["steps", "scratch"]
    assert [n for n, _ in net.named_children()] == ["fc1", "act", "head"]
    assert [n for n, _ in net.named_modules()] == ["", "fc1", "act", "head", "head.0", "head.1"]
    assert isinstance(net.fc1.weight, nn.Parameter)


def test_state_dict_keys_match_pytorch_order():
    # PyTorch: own parameters, own persistent buffers, then children in registration order.
    assert list(Net().state_dict()) == [
        "steps", "fc1.weight", "fc1.bias", "head.1.weight", "head.1.bias"]


def test_state_dict_prefix_keep_vars_and_sharing():
    net = Net()
    sd = net.state_dict(prefix="model.")
    assert list(sd)[0] == "model.steps"
    assert not sd["model.fc1.weight"].requires_grad
    assert sd["model.fc1.weight"]._data is net.fc1.weight._data
    kept = net.state_dict(keep_vars=True)
    assert kept["fc1.weight"] is net.fc1.weight


def test_reassign_and_delete():
    net = Net()
    net.fc1 = nn.Linear(4, 3, bias=False)
    assert "fc1.bias" not in net.state_dict()
    net.fc1.bias = None
    with pytest.raises(TypeError):
        net.fc1.weight = ember.zeros(3, 4)  # a plain tensor cannot replace a parameter
    net.steps = ember.ones(1)
    assert net._buffers["steps"].tolist() == [1.0]
    del net.head
    assert "head" not in dict(net.named_children())
    with pytest.raises(AttributeError):
        _ = net.head


def test_register_errors():
    m = nn.Module()
    with pytest.raises(KeyError):
        m.register_buffer("a.b", ember.zeros(1))
    with pytest.raises(TypeError):
        m.register_parameter("w", ember.zeros(1))
    with pytest.raises(TypeError):
        m.add_module("x", 3)
    x = ember.ones(2, requires_grad=True)
    with pytest.raises(ValueError):
        m.register_parameter("w", nn.Parameter(x * 2) if False else _non_leaf_param(x))


def _non_leaf_param(x):
    p = nn.Parameter(ember.zeros(2))
    p.grad_fn = (x * 2).grad_fn
    return p


def test_buffer_class_registers():
    m = nn.Module()
    m.count = nn.Buffer(ember.zeros(1))
    m.tmp = nn.Buffer(ember.zeros(1), persistent=False)
    assert list(m.state_dict()) == ["count"]
    assert [n for n, _ in m.named_buffers()] == ["count", "tmp"]


def test_load_state_dict_roundtrip_and_result():
    a, b = Net(), Net()
    res = b.load_state_dict(a.state_dict())
    assert res.missing_keys == [] and res.unexpected_keys == []
    assert repr(res) == "<All keys matched successfully>"
    for k, v in _arrays(a).items():
        np.testing.assert_array_equal(v, _arrays(b)[k])


def test_failed_load_leaves_model_unchanged():
    a, b = Net(), Net()
    before = _arrays(b)
    bad = OrderedDict(a.state_dict())
    bad["fc1.weight"] = ember.zeros(3, 3)
    bad["bogus"] = ember.zeros(1)
    del bad["head.1.bias"]
    with pytest.raises(RuntimeError) as err:
        b.load_state_dict(bad)
    msg = str(err.value)
    assert msg.startswith("Error(s) in loading state_dict for Net:\n\t")
    assert 'Missing key(s) in state_dict: "head.1.bias".' in msg
    assert 'Unexpected key(s) in state_dict: "bogus".' in msg
    assert "size mismatch for fc1.weight: copying a param with shape" in msg
    for k, v in _arrays(b).items():
        np.testing.assert_array_equal(v, before[k])


def test_size_mismatch_raises_even_when_not_strict():
    a, b = nn.Linear(3, 2), nn.Linear(3, 2)
    before = _arrays(b)
    sd = {"weight": ember.zeros(2, 2), "bias": ember.zeros(2)}
    with pytest.raises(RuntimeError, match="size mismatch for weight"):
        b.load_state_dict(sd, strict=False)
    np.testing.assert_array_equal(before["bias"], b.bias.detach().numpy())
    res = b.load_state_dict({"weight": a.weight.detach(), "extra": ember.zeros(1)}, strict=False)
    assert res.missing_keys == ["bias"] and res.unexpected_keys == ["extra"]
    np.testing.assert_array_equal(a.weight.detach().numpy(), b.weight.detach().numpy())


def test_load_copies_into_same_parameter_and_assign_replaces():
    a, b = nn.Linear(3, 2), nn.Linear(3, 2)
    w = b.weight
    b.load_state_dict(a.state_dict())
    assert b.weight is w and b.weight.requires_grad
    b.load_state_dict({"weight": ember.ones(2, 3), "bias": ember.ones(2)}, assign=True)
    assert b.weight is not w and isinstance(b.weight, nn.Parameter) and b.weight.requires_grad
    assert b.weight.tolist() == [[1.0] * 3] * 2


def test_load_casts_dtype():
    b = nn.Linear(2, 1)
    b.load_state_dict({"weight": ember.ones(1, 2, dtype=ember.float64), "bias": ember.zeros(1)})
    assert b.weight.dtype == ember.float32 and b.weight.tolist() == [[1.0, 1.0]]


def test_extra_state_roundtrip():
    class WithExtra(nn.Module):
        def __init__(self):
            super().__init__()
            self.value = 1

        def get_extra_state(self):
            return {"value": self.value}

        def set_extra_state(self, state):
            self.value = state["value"]

    a, b = WithExtra(), WithExtra()
    a.value = 7
    sd = a.state_dict()
    assert list(sd) == ["_extra_state"]
    b.load_state_dict(sd)
    assert b.value == 7


def test_train_eval_requires_grad_zero_grad():
    net = Net()
    assert net.training and net.head[1].training
    net.eval()
    assert not net.training and not net.head[1].training
    with pytest.raises(ValueError):
        net.train("yes")
    net.train()
    net(ember.randn(2, 4)).sum().backward()
    assert all(p.grad is not None for p in net.parameters())
    net.zero_grad(set_to_none=False)
    assert all(float(p.grad.abs().sum()) == 0.0 for p in net.parameters())
    net.zero_grad()
    assert all(p.grad is None for p in net.parameters())
    net.requires_grad_(False)
    assert not any(p.requires_grad for p in net.parameters())


def test_to_and_float_casts_keep_parameter_identity():
    net = Net()
    w = net.fc1.weight
    net.double()
    assert net.fc1.weight is w and w.dtype == ember.float64 and net.steps.dtype == ember.float64
    net.to(ember.float32)
    assert w.dtype == ember.float32
    net.to("cpu")
    net.half().float()
    assert w.dtype == ember.float32
    with pytest.raises(TypeError):
        net.to(ember.int64)


def test_apply_and_get_submodule():
    net = Net()
    seen = []
    net.apply(lambda m: seen.append(type(m).__name__))
    assert seen[-1] == "Net" and seen.count("Linear") == 2
    assert net.get_submodule("head.1") is net.head[1]
    assert net.get_parameter("head.1.bias") is net.head[1].bias
    assert net.get_buffer("steps") is net.steps
    with pytest.raises(AttributeError):
        net.get_submodule("head.9")


def test_shared_parameters_listed_once():
    lin = nn.Linear(2, 2)
    net = nn.Sequential(lin, lin)
    assert len(list(net.parameters())) == 2
    names = [n for n, _ in net.named_parameters(remove_duplicate=False)]
    assert names == ["0.weight", "0.bias", "1.weight", "1.bias"]
    assert list(net.state_dict()) == names


def test_forward_hooks():
    lin = nn.Linear(2, 2)
    calls = []
    h1 = lin.register_forward_pre_hook(lambda m, args: (args[0] * 0,))
    h2 = lin.register_forward_hook(lambda m, args, out: calls.append(out.shape))
    out = lin(ember.ones(3, 2))
    np.testing.assert_allclose(out.detach().numpy(), np.broadcast_to(lin.bias.detach().numpy(),
                                                                      (3, 2)))
    assert calls == [ember.Size([3, 2])]
    h1.remove()
    h2.remove()
    lin(ember.ones(1, 2))
    assert len(calls) == 1


def test_forward_hooks_with_kwargs_and_prepend():
    m = nn.Identity()
    order = []
    m.register_forward_hook(lambda mod, a, k, out: order.append("a"), with_kwargs=True)
    m.register_forward_hook(lambda mod, a, out: order.append("b"), prepend=True)
    m(ember.ones(1))
    assert order == ["b", "a"]


def test_full_backward_hook_sees_and_replaces_grads():
    lin = nn.Linear(3, 2)
    seen = {}

    def hook(mod, grad_input, grad_output):
        seen["gi"], seen["go"] = grad_input, grad_output
        return (grad_input[0] * 2,)

    h = lin.register_full_backward_hook(hook)
    x = ember.randn(4, 3, requires_grad=True)
    lin(x).sum().backward()
    np.testing.assert_allclose(seen["go"][0].numpy(), np.ones((4, 2)))
    np.testing.assert_allclose(seen["gi"][0].numpy(), np.ones((4, 2)) @ lin.weight.detach().numpy(),
                               rtol=1e-6)
    np.testing.assert_allclose(x.grad.numpy(), 2 * seen["gi"][0].numpy())
    h.remove()


def test_repr_like_pytorch():
    net = Net()
    text = repr(net)
    assert text.startswith("Net(\n  (fc1): Linear(in_features=4, out_features=3, bias=True)\n")
    assert "  (head): Sequential(\n    (0): Identity()\n    (1): Linear(" in text
    assert repr(nn.Sequential()) == "Sequential()"


def test_pickle_and_deepcopy():
    net = Net()
    net2 = pickle.loads(pickle.dumps(net))
    assert isinstance(net2.fc1.weight, nn.Parameter) and net2.fc1.weight.requires_grad
    for k, v in _arrays(net).items():
        np.testing.assert_array_equal(v, _arrays(net2)[k])
    net3 = copy.deepcopy(net)
    assert net3.fc1.weight is not net.fc1.weight
    x = ember.randn(2, 4)
    np.testing.assert_allclose(net(x).detach().numpy(), net3(x).detach().numpy())


def test_dir_lists_members():
    names = dir(Net())
    assert {"fc1", "steps", "forward"} <= set(names)


def test_share_memory_calls_tensor_share_memory(monkeypatch):
    calls = []
    monkeypatch.setattr(ember.Tensor, "share_memory_", lambda self: calls.append(1) or self,
                        raising=False)
    net = nn.Linear(2, 2)
    w = net.weight
    net.share_memory()
    assert len(calls) == 2 and net.weight is w


def test_missing_forward_raises():
    with pytest.raises(NotImplementedError, match="forward"):
        nn.Module()(1)


# -- containers ---------------------------------------------------------------------------------
def test_sequential_indexing_slicing_append():
    a, b, c = nn.Linear(2, 3), nn.Identity(), nn.Linear(3, 1)
    seq = nn.Sequential(a, b)
    seq.append(c)
    assert len(seq) == 3 and seq[0] is a and seq[-1] is c
    assert list(seq) == [a, b, c]
    sub = seq[1:]
    assert isinstance(sub, nn.Sequential) and list(sub) == [b, c]
    assert list(sub._modules) == ["1", "2"]  # PyTorch keeps the original keys on slicing
    del seq[1]
    assert list(seq._modules) == ["0", "1"] and seq[1] is c
    seq.insert(1, b)
    assert list(seq) == [a, b, c]
    assert seq(ember.ones(4, 2)).shape == ember.Size([4, 1])
    with pytest.raises(IndexError):
        seq[3]


def test_sequential_ordered_dict_names():
    seq = nn.Sequential(OrderedDict([("enc", nn.Linear(2, 2)), ("dec", nn.Linear(2, 1))]))
    assert list(seq.state_dict()) == ["enc.weight", "enc.bias", "dec.weight", "dec.bias"]
    assert seq.enc is seq[0]


def test_module_list_and_dict():
    ml = nn.ModuleList([nn.Linear(1, 1) for _ in range(3)])
    ml.append(nn.Identity())
    ml.extend([nn.Identity()])
    ml.insert(0, nn.Identity())
    assert len(ml) == 6 and isinstance(ml[0], nn.Identity) and len(ml[1:3]) == 2
    assert len(list(ml.parameters())) == 6
    del ml[0]
    assert list(ml._modules) == [str(i) for i in range(5)]
    md = nn.ModuleDict({"a": nn.Linear(1, 1), "b": nn.Identity()})
    md["c"] = nn.Linear(1, 2)
    assert list(md.keys()) == ["a", "b", "c"] and "c" in md and len(md) == 3
    assert list(md.state_dict()) == ["a.weight", "a.bias", "c.weight", "c.bias"]
    md.pop("a")
    assert list(md) == ["b", "c"]


def test_parameter_list_and_dict():
    pl = nn.ParameterList([ember.zeros(2), nn.Parameter(ember.ones(3))])
    pl.append(ember.zeros(1))
    assert len(pl) == 3 and all(isinstance(p, nn.Parameter) for p in pl)
    assert list(pl.state_dict()) == ["0", "1", "2"]
    assert repr(nn.ParameterList([ember.zeros(2, 3)])) == (
        "ParameterList(  (0): Parameter containing: [ember.float32 of size 2x3])")
    pd = nn.ParameterDict({"w": ember.ones(2)})
    pd["b"] = ember.zeros(1)
    assert list(pd.keys()) == ["w", "b"] and isinstance(pd["b"], nn.Parameter)
    assert [n for n, _ in pd.named_parameters()] == ["w", "b"]
    del pd["w"]
    assert list(pd) == ["b"]


def test_parameter_basics():
    data = ember.ones(2)
    p = nn.Parameter(data)
    assert p.requires_grad and p.is_leaf and p._data is data._data
    assert repr(p).startswith("Parameter containing:\ntensor(")
    q = nn.Parameter(ember.ones(2), requires_grad=False)
    assert not q.requires_grad
    assert isinstance(pickle.loads(pickle.dumps(p)), nn.Parameter)
    assert type(p * 2) is ember.Tensor
    assert nn.Parameter().shape == ember.Size([0])


# -- nn.utils ----------------------------------------------------------------------------------
def _params_with_grads(grads):
    params = []
    for g in grads:
        p = nn.Parameter(ember.zeros(len(g)))
        p.grad = ember.tensor(g)
        params.append(p)
    return params


def test_clip_grad_norm_scales_when_above():
    params = _params_with_grads([[3.0, 0.0], [0.0, 4.0]])
    total = nn.utils.clip_grad_norm_(params, max_norm=1.0)
    assert total.item() == pytest.approx(5.0)
    np.testing.assert_allclose(params[0].grad.numpy(), [3 / (5 + 1e-6), 0.0], rtol=1e-6)
    params = _params_with_grads([[0.3, 0.4]])
    nn.utils.clip_grad_norm_(params, max_norm=1.0)
    np.testing.assert_allclose(params[0].grad.numpy(), [0.3, 0.4], rtol=1e-6)


def test_clip_grad_norm_inf_and_p1_and_single_tensor():
    params = _params_with_grads([[3.0, -7.0], [1.0]])
    assert nn.utils.clip_grad_norm_(params, 100.0, norm_type=float("inf")).item() == 7.0
    params = _params_with_grads([[3.0, -7.0], [1.0]])
    assert nn.utils.clip_grad_norm_(params, 100.0, norm_type=1).item() == pytest.approx(11.0)
    p = _params_with_grads([[6.0, 8.0]])[0]
    nn.utils.clip_grad_norm_(p, 5.0)
    np.testing.assert_allclose(p.grad.numpy(), [3.0, 4.0], rtol=1e-5)
    assert nn.utils.clip_grad_norm_([nn.Parameter(ember.zeros(1))], 1.0).item() == 0.0


def test_clip_grad_norm_nonfinite():
    params = _params_with_grads([[float("nan"), 1.0]])
    with pytest.raises(RuntimeError, match="non-finite"):
        nn.utils.clip_grad_norm_(params, 1.0, error_if_nonfinite=True)
    assert np.isnan(nn.utils.clip_grad_norm_(params, 1.0).item())


def test_clip_grad_value():
    params = _params_with_grads([[3.0, -0.5, -7.0]])
    nn.utils.clip_grad_value_(params, 1.0)
    assert params[0].grad.tolist() == [1.0, -0.5, -1.0]


def test_parameters_vector_roundtrip():
    net = nn.Sequential(nn.Linear(3, 2), nn.Linear(2, 1))
    vec = nn.utils.parameters_to_vector(net.parameters())
    assert vec.shape == ember.Size([11])
    np.testing.assert_array_equal(vec.detach().numpy()[:6], net[0].weight.detach().numpy().ravel())
    nn.utils.vector_to_parameters(ember.arange(11.0), net.parameters())
    assert net[0].bias.tolist() == [6.0, 7.0] and net[1].weight.tolist() == [[8.0, 9.0]]
    with pytest.raises(TypeError):
        nn.utils.vector_to_parameters([1.0], net.parameters())
