"""ember.utils.download against a local HTTP server: checksums, mirrors, truncation, extraction."""

from __future__ import annotations

import gzip
import hashlib
import http.server
import io
import os
import sys
import tarfile
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from ember.utils import download as dl

PAYLOAD = bytes(range(256)) * 1000  # 256 kB: several chunks, so the progress bar redraws


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _tar_gz(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


class _Handler(http.server.BaseHTTPRequestHandler):
    routes: dict[str, tuple[bytes, int]] = {}  # path -> (body, declared Content-Length)
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.hits.append(self.path)
        if self.path not in self.routes:
            self.send_error(404, "not here")
            return
        body, length = self.routes[self.path]
        self.send_response(200)
        self.send_header("Content-Length", str(length))
        self.end_headers()
        self.wfile.write(body)  # fewer bytes than announced for the truncated route

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """Serve generated files on 127.0.0.1; yields the base URL."""
    routes = {
        "/good.bin": (PAYLOAD, len(PAYLOAD)),
        "/short.bin": (PAYLOAD[:1000], len(PAYLOAD)),
        "/pack.tar.gz": (_tar_gz({"pack/a.txt": b"alpha", "pack/sub/b.txt": b"beta"}), 0),
        "/evil.tar.gz": (_tar_gz({"../escaped.txt": b"x"}), 0),
    }
    _Handler.routes = {k: (body, n or len(body)) for k, (body, n) in routes.items()}
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _leftovers(folder: Path, keep: set[str]) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name not in keep)


def test_download_success_checks_sha256_and_leaves_no_temp_file(server: str, tmp_path: Path):
    path = dl.download_url(f"{server}/good.bin", tmp_path, sha256=_sha256(PAYLOAD), progress=False)
    assert Path(path) == tmp_path / "good.bin"
    assert Path(path).read_bytes() == PAYLOAD
    assert _leftovers(tmp_path, {"good.bin"}) == []


def test_download_md5_and_custom_filename(server: str, tmp_path: Path):
    md5 = hashlib.md5(PAYLOAD).hexdigest()
    path = dl.download_url(f"{server}/good.bin", tmp_path, "renamed.dat", md5, progress=False)
    assert Path(path).name == "renamed.dat"
    assert dl.check_integrity(path, md5)
    assert dl.calculate_md5(path) == md5
    assert dl.calculate_sha256(path) == _sha256(PAYLOAD)


def test_verified_file_is_not_downloaded_again(server: str, tmp_path: Path):
    url = f"{server}/good.bin"
    dl.download_url(url, tmp_path, sha256=_sha256(PAYLOAD), progress=False)
    before = len(_Handler.hits)
    dl.download_url(url, tmp_path, sha256=_sha256(PAYLOAD), progress=False)
    assert len(_Handler.hits) == before


def test_stale_file_with_wrong_checksum_is_replaced(server: str, tmp_path: Path):
    (tmp_path / "good.bin").write_bytes(b"stale")
    dl.download_url(f"{server}/good.bin", tmp_path, sha256=_sha256(PAYLOAD), progress=False)
    assert (tmp_path / "good.bin").read_bytes() == PAYLOAD


def test_wrong_checksum_raises_naming_the_file_and_writes_nothing(server: str, tmp_path: Path):
    with pytest.raises(dl.DownloadError, match="good.bin") as info:
        dl.download_url(f"{server}/good.bin", tmp_path, sha256="0" * 64, progress=False)
    assert "sha256 mismatch" in str(info.value)
    assert _leftovers(tmp_path, set()) == []


def test_wrong_md5_raises(server: str, tmp_path: Path):
    with pytest.raises(dl.DownloadError, match="md5 mismatch"):
        dl.download_url(f"{server}/good.bin", tmp_path, md5="0" * 32, progress=False)


def test_truncated_response_raises_even_without_checksum(server: str, tmp_path: Path):
    with pytest.raises(dl.DownloadError, match=r"short\.bin(.|\n)*truncated: received 1000 of"):
        dl.download_url(f"{server}/short.bin", tmp_path, progress=False)
    assert _leftovers(tmp_path, set()) == []


def test_404_on_first_mirror_then_success_on_second(server: str, tmp_path: Path):
    path = dl.download_url(
        f"{server}/gone/good.bin",
        tmp_path,
        sha256=_sha256(PAYLOAD),
        mirrors=[f"{server}/good.bin"],
        progress=False,
    )
    assert Path(path).read_bytes() == PAYLOAD
    assert Path(path).name == "good.bin"


def test_all_mirrors_failing_lists_every_attempt(server: str, tmp_path: Path):
    urls = [f"{server}/gone/good.bin", f"{server}/short.bin"]
    with pytest.raises(dl.DownloadError) as info:
        dl.download_url(urls[0], tmp_path, "good.bin", mirrors=urls[1:], progress=False)
    message = str(info.value)
    assert "'good.bin'" in message and "404" in message and "truncated" in message
    assert all(url in message for url in urls)


def test_unreachable_host_is_a_download_error(tmp_path: Path):
    with pytest.raises(dl.DownloadError, match="x.bin"):
        dl.download_url("http://127.0.0.1:9/x.bin", tmp_path, progress=False, timeout=2)


def test_progress_bar_is_quiet_when_stderr_is_not_a_terminal(server: str, tmp_path: Path, capsys):
    dl.download_url(f"{server}/good.bin", tmp_path, progress=True)
    assert capsys.readouterr() == ("", "")


def test_progress_bar_goes_to_stderr_only(server: str, tmp_path: Path, capsys, monkeypatch):
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    dl.download_url(f"{server}/good.bin", tmp_path, progress=True)
    out, err = capsys.readouterr()
    assert out == ""
    assert "good.bin" in err and "100%" in err and err.endswith("\n")
    dl.download_url(f"{server}/good.bin", tmp_path / "quiet", progress=False)
    assert capsys.readouterr() == ("", "")


def test_download_and_extract_tar_gz(server: str, tmp_path: Path):
    out = dl.download_and_extract_archive(
        f"{server}/pack.tar.gz",
        tmp_path / "dl",
        tmp_path / "ex",
        remove_finished=True,
        progress=False,
    )
    assert Path(out) == (tmp_path / "ex").resolve()
    assert (tmp_path / "ex" / "pack" / "sub" / "b.txt").read_bytes() == b"beta"
    assert not (tmp_path / "dl" / "pack.tar.gz").exists()


def test_extract_refuses_tar_path_traversal(server: str, tmp_path: Path):
    archive = dl.download_url(f"{server}/evil.tar.gz", tmp_path / "dl", progress=False)
    with pytest.raises(RuntimeError, match=r"evil\.tar\.gz(.|\n)*\.\./escaped\.txt"):
        dl.extract_archive(archive, tmp_path / "ex")
    assert not (tmp_path / "escaped.txt").exists()


def test_extract_refuses_tar_symlink_out_of_folder(tmp_path: Path):
    archive = tmp_path / "link.tar"
    with tarfile.open(archive, "w") as tar:
        info = tarfile.TarInfo("inner/link")
        info.type = tarfile.SYMTYPE
        info.linkname = "../../outside"
        tar.addfile(info)
    with pytest.raises(RuntimeError, match="links outside"):
        dl.extract_archive(archive, tmp_path / "ex")


def test_extract_zip_and_refuse_zip_traversal(tmp_path: Path):
    good, evil = tmp_path / "good.zip", tmp_path / "evil.zip"
    with zipfile.ZipFile(good, "w") as z:
        z.writestr("d/x.txt", "hello")
    with zipfile.ZipFile(evil, "w") as z:
        z.writestr("ok.txt", "fine")
        z.writestr("../../boom.txt", "bad")
    dl.extract_archive(good, tmp_path / "out")
    assert (tmp_path / "out" / "d" / "x.txt").read_text() == "hello"
    with pytest.raises(RuntimeError, match=r"evil\.zip(.|\n)*boom\.txt"):
        dl.extract_archive(evil, tmp_path / "out2")
    assert not (tmp_path / "out2" / "ok.txt").exists()  # refused before anything was written


def test_extract_single_gz_file_next_to_it(tmp_path: Path):
    gz = tmp_path / "labels-idx1-ubyte.gz"
    gz.write_bytes(gzip.compress(PAYLOAD))
    out = dl.extract_archive(gz, remove_finished=True)
    assert (Path(out) / "labels-idx1-ubyte").read_bytes() == PAYLOAD
    assert not gz.exists()
    assert sorted(os.listdir(tmp_path)) == ["labels-idx1-ubyte"]


def test_extract_unknown_type_names_the_file(tmp_path: Path):
    with pytest.raises(RuntimeError, match=r"data\.rar(.|\n)*unknown archive type"):
        dl.extract_archive(tmp_path / "data.rar")


def test_check_integrity_missing_and_no_checksum(tmp_path: Path):
    f = tmp_path / "f"
    assert not dl.check_integrity(f)
    f.write_bytes(b"abc")
    assert dl.check_integrity(f)
    assert dl.check_integrity(f, sha256=_sha256(b"abc"))
    assert not dl.check_integrity(f, sha256=_sha256(b"abd"))


# ---------------------------------------------------------------------- Resource records ---


def test_resource_record_validates_and_normalises():
    r = dl.Resource("a.bin", "https://x/a.bin", sha256=_sha256(PAYLOAD))
    assert r.urls == ("https://x/a.bin",)
    with pytest.raises(ValueError, match="at least one URL"):
        dl.Resource("a.bin", [])
    with pytest.raises(ValueError, match="sha256 must be at least 8 hex digits"):
        dl.Resource("a.bin", ["u"], sha256="xyz")
    with pytest.raises(ValueError, match="md5 must be"):
        dl.Resource("a.bin", ["u"], md5="")


def test_download_resource_mirrors_checksums_and_reuse(server: str, tmp_path: Path):
    r = dl.Resource(
        "data.bin",
        [f"{server}/missing.bin", f"{server}/short.bin", f"{server}/good.bin"],
        sha256=_sha256(PAYLOAD),
        md5=hashlib.md5(PAYLOAD).hexdigest(),
    )
    assert not r.is_intact(tmp_path)
    _Handler.hits.clear()
    path = dl.download_resource(r, tmp_path, progress=False)
    assert Path(path).read_bytes() == PAYLOAD and r.is_intact(tmp_path)
    assert _Handler.hits == ["/missing.bin", "/short.bin", "/good.bin"]  # in order
    assert _leftovers(tmp_path, {"data.bin"}) == []
    dl.download_resource(r, tmp_path, progress=False)
    assert _Handler.hits[-1] == "/good.bin" and len(_Handler.hits) == 3  # not fetched again


def test_download_resource_extracts_and_reports_every_failure(server: str, tmp_path: Path):
    r = dl.Resource("pack.tar.gz", [f"{server}/pack.tar.gz"])
    dl.download_resource(r, tmp_path, extract=True, progress=False)
    assert (tmp_path / "pack" / "sub" / "b.txt").read_bytes() == b"beta"
    bad = dl.Resource("good.bin", [f"{server}/good.bin"], sha256="0" * 64)
    with pytest.raises(dl.DownloadError, match=r"good\.bin(.|\n)*sha256 mismatch"):
        dl.download_resource(bad, tmp_path / "bad", progress=False)
    assert list((tmp_path / "bad").iterdir()) == []
