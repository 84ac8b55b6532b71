"""``python -m ember new-domain``: the scaffolded package passes its own contract tests in a
fresh venv beside ember (no network), and ember.hub finds its model, embervision does not."""

from __future__ import annotations

import os
import site
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from ember._scaffold import new_domain

pytestmark = pytest.mark.slow


def _run(*args: str, cwd: Path | None = None) -> str:
    env = {**os.environ, "PIP_NO_INDEX": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    env.pop("PYTHONPATH", None)
    out = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, f"{' '.join(args)} failed:\n{out.stdout}\n{out.stderr}"
    return out.stdout


def _fresh_venv(path: Path) -> Path:
    """A new venv that sees this environment's packages (ember, numpy, pytest) through a .pth
    file, as an install of ember beside which the new package goes."""
    _run(sys.executable, "-m", "venv", "--without-pip", str(path))
    python = path / "bin" / "python"
    purelib = _run(str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])")
    ours = dict.fromkeys([sysconfig.get_paths()["purelib"], *site.getsitepackages()])
    # addsitedir also runs those folders' .pth files (the editable installs of ember)
    lines = [f"import site; site.addsitedir({d!r})" for d in ours]
    Path(purelib.strip(), "_beside_ember.pth").write_text("\n".join(lines) + "\n")
    return python


def test_cli_refuses_bad_names_and_existing_folders(tmp_path: Path):
    with pytest.raises(ValueError, match="lower-case"):
        new_domain("Bad-Name", tmp_path)
    new_domain("dup", tmp_path)
    with pytest.raises(FileExistsError, match="--force"):
        new_domain("dup", tmp_path)
    out = subprocess.run(
        [sys.executable, "-m", "ember", "new-domain", "dup", "--dir", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 2 and "--force" in out.stderr


def test_scaffolded_domain_installs_and_passes_its_contract_tests(tmp_path: Path):
    _run(sys.executable, "-m", "ember", "new-domain", "toyq", "--dir", str(tmp_path / "pkgs"))
    pkg = tmp_path / "pkgs" / "embertoyq"
    for rel in (
        "pyproject.toml",
        "LICENSE",
        "README.md",
        "src/embertoyq/py.typed",
        "tests/test_toyq.py",
        "docs/toyq.md",
        "examples/train_toyq.py",
    ):
        assert (pkg / rel).is_file(), rel
    python = _fresh_venv(tmp_path / "venv")
    _run(
        sys.executable,
        "-m",
        "pip",
        "--python",
        str(python),
        "install",
        "--quiet",
        "--no-index",
        "--no-deps",
        "--no-build-isolation",
        str(pkg),
    )
    check = (
        "from ember import hub; import embervision.models as vm; import embertoyq; "
        "assert 'toyq_mlp' in hub.list_models(), hub.list_models(domain='toyq'); "
        "assert 'toyq_mlp' not in vm.list_models(); assert 'resnet18' in vm.list_models(); "
        "assert hub.domain_of('toyq_mlp') == 'toyq'; "
        "print(embertoyq.__version__, hub.get_model('toyq_mlp', num_classes=3)(__import__('ember').zeros(2, 4)).shape == (2, 3))"
    )
    assert _run(str(python), "-c", check).split() == ["0.1.0", "True"]
    _run(
        str(python),
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        str(pkg / "tests"),
        cwd=tmp_path,
    )
    assert "test accuracy" in _run(str(python), str(pkg / "examples" / "train_toyq.py"), "--quick")
