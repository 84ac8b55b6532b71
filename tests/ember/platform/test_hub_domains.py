"""ember.hub by domain: inference of the domain, per-domain list_models, broken entry points
named with their distribution, the builders' weights helpers, and hub.list/help/load."""

from __future__ import annotations

import importlib.metadata
import types
import zipfile
from pathlib import Path

import pytest

import ember
from ember import hub, nn


class _EP:
    def __init__(self, name, value, loader, dist=None):
        self.name, self.value, self._loader = name, value, loader
        self.dist = types.SimpleNamespace(name=dist) if dist else None

    def load(self):
        return self._loader()


def _third_party_builder():
    def tp_net(*, weights=None, progress=True):
        return nn.Linear(2, 2)

    tp_net.__module__ = "third_party_domain.models"
    return tp_net


def test_third_party_model_is_in_the_hub_but_not_in_embervision(registry):
    vision_models = pytest.importorskip("embervision.models")
    real = list(importlib.metadata.entry_points(group=hub.ENTRY_POINT_GROUP))

    def load():
        hub.register_model()(_third_party_builder())

    fake = _EP("thirdparty", "third_party_domain.models", load, dist="third-party-domain")
    registry.setattr(importlib.metadata, "entry_points", lambda group: [*real, fake])
    registry.setattr(hub, "_domains_loaded", False)
    assert "tp_net" in hub.list_models()
    assert hub.domain_of("tp_net") == "thirdparty"  # from the entry point, not the package name
    assert "thirdparty" in hub.list_domains() and "vision" in hub.list_domains()
    assert hub.list_models(domain="thirdparty") == ["tp_net"]
    assert "tp_net" not in vision_models.list_models()
    assert vision_models.list_models() == hub.list_models(domain="vision")
    assert "resnet18" in vision_models.list_models("resnet*")


def test_domain_rule_explicit_then_entry_point_then_top_level_package(registry):
    @hub.register_model(domain="speech")
    def sp_net(*, weights=None, progress=True):
        return nn.Identity()

    @hub.register_model()
    def local_net(*, weights=None, progress=True):
        return nn.Identity()

    assert hub.domain_of("sp_net") == "speech"
    assert hub.domain_of("local_net") == __name__.split(".")[0]
    if any(ep.name == "vision" for ep in importlib.metadata.entry_points(group="ember.domains")):
        assert hub.domain_of("resnet18") == "vision"


def test_broken_entry_point_warning_names_the_distribution(registry):
    def broken():
        raise ImportError("No module named 'numpyy'")

    eps = [_EP("broken", "broken_pkg.models", broken, dist="broken-pkg")]
    registry.setattr(importlib.metadata, "entry_points", lambda group: eps)
    with pytest.warns(
        UserWarning, match=r"'broken'.*from broken-pkg: ImportError: No module named"
    ):
        hub.load_domains()


def test_weights_helpers():
    kw = {"num_classes": 10}
    hub.overwrite_named_param(kw, "num_classes", 10)
    with pytest.raises(ValueError, match="the weights fix num_classes=5, but num_classes=10"):
        hub.overwrite_named_param(kw, "num_classes", 5)
    w = hub.Weights(None, None, {"categories": ["a", "b", "c"]})
    kw = {}
    hub.set_params_from_weights(w, kw)
    assert kw == {"num_classes": 3}
    hub.set_params_from_weights(None, kw)
    assert hub.sha256_prefix_from_name("https://x/resnet18-f37072fd.pth") == "f37072fd"
    assert hub.sha256_prefix_from_name("plain.pth") is None
    model = nn.Linear(2, 2)
    assert hub.load_weights(model, None) is model


def test_load_weights_loads_and_checks(tmp_path: Path):
    src = nn.Linear(3, 2)
    path = tmp_path / "lin.ember"
    ember.save(src.state_dict(), path)
    dst = hub.load_weights(nn.Linear(3, 2), hub.Weights.from_location(path))
    assert (dst.weight == src.weight).all().item()
    bad = hub.Weights(path.as_uri(), None, {}, sha256="00000000")
    with pytest.raises(RuntimeError, match="sha256"):
        hub.load_weights(nn.Linear(3, 2), bad)


HUBCONF = '''
"""A tiny hub repository."""
dependencies = ["numpy"]
from helper import WIDTH  # a module of the repository itself

import ember


def tiny_net(num_classes=2, *, bias=True):
    """A tiny linear network."""
    return ember.nn.Linear(WIDTH, num_classes, bias=bias)


def _private():
    return None
'''


def _repo(folder: Path, deps: str = '["numpy"]') -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "hubconf.py").write_text(HUBCONF.replace('["numpy"]', deps))
    (folder / "helper.py").write_text("WIDTH = 4\n")
    return folder


def test_hub_list_help_load_from_a_directory(tmp_path: Path):
    repo = _repo(tmp_path / "repo")
    assert hub.list(str(repo)) == ["tiny_net"]
    assert hub.help(str(repo), "tiny_net") == "A tiny linear network."
    net = hub.load(str(repo), "tiny_net", 3, bias=False)
    assert net.weight.shape == (3, 4) and net.bias is None
    with pytest.raises(RuntimeError, match="no callable entry point '_private'.*tiny_net"):
        hub.load(str(repo), "_private")


def test_hub_load_errors(tmp_path: Path):
    with pytest.raises(FileNotFoundError, match="source='github'"):
        hub.load("owner/repo", "net")
    repo = _repo(tmp_path / "needs", deps='["no_such_pkg_xyz"]')
    with pytest.raises(RuntimeError, match="missing packages: no_such_pkg_xyz"):
        hub.list(str(repo))
    with pytest.raises(ValueError, match="trust_repo=True"):
        hub.list("owner/repo", source="github")
    with pytest.raises(ValueError, match="source must be"):
        hub.list(str(repo), source="gitlab")


def test_hub_github_source_goes_through_the_download_path(tmp_path: Path, monkeypatch):
    repo = _repo(tmp_path / "src" / "repo-main")
    archive = tmp_path / "served" / "owner" / "repo" / "main.zip"
    archive.parent.mkdir(parents=True)
    with zipfile.ZipFile(archive, "w") as z:
        for f in repo.iterdir():
            z.write(f, f"repo-main/{f.name}")
    monkeypatch.setattr(
        hub, "_GITHUB_ARCHIVE", (tmp_path / "served").as_uri() + "/{owner}/{repo}/{ref}.zip"
    )
    monkeypatch.setattr(hub, "_hub_dir", str(tmp_path / "hubdir"))
    net = hub.load("owner/repo", "tiny_net", source="github", trust_repo=True)
    assert net.weight.shape == (2, 4)
    assert (tmp_path / "hubdir" / "owner_repo_main" / "hubconf.py").is_file()
    archive.unlink()  # cached now: no second download
    assert hub.list("owner/repo", source="github", trust_repo=True) == ["tiny_net"]
    with pytest.raises(ember.utils.download.DownloadError, match="main.zip"):
        hub.list("owner/repo", source="github", trust_repo=True, force_reload=True)
