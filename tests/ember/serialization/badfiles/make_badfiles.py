"""Generate the corpus of hostile and broken files every reader must refuse cleanly.

    .venv/bin/python tests/ember/serialization/badfiles/make_badfiles.py

Needs no PyTorch: torch-style pickles are assembled opcode by opcode. The malicious payloads
try to create the file named by the environment variable EMBER_SENTINEL, so a test can prove
that nothing ran.
"""

from __future__ import annotations

import io
import json
import pathlib
import struct
import zipfile
import zlib

HERE = pathlib.Path(__file__).resolve().parent
TOUCH = 'touch "$EMBER_SENTINEL"'
EVAL = "open(__import__('os').environ['EMBER_SENTINEL'], 'w').close()"


# -- a tiny pickle assembler (protocol 2 opcodes, plus STACK_GLOBAL from protocol 4) -------------
def glob(module: str, name: str) -> bytes:
    return b"c" + f"{module}\n{name}\n".encode()


def stack_glob(module: str, name: str) -> bytes:
    return text(module) + text(name) + b"\x93"


def text(s: str) -> bytes:
    b = s.encode()
    return b"X" + struct.pack("<I", len(b)) + b


def num(n: int) -> bytes:
    if -(2**31) <= n < 2**31:
        return b"J" + struct.pack("<i", n)
    b = n.to_bytes((n.bit_length() + 8) // 8, "little", signed=True)
    return b"\x8a" + bytes([len(b)]) + b


def tup(*items: bytes) -> bytes:
    return b"(" + b"".join(items) + b"t"


def call(fn: bytes, *args: bytes) -> bytes:
    return fn + tup(*args) + b"R"


def pickle(body: bytes, proto: int = 2) -> bytes:
    return b"\x80" + bytes([proto]) + body + b"."


def storage(key: str, numel: int, stype: str = "FloatStorage") -> bytes:
    return tup(text("storage"), glob("torch", stype), text(key), text("cpu"), num(numel)) + b"Q"


def tensor(key: str, numel: int, offset: int, size: tuple, stride: tuple) -> bytes:
    return call(
        glob("torch._utils", "_rebuild_tensor_v2"),
        storage(key, numel),
        num(offset),
        tup(*map(num, size)),
        tup(*map(num, stride)),
        b"\x89",
        call(glob("collections", "OrderedDict")),
    )


def state_dict(**tensors: bytes) -> bytes:
    return b"}(" + b"".join(text(k) + v for k, v in tensors.items()) + b"u"


def torch_zip(data_pkl: bytes, records: dict[str, bytes] | None = None) -> bytes:
    buf = io.BytesIO()
    entries = {"data.pkl": data_pkl, "byteorder": b"little"}
    entries.update({f"data/{key}": data for key, data in (records or {}).items()})
    entries["version"] = b"3\n"
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        for name, data in entries.items():  # fixed timestamps: the corpus is reproducible
            z.writestr(zipfile.ZipInfo(f"archive/{name}", (1980, 1, 1, 0, 0, 0)), data)
    return buf.getvalue()


def legacy(main: bytes, keys: list[str], storages: bytes) -> bytes:
    magic = pickle(num(0x1950A86A20F9469CFC6C))
    info = pickle(b"}" + text("little_endian") + b"\x88s")
    keys_pkl = pickle(b"]" + b"(" + b"".join(map(text, keys)) + b"e")
    return magic + pickle(num(1001)) + info + main + keys_pkl + storages


# -- ember's own format ----------------------------------------------------------------------------
def ember_file(header: dict, data: bytes = b"", raw_header: bytes | None = None) -> bytes:
    text_ = raw_header if raw_header is not None else json.dumps(header).encode()
    text_ += b" " * (-(16 + len(text_)) % 64)
    return b"\x93EMBER\x01\n" + struct.pack("<Q", len(text_)) + text_ + data


def ember_header(**over: object) -> dict:
    h = {
        "format": "ember",
        "version": 1,
        "data_nbytes": 16,
        "storages": [{"offset": 0, "nbytes": 16, "location": "cpu"}],
        "tensors": [
            {
                "storage": 0,
                "offset": 0,
                "shape": [4],
                "strides": [4],
                "dtype": "<f4",
                "kind": "tensor",
                "requires_grad": False,
            }
        ],
        "root": {"$": "dict", "items": [["w", {"$": "tensor", "id": 0}]]},
        "pickle": None,
    }
    h.update(over)
    return h


# -- safetensors -------------------------------------------------------------------------------------
def st_file(header: object, data: bytes, raw: bytes | None = None) -> bytes:
    h = raw if raw is not None else json.dumps(header, separators=(",", ":")).encode()
    return struct.pack("<Q", len(h)) + h + data


def f32(name: str, shape: list[int], begin: int, end: int) -> dict:
    return {name: {"dtype": "F32", "shape": shape, "data_offsets": [begin, end]}}


def corpus() -> dict[str, bytes]:
    good_data = b"\0" * 16
    good = tensor("0", 4, 0, (4,), (1,))
    files = {
        # code execution attempts
        "torch_os_system.pth": torch_zip(pickle(call(glob("os", "system"), text(TOUCH)))),
        "torch_posix_system.pth": torch_zip(pickle(call(glob("posix", "system"), text(TOUCH)))),
        "torch_eval_stack_global.pth": torch_zip(
            pickle(call(stack_glob("builtins", "eval"), text(EVAL)), proto=4)
        ),
        "torch_subprocess.pth": torch_zip(
            pickle(
                call(
                    glob("subprocess", "call"),
                    b"]" + b"(" + text("sh") + text("-c") + text(TOUCH) + b"e",
                )
            )
        ),
        "torch_nested_payload.pth": torch_zip(
            pickle(state_dict(w=good, x=call(glob("os", "system"), text(TOUCH)))),
            {"0": good_data},
        ),
        "legacy_os_system.pth": legacy(pickle(call(glob("os", "system"), text(TOUCH))), [], b""),
        "ember_os_system.ember": _ember_pickle(pickle(call(glob("os", "system"), text(TOUCH)))),
        "ember_eval.ember": _ember_pickle(
            pickle(call(stack_glob("builtins", "eval"), text(EVAL)), proto=4)
        ),
        # broken torch files
        "torch_truncated.pth": torch_zip(pickle(state_dict(w=good)), {"0": good_data})[:150],
        "torch_huge_numel.pth": torch_zip(
            pickle(state_dict(w=tensor("0", 2**40, 0, (2**40,), (1,)))), {"0": good_data}
        ),
        "torch_short_record.pth": torch_zip(pickle(state_dict(w=good)), {"0": b"\0" * 8}),
        "torch_missing_record.pth": torch_zip(pickle(state_dict(w=good))),
        "torch_view_out_of_bounds.pth": torch_zip(
            pickle(state_dict(w=tensor("0", 4, 2, (2, 3), (3, 1)))), {"0": good_data}
        ),
        "torch_memo_bomb.pth": torch_zip(b"\x80\x02}r\xff\xff\xff\xff."),
        "torch_bad_opcode.pth": torch_zip(b"\x80\x02\xfe."),
        "legacy_truncated.pth": legacy(pickle(state_dict(w=good)), ["0"], struct.pack("<q", 4)),
        "torch_numpy_object.pth": torch_zip(
            pickle(call(glob("numpy", "dtype"), text("O"), b"\x89", b"\x88"))
        ),
        "not_a_checkpoint.bin": b"hello, I am not a checkpoint at all",
        # safetensors
        "st_header_past_eof.safetensors": st_file(f32("a", [4], 0, 16), b"")[:40],
        "st_huge_header.safetensors": struct.pack("<Q", 2**62) + b"{}",
        "st_bad_json.safetensors": st_file(None, good_data, raw=b'{"a": {"dtype": "F32",'),
        "st_overlap.safetensors": st_file(
            {**f32("a", [4], 0, 16), **f32("b", [2], 8, 16)}, good_data
        ),
        "st_past_end.safetensors": st_file(f32("a", [8], 0, 32), good_data),
        "st_gap.safetensors": st_file({**f32("a", [2], 0, 8), **f32("b", [1], 12, 16)}, good_data),
        "st_wrong_nbytes.safetensors": st_file(f32("a", [3], 0, 16), good_data),
        "st_unknown_dtype.safetensors": st_file(
            {"a": {"dtype": "Q99", "shape": [4], "data_offsets": [0, 16]}}, good_data
        ),
        "st_bad_metadata.safetensors": st_file(
            {"__metadata__": {"k": 1}, **f32("a", [4], 0, 16)}, good_data
        ),
        # ember's format
        "ember_bad_json.ember": ember_file({}, good_data, raw_header=b'{"format": "ember", '),
        "ember_missing_storage.ember": ember_file(ember_header(storages=[], data_nbytes=0)),
        "ember_missing_tensor.ember": ember_file(
            ember_header(root={"$": "tensor", "id": 7}), good_data
        ),
        "ember_truncated.ember": ember_file(ember_header(), good_data[:5]),
        "ember_huge_header.ember": b"\x93EMBER\x01\n" + struct.pack("<Q", 2**60) + b"{}",
        "ember_view_out_of_bounds.ember": ember_file(
            ember_header(
                tensors=[
                    {
                        "storage": 0,
                        "offset": 8,
                        "shape": [4],
                        "strides": [4],
                        "dtype": "<f4",
                        "kind": "tensor",
                        "requires_grad": False,
                    }
                ]
            ),
            good_data,
        ),
        "ember_object_dtype.ember": ember_file(
            ember_header(
                tensors=[
                    {
                        "storage": 0,
                        "offset": 0,
                        "shape": [2],
                        "strides": [8],
                        "dtype": "|O",
                        "kind": "ndarray",
                        "requires_grad": False,
                    }
                ]
            ),
            good_data,
        ),
        "ember_unknown_tag.ember": ember_file(ember_header(root={"$": "lambda"}), good_data),
        # storage records that name paths outside the archive
        "torch_record_traversal.pth": torch_zip(
            pickle(state_dict(w=tensor("../../escape", 4, 0, (4,), (1,)))),
            {"../../escape": good_data},
        ),
        "torch_record_absolute.pth": torch_zip(
            pickle(state_dict(w=tensor("/etc/passwd", 4, 0, (4,), (1,)))),
            {"0": good_data},
        ),
        "torch_member_traversal.pth": torch_zip(
            pickle(state_dict(w=good)), {"0": good_data, "../../../outside": good_data}
        ),
    }
    files.update({k: v for k, v in v2_corpus().items() if k != "ember_v2_good.ember"})
    return files


# ember's version-2 format, assembled independently of ember's writer (a check of the spec)
def ember_v2(header: dict, storages: list[bytes]) -> bytes:
    data, sums = b"", []
    for raw in storages:
        sums.append(sum64(raw))
        data += raw + b"\0" * (-len(raw) % 64)
    text_ = json.dumps(header).encode()
    text_ += b" " * (-(24 + len(text_)) % 64)
    trailer = json.dumps({"storages": sums, "pickle": None}).encode()
    return (
        b"\x93EMBER\x02\n" + struct.pack("<QI4x", len(text_), zlib.crc32(text_)) + text_ + data
        + b"EMBERSUM" + struct.pack("<QI4x", len(trailer), zlib.crc32(trailer)) + trailer
    )


def sum64(raw: bytes) -> int:
    n = len(raw) - len(raw) % 8
    words = sum(struct.unpack(f"<{n // 8}Q", raw[:n]))
    return (words + int.from_bytes(raw[n:], "little")) % 2**64


def v2_good() -> bytes:
    header = ember_header(
        version=2,
        data_nbytes=64,
        root={"$": "dict", "items": [["w", {"$": "tensor", "id": 0}],
                                     ["meta", {"$": "dict", "items": [["step", 3]]}]]},
    )
    return ember_v2(header, [struct.pack("<4f", 1.0, 2.0, 3.0, 4.0)])


def flip(data: bytes, pos: int, mask: int = 0x10) -> bytes:
    out = bytearray(data)
    out[pos] ^= mask
    return bytes(out)


def v2_corpus() -> dict[str, bytes]:
    good = v2_good()
    hlen = struct.unpack("<Q", good[8:16])[0]
    data_start = 24 + hlen
    step = good.index(b'"step", 3') + len('"step", ')
    return {
        "ember_v2_good.ember": good,
        "ember_v2_flipped_magic.ember": flip(good, 3),
        "ember_v2_flipped_length.ember": flip(good, 8, 0x40),
        "ember_v2_flipped_header_crc.ember": flip(good, 17),
        "ember_v2_flipped_reserved.ember": flip(good, 21),
        "ember_v2_flipped_metadata.ember": flip(good, step, 0x04),  # "step": 3 -> 7
        "ember_v2_flipped_storage.ember": flip(good, data_start + 5),
        "ember_v2_flipped_padding.ember": flip(good, data_start + 40),
        "ember_v2_flipped_trailer.ember": flip(good, len(good) - 3),
        "ember_v2_no_trailer.ember": good[: data_start + 64],
    }


def _ember_pickle(blob: bytes) -> bytes:
    header = ember_header(
        storages=[],
        tensors=[],
        root={"$": "pickle"},
        pickle={"offset": 0, "nbytes": len(blob)},
        data_nbytes=len(blob),
    )
    return ember_file(header, blob)


if __name__ == "__main__":
    for name, data in corpus().items():
        (HERE / name).write_bytes(data)
    print(f"wrote {len(corpus())} files")
