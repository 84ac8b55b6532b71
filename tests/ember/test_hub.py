"""ember.hub: registry, weights enums, caching, hashes, local files, package data, entry points."""

from __future__ import annotations

import hashlib
import importlib.metadata
import sys
import types
from pathlib import Path

import numpy as np
import pytest

import ember
from ember import hub, nn


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("EMBER_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(hub, "_hub_dir", None)
    return tmp_path / "home" / "hub"


def _save_linear(path: Path, fmt: str = "ember") -> str:
    sd = {"weight": ember.arange(6, dtype=ember.float32).reshape(2, 3), "bias": ember.ones(2)}
    if fmt == "safetensors":
        ember.serialization.save_safetensors(sd, str(path))
    else:
        ember.save(sd, path)
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Toy_Weights(hub.WeightsEnum):
    V1 = hub.Weights(None, transforms=lambda: "preset", meta={"categories": ["a", "b"]})
    DEFAULT = V1


@hub.register_model()
def _hub_toy(*, weights: Toy_Weights | str | None = None, progress: bool = True) -> nn.Module:
    weights = Toy_Weights.verify(weights)
    model = nn.Linear(3, 2)
    if weights is not None:
        model.load_state_dict(weights.get_state_dict(progress=progress))
    return model


def test_register_and_list():
    assert "_hub_toy" in hub.list_models()
    assert hub.list_models("_hub_t*") == ["_hub_toy"]
    assert hub.list_models(module=__name__) == ["_hub_toy"]
    assert hub.list_models(module=sys.modules[__name__], exclude="_hub*") == []
    assert hub.get_model_builder("_HUB_TOY") is _hub_toy
    assert isinstance(hub.get_model("_hub_toy"), nn.Linear)


def test_duplicate_name_rejected():
    with pytest.raises(ValueError, match="already registered"):
        hub.register_model("_hub_toy")(lambda: None)


def test_unknown_model_message():
    with pytest.raises(ValueError, match="unknown model 'nope_net'.*list_models"):
        hub.get_model("nope_net")


def test_weights_enum_lookup():
    assert hub.get_model_weights("_hub_toy") is Toy_Weights
    assert hub.get_weight("Toy_Weights.DEFAULT") is Toy_Weights.V1
    assert Toy_Weights.DEFAULT.transforms() == "preset"
    assert Toy_Weights.V1.meta["categories"] == ["a", "b"]
    assert repr(Toy_Weights.DEFAULT) == "Toy_Weights.V1"
    with pytest.raises(ValueError, match="no member 'V9'"):
        hub.get_weight("Toy_Weights.V9")
    with pytest.raises(ValueError, match="EnumName.MEMBER"):
        hub.get_weight("Nope_Weights.DEFAULT")


def test_verify_accepts_names_paths_and_urls(tmp_path: Path):
    assert Toy_Weights.verify("DEFAULT") is Toy_Weights.V1
    assert Toy_Weights.verify("Toy_Weights.V1") is Toy_Weights.V1
    assert Toy_Weights.verify(None) is None
    f = tmp_path / "w.ember"
    f.write_bytes(b"x")
    assert Toy_Weights.verify(str(f)).url == str(f)
    assert Toy_Weights.verify("https://example.org/w-0123abcd.pth").file_name == "w-0123abcd.pth"
    with pytest.raises(ValueError, match="neither a member of Toy_Weights"):
        Toy_Weights.verify("V7")
    with pytest.raises(TypeError, match="must be None"):
        Toy_Weights.verify(3)


def test_verify_rejects_other_enum():
    class Other_Weights(hub.WeightsEnum):
        A = hub.Weights("https://example.org/a.pth", None, {})

    with pytest.raises(TypeError, match="belong to another model"):
        Toy_Weights.verify(Other_Weights.A)


def test_cache_dir_follows_env(cache: Path, tmp_path: Path):
    assert Path(hub.get_dir()) == cache
    hub.set_dir(tmp_path / "elsewhere")
    try:
        assert hub.get_dir() == str(tmp_path / "elsewhere")
    finally:
        hub._hub_dir = None


def test_local_file_weights_load_into_builder(tmp_path: Path):
    path = tmp_path / "linear.ember"
    _save_linear(path)
    model = _hub_toy(weights=str(path))
    np.testing.assert_array_equal(model.weight.detach().numpy(), np.arange(6).reshape(2, 3))


def test_safetensors_and_wrapped_checkpoint(tmp_path: Path):
    st = tmp_path / "linear.safetensors"
    _save_linear(st, "safetensors")
    assert _hub_toy(weights=st).bias.detach().numpy().tolist() == [1.0, 1.0]
    wrapped = tmp_path / "ckpt.ember"
    ember.save({"model": nn.Linear(3, 2).state_dict(), "epoch": 3}, wrapped)
    assert set(hub.Weights.from_location(wrapped).get_state_dict()) == {"weight", "bias"}


def test_url_download_is_cached_and_hash_checked(cache: Path, tmp_path: Path):
    src = tmp_path / "src" / "linear.ember"
    src.parent.mkdir()
    digest = _save_linear(src)
    named = src.with_name(f"linear-{digest[:8]}.ember")
    src.rename(named)
    w = hub.Weights(named.as_uri(), None, {}, sha256=digest)
    sd = hub.load_state_dict_from_url(named.as_uri(), check_hash=True, progress=False)
    assert (cache / "checkpoints" / named.name).exists()
    assert sd["weight"].shape == (2, 3)
    assert w.get_state_dict()["bias"].shape == (2,)


def test_download_with_bad_hash_leaves_no_file(cache: Path, tmp_path: Path):
    src = tmp_path / "linear-deadbeef.ember"
    _save_linear(src)
    with pytest.raises(RuntimeError, match="sha256 mismatch: expected deadbeef"):
        hub.load_state_dict_from_url(src.as_uri(), check_hash=True, progress=False)
    assert not any((cache / "checkpoints").iterdir())
    sd = hub.load_state_dict_from_url(src.as_uri(), check_hash=False, progress=False)
    assert "weight" in sd


def test_corrupt_cached_file_is_reported(cache: Path, tmp_path: Path):
    src = tmp_path / "linear.ember"
    digest = _save_linear(src)
    (cache / "checkpoints").mkdir(parents=True)
    (cache / "checkpoints" / "linear.ember").write_bytes(b"garbage")
    with pytest.raises(RuntimeError, match="corrupt"):
        hub.load_state_dict_from_url(src.as_uri(), check_hash=True, sha256=digest)


def test_remote_url_failure_explains_offline_use(cache: Path):
    w = hub.Weights("http://127.0.0.1:9/none-0123abcd.pth", None, {})
    with pytest.raises(RuntimeError, match="could not download.*checkpoints"):
        w.get_state_dict(progress=False)


def test_package_data_weights(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    pkg = tmp_path / "hubpkg_fake"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    digest = _save_linear(pkg / "lin.ember")
    monkeypatch.syspath_prepend(str(tmp_path))
    good = hub.Weights(None, None, {}, sha256=digest, file="hubpkg_fake/lin.ember")
    assert good.get_state_dict()["weight"].shape == (2, 3)
    assert good.file_name == "lin.ember"
    bad = hub.Weights(None, None, {}, sha256="0" * 64, file="hubpkg_fake/lin.ember")
    with pytest.raises(RuntimeError, match="sha256"):
        bad.get_state_dict()
    missing = hub.Weights(None, None, {}, file="hubpkg_fake/none.ember")
    with pytest.raises(FileNotFoundError, match="reinstall"):
        missing.get_state_dict()


class _FakeEntryPoint:
    def __init__(self, name: str, value: str, loader) -> None:
        self.name, self.value, self._loader = name, value, loader

    def load(self):
        return self._loader()


def test_entry_point_domains_are_loaded(monkeypatch: pytest.MonkeyPatch):
    mod = types.ModuleType("third_party_domain")

    def load():
        hub.register_model("third_party_net")(lambda **kw: nn.Identity())
        return mod

    def broken():
        raise ImportError("missing dependency")

    eps = [
        _FakeEntryPoint("thirdparty", "third_party_domain", load),
        _FakeEntryPoint("broken", "broken_domain", broken),
    ]
    monkeypatch.setattr(importlib.metadata, "entry_points", lambda group: eps)
    monkeypatch.setattr(hub, "_domains_loaded", False)
    with pytest.warns(UserWarning, match="could not load domain 'broken'"):
        names = hub.list_models()
    assert "third_party_net" in names
    hub._MODELS.pop("third_party_net")


def test_installed_domains_declare_entry_points():
    eps = importlib.metadata.entry_points(group=hub.ENTRY_POINT_GROUP)
    if not any(ep.name == "vision" for ep in eps):
        pytest.skip("embervision is not installed with its entry point")
    assert "resnet18" in hub.list_models()
