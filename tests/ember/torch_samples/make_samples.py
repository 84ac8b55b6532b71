"""Record PyTorch's own OpInfo sample inputs, and torch's results on them, as fixtures.

Walks ``torch.testing._internal.common_methods_invocations.op_db`` (every OpInfo: torch,
Tensor, nn.functional, linalg, fft, special, masked and signal ops) and, for each op, up to
``--per-op`` of its CPU samples in one dtype (float32 when the op supports it, else float64,
else an integer, bool or complex dtype). Each record keeps the public name the sample is
called through (``torch.X``, ``torch.nn.functional.X``, ``torch.linalg.X``, ... or a
``Tensor`` method), the input tensors, args and kwargs, torch's outputs and, for
differentiable floating samples, the vector-Jacobian product of the outputs with a fixed
random cotangent. Arguments that have no JSON/NumPy form (callables, generators, memory
formats, sparse layouts) make the sample "unrepresentable": it is counted, not stored.

Run from the repository root with the reference interpreter (never part of the test suite;
``requirements-ref.txt`` pins torch and ``expecttest``, which the OpInfo database imports):

    /work/ref/r13s-opinfo/bin/python tests/ember/torch_samples/make_samples.py

Writes ``tests/ember/torch_samples/data/samples_NNN.npz`` (each under 1 MiB: the arrays plus
a JSON list of records) and ``manifest.json`` (per-op counts, skipped samples by reason).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import math
import sys
import types
import warnings
import zlib
from pathlib import Path

import numpy as np
import torch

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
DTYPE_PREFERENCE = ("float32", "float64", "int64", "int32", "bool", "uint8", "complex64")
MAX_CHUNK_BYTES = 800_000
MAX_SAMPLE_ELEMENTS = 3_000
NAMESPACES = ("nn.functional.", "linalg.", "fft.", "special.", "masked.", "signal.windows.")


class Unrepresentable(Exception):
    """An argument or output with no JSON/NumPy form."""


class Encoder:
    """Turns torch values into JSON, with tensors stored as numbered NumPy arrays."""

    def __init__(self) -> None:
        self.arrays: dict[str, np.ndarray] = {}
        self.counter = 0

    def tensor(self, t: torch.Tensor) -> dict:
        if t.layout != torch.strided or t.dtype in (torch.bfloat16,) or t.is_quantized:
            raise Unrepresentable(f"tensor layout/dtype {t.layout} {t.dtype}")
        try:
            arr = t.detach().resolve_conj().resolve_neg().cpu().numpy().copy()
        except (TypeError, RuntimeError) as exc:
            raise Unrepresentable(f"tensor dtype {t.dtype}") from exc
        key = f"a{self.counter}"
        self.counter += 1
        self.arrays[key] = arr
        return {"T": key, "dtype": str(t.dtype).removeprefix("torch.")}

    def encode(self, v):
        if isinstance(v, torch.Tensor):
            return self.tensor(v)
        if v is None or isinstance(v, (bool, int, str)):
            return v
        if isinstance(v, float):
            return v if math.isfinite(v) else {"float": repr(v)}
        if isinstance(v, complex):
            return {"complex": [v.real, v.imag]}
        if isinstance(v, torch.dtype):
            return {"dtype_arg": str(v).removeprefix("torch.")}
        if isinstance(v, torch.Size):
            return {"size": list(v)}
        if isinstance(v, torch.memory_format):
            return {"memory_format": str(v).removeprefix("torch.")}
        if isinstance(v, torch.device):
            return {"device": str(v)}
        if isinstance(v, slice):
            return {"slice": [self.encode(v.start), self.encode(v.stop), self.encode(v.step)]}
        if v is Ellipsis:
            return {"ellipsis": True}
        if isinstance(v, tuple):  # namedtuples (torch.return_types) become plain tuples
            return {"tuple": [self.encode(x) for x in v]}
        if isinstance(v, list):
            return [self.encode(x) for x in v]
        if isinstance(v, dict) and all(isinstance(k, str) for k in v):
            return {"dict": {k: self.encode(x) for k, x in v.items()}}
        if isinstance(v, (np.integer, np.floating, np.bool_)):
            return self.encode(v.item())
        raise Unrepresentable(type(v).__name__)


def tensors_in(v) -> list[torch.Tensor]:
    """Every tensor inside a nested argument, in order."""
    if isinstance(v, torch.Tensor):
        return [v]
    if isinstance(v, (list, tuple)):
        return [t for x in v for t in tensors_in(x)]
    if isinstance(v, dict):
        return [t for x in v.values() for t in tensors_in(x)]
    return []


def resolve_public(name: str):
    """``(path, callable)`` of the public torch function named by an OpInfo, or ``None``."""
    obj = torch
    for part in name.split("."):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return ("torch." + name, obj) if callable(obj) else None


def call_forms(op) -> list[tuple[str, str, object]]:
    """The ``(kind, path, callable)`` forms a sample of ``op`` is replayed through."""
    forms = []
    public = resolve_public(op.name)
    if public is not None and not op.name.startswith(("_", "ops.", "torch.")):
        forms.append(("function", public[0], public[1]))
    name = op.name.split(".")[-1]
    attr = getattr(torch.Tensor, name, None)
    if op.method_variant is not None and callable(attr):
        forms.append(("method", "Tensor." + name, attr))
    elif attr is not None and not forms and not callable(attr):  # T, mT, H, mH, real, ...
        forms.append(("attribute", "Tensor." + name, op.op))
    return forms


def spread(n: int, k: int) -> list[int]:
    """All of ``range(n)``, ``k`` evenly spread indices first (OpInfo lists small and 0-d
    samples first; the cap should keep some of the later, larger ones)."""
    first = sorted({round(i * (n - 1) / max(k - 1, 1)) for i in range(k)}) if n else []
    return first + [i for i in range(n) if i not in set(first)]


def pick_dtype(op, group: str = "float") -> torch.dtype | None:
    """The dtype a group of samples runs in: ``float`` is the op's first of
    ``DTYPE_PREFERENCE``; ``int``/``bool`` add integer/boolean samples where the op takes them."""
    supported = {str(d).removeprefix("torch.") for d in op.supported_dtypes("cpu")}
    names = {"float": DTYPE_PREFERENCE, "int": ("int64", "int32"), "bool": ("bool",)}[group]
    name = next((n for n in names if n in supported), None)
    if group != "float" and name == pick_name(op):
        return None  # already the op's primary dtype
    return None if name is None else getattr(torch, name)


def pick_name(op) -> str | None:
    dtype = pick_dtype(op)
    return None if dtype is None else str(dtype).removeprefix("torch.")


def run_form(kind, fn, sample):
    if kind == "attribute" and (sample.args or sample.kwargs):
        raise TypeError("an attribute takes no arguments")
    return fn(sample.input, *sample.args, **sample.kwargs)


def is_random(kind, fn, sample) -> bool:
    if "empty" in fn.__name__:  # uninitialised memory: only shapes and dtypes are defined
        return True
    outs = []
    for seed in (0, 1):
        torch.manual_seed(seed)
        outs.append(tensors_in(run_form(kind, fn, sample)))
    if len(outs[0]) != len(outs[1]):
        return True
    return any(
        a.shape != b.shape or not torch.equal(a.resolve_conj(), b.resolve_conj())
        for a, b in zip(*outs)
        if a.layout == torch.strided and b.layout == torch.strided
    ) or any(torch.isnan(a).any() for a in outs[0] if a.is_floating_point())


def vjp(kind, fn, sample, enc: Encoder, rng) -> dict | None:
    """Gradients of ``<outputs, cotangent>`` with respect to every float input tensor."""
    args = (sample.input, *sample.args)
    leaves = [t for t in tensors_in((args, sample.kwargs)) if t.is_floating_point()]
    if not leaves:
        return None
    for t in leaves:
        t.requires_grad_(True)
    try:
        torch.manual_seed(0)
        out = run_form(kind, fn, sample)
        floats = [o for o in tensors_in(out) if o.is_floating_point()]
        outs = [o for o in floats if o.requires_grad]
        if not outs:
            return None
        cots = [
            torch.from_numpy(rng.standard_normal(o.shape).astype(np.float64)).to(o.dtype)
            if o.requires_grad
            else None
            for o in floats
        ]
        grads = torch.autograd.grad(
            outs, leaves, [c for c in cots if c is not None], allow_unused=True
        )
        return {  # one cotangent per float output, None where torch tracks no gradient
            "cotangents": [None if c is None else enc.tensor(c) for c in cots],
            "grads": [None if g is None else enc.tensor(g) for g in grads],
        }
    except Unrepresentable:
        raise
    except Exception:
        return None
    finally:
        for t in leaves:
            t.requires_grad_(False)


def upcast(v):
    """``v`` with every float32 tensor in float64 (nested lists, tuples and dicts too)."""
    if isinstance(v, torch.Tensor):
        return v.double() if v.dtype == torch.float32 else v
    if isinstance(v, (list, tuple)) and not isinstance(v, torch.Size):
        return type(v)(upcast(x) for x in v) if not hasattr(v, "_fields") else v
    if isinstance(v, dict):
        return {k: upcast(x) for k, x in v.items()}
    return v


def float64_output(kind, fn, sample, out):
    """torch's result on the inputs upcast to float64, where torch's own float32 result is off
    from it by more than the replay's float32 tolerance (a torch float32 inexactness: ember,
    which often computes in float64, may match the float64 value instead); else ``None``."""
    hi_sample = types.SimpleNamespace(
        input=upcast(sample.input), args=upcast(tuple(sample.args)), kwargs=upcast(sample.kwargs)
    )
    try:
        torch.manual_seed(0)
        hi = run_form(kind, fn, hi_sample)
    except Exception:
        return None
    lo_t, hi_t = tensors_in(out), tensors_in(hi)
    if len(lo_t) != len(hi_t):
        return None
    for a, b in zip(lo_t, hi_t):
        if a.shape != b.shape or a.layout != torch.strided or b.layout != torch.strided:
            return None
    off = any(
        a.dtype == torch.float32
        and not torch.allclose(a.double(), b.double(), rtol=1e-5, atol=1e-5, equal_nan=True)
        for a, b in zip(lo_t, hi_t)
    )
    return hi if off else None


def record_sample(op, kind, path, fn, sample, dtype, rng, with_grad):
    enc = Encoder()
    if sum(t.numel() for t in tensors_in((sample.input, sample.args, sample.kwargs))) > (
        MAX_SAMPLE_ELEMENTS
    ):
        return None, "too_large"
    try:
        torch.manual_seed(0)
        out = run_form(kind, fn, sample)
    except Exception:
        return None, "torch_raised"
    try:
        rec = {
            "op": op.name,
            "variant": op.variant_test_name,
            "kind": kind,
            "path": path,
            "aliases": [a.name for a in op.aliases],
            "dtype": str(dtype).removeprefix("torch."),
            "input": enc.encode(sample.input),
            "args": enc.encode(list(sample.args)),
            "kwargs": enc.encode(dict(sample.kwargs)),
            "output": enc.encode(out),
            "random": is_random(kind, fn, sample),
        }
        if with_grad and not rec["random"] and op.supports_autograd and dtype.is_floating_point:
            rec["vjp"] = vjp(kind, fn, sample, enc, rng)
        if dtype == torch.float32 and not rec["random"]:
            hi = float64_output(kind, fn, sample, out)
            if hi is not None:
                rec["output_hi"] = enc.encode(hi)
    except Unrepresentable as exc:
        return None, f"unrepresentable:{exc}"
    if rec["output"] is None and out is not None:
        return None, "unrepresentable:output"
    return (rec, enc.arrays), "ok"


def op_records(op, per_op, rng, counts, groups=("float",)):
    out = []
    for group in groups:
        dtype = pick_dtype(op, group)
        if group != "float" and dtype is None:
            continue
        out.extend(dtype_records(op, dtype, group != "float", per_op, rng, counts))
    return out


def dtype_records(op, dtype, extra, per_op, rng, counts):
    forms = call_forms(op)
    key = op.name + ("." + op.variant_test_name if op.variant_test_name else "")
    key += f"[{str(dtype).removeprefix('torch.')}]" if extra else ""
    if not forms or dtype is None:
        counts[key] = {"no_public_form" if not forms else "no_dtype": 1}
        return []
    try:
        samples = list(op.sample_inputs("cpu", dtype, requires_grad=False))
    except Exception as exc:
        counts[key] = {f"sample_inputs_raised:{type(exc).__name__}": 1}
        return []
    out, tally = [], {}
    for kind, path, fn in forms:
        kept = 0
        for i in spread(len(samples), per_op):
            sample = samples[i]
            if kept + tally.get("unrepresentable", 0) >= per_op:
                break
            got, why = record_sample(op, kind, path, fn, sample, dtype, rng, kind == "function")
            tally[why] = tally.get(why, 0) + 1
            if why.startswith("unrepresentable"):
                tally["unrepresentable"] = tally.get("unrepresentable", 0) + 1
            if got is not None:
                got[0]["sample"] = i
                got[0]["extra_dtype"] = extra
                out.append(got)
                kept += 1
    counts[key] = tally
    return out


def digest_of(a: np.ndarray) -> tuple:
    return (a.dtype.str, a.shape, hashlib.sha1(a.tobytes()).hexdigest())


def compressed_size(arrays: dict, seen: set) -> int:
    """Estimated bytes the arrays add to a chunk that already holds ``seen``."""
    size = 0
    for a in arrays.values():
        if digest_of(a) not in seen:
            seen.add(digest_of(a))
            size += len(zlib.compress(a.tobytes(), 6)) + 200
    return size


def write_chunks(all_records, out: Path) -> list[str]:
    out.mkdir(exist_ok=True)
    for old in out.glob("samples_*.npz"):
        old.unlink()
    chunks, cur, cur_bytes, seen = [], [], 0, set()
    for rec, arrays in all_records:
        size = compressed_size(arrays, seen) + len(json.dumps(rec)) // 3
        if cur and cur_bytes + size > MAX_CHUNK_BYTES:
            chunks.append(cur)
            seen = set()
            cur, cur_bytes = [], compressed_size(arrays, seen) + len(json.dumps(rec)) // 3
            size = 0
        cur.append((rec, arrays))
        cur_bytes += size
    if cur:
        chunks.append(cur)
    names = []
    for n, chunk in enumerate(chunks):
        arrays, records, seen = {}, [], {}
        for i, (rec, arrs) in enumerate(chunk):
            renamed = {}
            for k, v in arrs.items():
                digest = digest_of(v)
                if digest not in seen:
                    seen[digest] = f"r{i}_{k}"
                    arrays[seen[digest]] = v
                renamed[k] = seen[digest]
            records.append(rename_keys(rec, renamed))
        arrays["__records__"] = np.frombuffer(json.dumps(records).encode(), dtype=np.uint8)
        buf = io.BytesIO()
        np.savez_compressed(buf, **arrays)
        name = f"samples_{n:03d}.npz"
        (out / name).write_bytes(buf.getvalue())
        names.append(name)
    return names


def rename_keys(v, names):
    if isinstance(v, dict):
        if "T" in v and isinstance(v["T"], str):
            return {**v, "T": names[v["T"]]}
        return {k: rename_keys(x, names) for k, x in v.items()}
    if isinstance(v, list):
        return [rename_keys(x, names) for x in v]
    return v


def module_record(info, sample, dtype, index) -> tuple:
    """One ``nn`` module sample: constructor arguments, state (after the forward pass, so
    lazy modules are materialised), forward arguments and output, in eval mode."""
    enc = Encoder()
    ctor, fwd = sample.constructor_input, sample.forward_input
    try:
        torch.manual_seed(0)
        module = info.module_cls(*ctor.args, **ctor.kwargs).to(dtype).eval()
        outs = []
        for seed in (0, 1):
            torch.manual_seed(seed)
            outs.append(module(*fwd.args, **fwd.kwargs))
    except Exception:
        return None, "torch_raised"
    try:
        a, b = tensors_in(outs[0]), tensors_in(outs[1])
        rec = {
            "op": info.name,
            "variant": "",
            "kind": "module",
            "path": "torch." + info.name,
            "aliases": [],
            "dtype": str(dtype).removeprefix("torch."),
            "ctor_args": enc.encode(list(ctor.args)),
            "ctor_kwargs": enc.encode(dict(ctor.kwargs)),
            "state": enc.encode(dict(module.state_dict())),
            "input": None,
            "args": enc.encode(list(fwd.args)),
            "kwargs": enc.encode(dict(fwd.kwargs)),
            "output": enc.encode(outs[0]),
            "random": len(a) != len(b) or any(not torch.equal(x, y) for x, y in zip(a, b)),
            "sample": index,
        }
    except Unrepresentable as exc:
        return None, f"unrepresentable:{exc}"
    return (rec, enc.arrays), "ok"


def module_records(info, per_op, counts):
    supported = {str(d).removeprefix("torch.") for d in info.supported_dtypes("cpu")}
    dtype = next((getattr(torch, n) for n in ("float32", "float64") if n in supported), None)
    tally: dict = {}
    counts[info.name] = tally
    if dtype is None:
        tally["no_dtype"] = 1
        return []
    try:
        samples = info.module_inputs_func(
            info, device="cpu", dtype=dtype, requires_grad=False, training=False
        )
    except Exception as exc:
        tally[f"sample_inputs_raised:{type(exc).__name__}"] = 1
        return []
    samples = list(samples)
    out, unrepresentable = [], 0
    for i in spread(len(samples), per_op):
        sample = samples[i]
        if len(out) + unrepresentable >= per_op:
            break
        got, why = module_record(info, sample, dtype, i)
        tally[why] = tally.get(why, 0) + 1
        unrepresentable += why.startswith("unrepresentable")
        if got is not None:
            out.append(got)
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-op", type=int, default=6, help="samples kept per op and form")
    parser.add_argument("--only", default=None, help="comma-separated op names (debugging)")
    parser.add_argument(
        "--dtypes", default="float", help="comma-separated groups: float (always), int, bool"
    )
    parser.add_argument("--out", type=Path, default=DATA, help="folder for the fixtures")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore")
    torch.set_num_threads(1)
    from torch.testing._internal.common_methods_invocations import op_db

    rng = np.random.default_rng(13)
    counts: dict = {}
    all_records = []
    only = set(args.only.split(",")) if args.only else None
    for op in op_db:
        if only and op.name not in only:
            continue
        all_records.extend(op_records(op, args.per_op, rng, counts, args.dtypes.split(",")))
    from torch.testing._internal.common_modules import module_db

    for info in module_db:
        if only and info.name not in only:
            continue
        all_records.extend(module_records(info, args.per_op, counts))
    names = write_chunks(all_records, args.out)
    manifest = {
        "torch": torch.__version__,
        "numpy": np.__version__,
        "per_op": args.per_op,
        "files": names,
        "records": len(all_records),
        "ops": counts,
    }
    manifest["dtypes"] = args.dtypes
    (args.out / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    sizes = [(args.out / n).stat().st_size for n in names]
    print(
        f"{len(all_records)} records in {len(names)} files, largest {max(sizes)} bytes,"
        f" total {sum(sizes)} bytes",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
