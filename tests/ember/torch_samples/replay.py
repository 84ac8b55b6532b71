"""Replay PyTorch's OpInfo samples (recorded by ``make_samples.py``) through ember.

Each record names the public torch callable a sample was run through; ``torch`` maps to
``ember`` (``torch.nn.functional.X`` to ``ember.nn.functional.X``, ``torch.linalg.X`` to
``ember.linalg.X``, ...) and ``Tensor.X`` to the ember Tensor method or attribute. Every
sample ends in one class:

- ``pass``: same structure, shapes, dtypes and values (NaN-aware, with ``TOLERANCES``);
  samples of random ops (``record["random"]``) compare shapes and dtypes only.
- ``missing``: ember has no such function, method or dtype.
- ``raised:<Class>``: ember raised while running the sample.
- ``wrong_value`` / ``wrong_dtype`` / ``wrong_shape`` / ``wrong_type`` (a tensor where torch
  gives a tuple, a number where torch gives a tensor, ...).

The vector-Jacobian products recorded with the differentiable float samples are replayed
the same way (``grad_*`` classes), counted apart from the forward figure.
"""

from __future__ import annotations

import json
import signal
import time
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

import ember
from ember.testing._compare import _TOLERANCES as _TORCH_TOLERANCES

DATA = Path(__file__).resolve().parent / "data"
KNOWN = Path(__file__).resolve().parent / "known_failures.txt"

# (rtol, atol) per dtype: torch.testing.assert_close's (ember.testing's table), with the float32
# and complex64 rtol widened to 1e-5 (independent algorithms reorder sums; torch's own OpInfo
# tests override its defaults more often still).
TOLERANCES = {**_TORCH_TOLERANCES, "float32": (1e-5, 1e-5), "complex64": (1e-5, 1e-5)}
GRAD_TOLERANCES = {"float32": (1e-4, 1e-4), "float64": (1e-6, 1e-6)}
SAMPLE_TIMEOUT_S = 5.0


class Missing(Exception):
    """ember has no counterpart for a name the sample uses."""


class Mismatch(Exception):
    """ember's result differs from torch's; ``kind`` is the failure class."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


@dataclass
class Outcome:
    """The result of replaying one record: its id, class, a message and the grad class."""

    sample_id: str
    op: str
    path: str
    namespace: str
    status: str
    message: str = ""
    grad_status: str | None = None
    grad_message: str = ""
    seconds: float = 0.0
    aliases: list = field(default_factory=list)


def sample_id(rec: dict) -> str:
    """Stable identifier of a record: ``op|variant|kind|sample index``."""
    extra = f"|{rec['dtype']}" if rec.get("extra_dtype") else ""
    return f"{rec['op']}|{rec['variant']}|{rec['kind']}|{rec['sample']}{extra}"


def namespace_of(rec: dict) -> str:
    """The public namespace a record's op lives in (``torch``, ``Tensor``, ``linalg``, ...)."""
    if rec["kind"] == "module":
        return "nn (modules)"
    if rec["kind"] != "function":
        return "Tensor"
    parts = rec["path"].split(".")[1:-1]
    return ".".join(parts) if parts else "torch"


def load_records(data_dir: Path = DATA):
    """Yield ``(record, arrays)`` for every stored sample, file by file."""
    manifest = json.loads((data_dir / "manifest.json").read_text())
    for name in manifest["files"]:
        with np.load(data_dir / name, allow_pickle=False) as npz:
            arrays = {k: npz[k] for k in npz.files}
        records = json.loads(arrays.pop("__records__").tobytes().decode())
        for rec in records:
            yield rec, arrays


def resolve(path: str):
    """The ember object for a recorded ``torch.a.b`` path."""
    obj = ember
    for part in path.split(".")[1:]:
        try:
            obj = getattr(obj, part)
        except AttributeError:
            raise Missing(f"{path.replace('torch', 'ember', 1)} is missing") from None
    return obj


def ember_dtype(name: str):
    dt = getattr(ember, name, None)
    if dt is None:
        raise Missing(f"ember.{name} (dtype) is missing")
    return dt


class Decoder:
    """Builds ember arguments from a record, keeping the float tensors for the VJP."""

    def __init__(self, arrays: dict, requires_grad: bool = False) -> None:
        self.arrays = arrays
        self.requires_grad = requires_grad
        self.leaves: list = []

    def decode(self, v):
        if isinstance(v, list):
            return [self.decode(x) for x in v]
        if not isinstance(v, dict):
            return v
        if "T" in v:
            arr = np.array(self.arrays[v["T"]], copy=True)
            ember_dtype(v["dtype"])
            floating = v["dtype"] in ("float16", "float32", "float64")
            t = ember.tensor(arr, requires_grad=self.requires_grad and floating)
            if self.requires_grad and floating:
                self.leaves.append(t)
            return t
        return self._decode_other(v)

    def _decode_other(self, v):
        if "tuple" in v:
            return tuple(self.decode(x) for x in v["tuple"])
        if "dict" in v:
            return {k: self.decode(x) for k, x in v["dict"].items()}
        if "float" in v:
            return float(v["float"])
        if "complex" in v:
            return complex(*v["complex"])
        if "dtype_arg" in v:
            return ember_dtype(v["dtype_arg"])
        if "size" in v:
            return ember.Size(v["size"])
        if "device" in v:
            return v["device"]
        if "memory_format" in v:
            fmt = getattr(ember, v["memory_format"], None)
            if fmt is None:
                raise Missing(f"ember.{v['memory_format']} (memory format) is missing")
            return fmt
        if "slice" in v:
            return slice(*(self.decode(x) for x in v["slice"]))
        if "ellipsis" in v:
            return Ellipsis
        raise ValueError(f"unknown encoded value {v!r}")


def expected_value(v, arrays):
    """The recorded torch output as NumPy arrays and Python values."""
    if isinstance(v, list):
        return [expected_value(x, arrays) for x in v]
    if not isinstance(v, dict):
        return v
    if "T" in v:
        return arrays[v["T"]]
    if "tuple" in v:
        return tuple(expected_value(x, arrays) for x in v["tuple"])
    if "float" in v:
        return float(v["float"])
    if "complex" in v:
        return complex(*v["complex"])
    if "size" in v:
        return tuple(v["size"])
    if "dtype_arg" in v:
        return ("dtype", v["dtype_arg"])
    return v


def dtype_name(t) -> str:
    return str(t.dtype).split(".")[-1]


def compare(
    expected,
    got,
    random: bool,
    tolerances=TOLERANCES,
    where: str = "output",
    *,
    check_dtype: bool = True,
    loose_ints: bool = False,
) -> None:
    """Raise ``Mismatch`` unless ember's ``got`` matches torch's ``expected``.

    ``check_dtype=False`` compares values only, at the tolerance of ``got``'s dtype;
    ``loose_ints`` skips the values of integer outputs (indices of tied elements).
    """
    if isinstance(expected, np.ndarray):
        skip = random or (loose_ints and expected.dtype.kind in "iu")
        _compare_tensor(expected, got, skip, tolerances, where, check_dtype)
    elif isinstance(expected, (tuple, list)):
        if not isinstance(got, (tuple, list)) or len(got) != len(expected):
            raise Mismatch(
                "wrong_type",
                f"{where}: expected a sequence of {len(expected)}, got {type(got).__name__}",
            )
        for i, (e, g) in enumerate(zip(expected, got)):
            compare(
                e,
                g,
                random,
                tolerances,
                f"{where}[{i}]",
                check_dtype=check_dtype,
                loose_ints=loose_ints,
            )
    elif expected is None:
        if got is not None:
            raise Mismatch("wrong_type", f"{where}: expected None, got {type(got).__name__}")
    elif isinstance(expected, tuple) and expected and expected[0] == "dtype":
        if str(got).split(".")[-1] != expected[1]:
            raise Mismatch("wrong_value", f"{where}: expected dtype {expected[1]}, got {got}")
    else:
        _compare_scalar(expected, got, random, where)


def _compare_scalar(expected, got, random, where):
    if isinstance(got, ember.Tensor):
        if got.ndim != 0:
            raise Mismatch("wrong_type", f"{where}: expected a number, got a tensor")
        got = got.item()
    if isinstance(expected, str) or isinstance(got, str):
        if expected != got:
            raise Mismatch("wrong_value", f"{where}: expected {expected!r}, got {got!r}")
        return
    if not isinstance(got, (int, float, complex, bool, np.generic)):
        raise Mismatch("wrong_type", f"{where}: expected {expected!r}, got {type(got).__name__}")
    if not random and not np.allclose(got, expected, rtol=1e-5, atol=1e-6, equal_nan=True):
        raise Mismatch("wrong_value", f"{where}: expected {expected!r}, got {got!r}")


def _compare_tensor(expected, got, random, tolerances, where, check_dtype=True):
    if not isinstance(got, ember.Tensor):
        raise Mismatch("wrong_type", f"{where}: expected a tensor, got {type(got).__name__}")
    if tuple(got.shape) != expected.shape:
        raise Mismatch(
            "wrong_shape", f"{where}: expected shape {list(expected.shape)}, got {list(got.shape)}"
        )
    want = str(expected.dtype) if check_dtype else dtype_name(got)
    if dtype_name(got) != want:
        raise Mismatch("wrong_dtype", f"{where}: expected {want}, got {dtype_name(got)}")
    if random:
        return
    actual = got.detach().numpy()
    rtol, atol = tolerances.get(want, (0.0, 0.0))
    if expected.dtype.kind in "fc" or actual.dtype.kind in "fc":
        ok = np.allclose(actual, expected, rtol=rtol, atol=atol, equal_nan=True)
    else:
        ok = np.array_equal(actual, expected)
    if not ok:
        diff = _max_difference(actual, expected)
        raise Mismatch("wrong_value", f"{where}: values differ (max abs difference {diff})")


def _max_difference(actual, expected) -> str:
    with np.errstate(all="ignore"):
        d = np.abs(actual.astype(np.complex128) - expected.astype(np.complex128))
    d = d[np.isfinite(d)]
    nan_mismatch = bool((np.isnan(actual) != np.isnan(expected)).any())
    return (
        f"{d.max():.3g}" + (", NaN pattern differs" if nan_mismatch else "")
        if d.size
        else ("NaN/inf pattern differs")
    )


@contextmanager
def time_limit(seconds: float):
    """Raise ``TimeoutError`` in the main thread after ``seconds`` (no-op elsewhere)."""

    def _raise(signum, frame):
        raise TimeoutError(f"sample ran over {seconds:g} s")

    try:
        old = signal.signal(signal.SIGALRM, _raise)
    except ValueError:  # not the main thread
        yield
        return
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def call(rec: dict, dec: Decoder):
    """Run a record's call through ember and return the result."""
    x = dec.decode(rec["input"])
    args = dec.decode(rec["args"])
    kwargs = dec.decode(rec["kwargs"])
    name = rec["path"].split(".")[-1]
    if rec["kind"] == "module":
        return call_module(rec, dec, args, kwargs)
    if rec["kind"] == "function":
        return resolve(rec["path"])(x, *args, **kwargs)
    subject = x if isinstance(x, ember.Tensor) else ember.tensor(0.0)
    if not hasattr(subject, name):
        raise Missing(f"Tensor.{name} is missing")
    if rec["kind"] == "attribute":
        return getattr(x, name)
    return getattr(x, name)(*args, **kwargs)


def call_module(rec: dict, dec: Decoder, args: list, kwargs: dict):
    """Build the recorded ``nn`` module, load torch's state into it and run its forward."""
    const = Decoder(dec.arrays)
    cls = resolve(rec["path"])
    module = cls(*const.decode(rec["ctor_args"]), **const.decode(rec["ctor_kwargs"]))
    module = module.to(ember_dtype(rec["dtype"])).eval()
    state = const.decode(rec["state"])
    try:
        module.load_state_dict(state)
    except Exception:  # lazy modules take their shapes from a first forward pass
        if "Lazy" not in rec["path"]:
            raise
        module(*args, **kwargs)
        module.load_state_dict(state)
    return module(*args, **kwargs)


# Decompositions whose vectors are defined up to a sign/phase per column (or row): the outputs
# at these positions are compared after fixing it (the largest entry of each vector made real
# and positive), and their gradients, which depend on that choice, are not replayed.
GAUGE_OUTPUTS = {
    "linalg.svd": {0: "col", 2: "row"},
    "svd": {0: "col", 2: "col"},
    "linalg.eig": {1: "col"},
    "linalg.eigh": {1: "col"},
}


def _canonical(op: str, out):
    """``out`` with each singular/eigen-vector's sign or phase fixed, as NumPy arrays."""
    if not isinstance(out, (tuple, list)):
        return out
    items = []
    k = out[1].shape[-1] if op in ("linalg.svd", "svd") else None  # beyond min(m, n) vectors
    for i, item in enumerate(out):  # of full_matrices=True span a null space: any basis goes
        axis = GAUGE_OUTPUTS[op].get(i)
        if k is not None and axis is not None:
            item = item[..., :k] if axis == "col" else item[..., :k, :]
        if axis is not None and isinstance(item, ember.Tensor):
            item = ember.tensor(_fix_phase(item.detach().numpy(), axis))
        elif axis is not None and isinstance(item, np.ndarray):
            item = _fix_phase(item, axis)
        items.append(item)
    return tuple(items)


# Ops returning the index of a sorted, extreme or most common element: where the input has
# tied values, which index torch returns is its implementation's choice, so the indices are
# compared for shape and dtype only (the values still in full).
TIE_OPS = {
    "topk", "kthvalue", "mode", "sort", "argsort", "median", "nanmedian", "max", "min",
    "argmax", "argmin", "cummax", "cummin",
}  # fmt: skip


def _has_ties(encoded_input, arrays: dict) -> bool:
    if not (isinstance(encoded_input, dict) and "T" in encoded_input):
        return False
    a = arrays[encoded_input["T"]]
    return a.size != np.unique(a).size


def _fix_phase(a: np.ndarray, axis: str) -> np.ndarray:
    if not a.size:
        return a
    vec_axis = -2 if axis == "col" else -1  # the axis running along one vector
    idx = np.expand_dims(np.abs(a).argmax(axis=vec_axis), vec_axis)
    lead = np.take_along_axis(a, idx, axis=vec_axis)
    phase = lead / np.where(np.abs(lead) == 0, 1, np.abs(lead))
    return (a / np.where(phase == 0, 1, phase)).astype(a.dtype)


def run_forward(rec: dict, arrays: dict) -> tuple[str, str]:
    """``(class, message)`` of one record's forward replay."""
    try:
        with time_limit(SAMPLE_TIMEOUT_S):
            got = call(rec, Decoder(arrays))
            expected = expected_value(rec["output"], arrays)
            if rec["op"] in GAUGE_OUTPUTS:
                expected, got = _canonical(rec["op"], expected), _canonical(rec["op"], got)
            loose = rec["op"] in TIE_OPS and _has_ties(rec["input"], arrays)
            try:
                compare(expected, got, rec["random"], loose_ints=loose)
            except Mismatch as exc:
                if exc.kind != "wrong_value" or "output_hi" not in rec:
                    raise
                # torch's float32 result is off from its own float64 one here: ember may
                # match the float64 result instead (values only, at float32 tolerance)
                hi = expected_value(rec["output_hi"], arrays)
                compare(hi, got, rec["random"], check_dtype=False, loose_ints=loose)
    except Missing as exc:
        return "missing", str(exc)
    except Mismatch as exc:
        return exc.kind, str(exc)
    except Exception as exc:  # noqa: BLE001 - every ember error is a classified outcome
        return f"raised:{type(exc).__name__}", _first_line(exc)
    return "pass", ""


def run_vjp(rec: dict, arrays: dict) -> tuple[str, str]:
    """``(class, message)`` of one record's vector-Jacobian product replay."""
    vjp = rec["vjp"]
    try:
        with time_limit(SAMPLE_TIMEOUT_S):
            dec = Decoder(arrays, requires_grad=True)
            out = call(rec, dec)
            floats = [o for o in _tensors(out) if o.is_floating_point()]
            cots = [
                None if c is None else ember.tensor(np.array(arrays[c["T"]]))
                for c in vjp["cotangents"]
            ]
            if len(floats) != len(cots):
                raise Mismatch("wrong_type", f"{len(floats)} float outputs, torch has {len(cots)}")
            # an output ember does not track (torch's gradient through it is zero) adds nothing
            pairs = [(o, c) for o, c in zip(floats, cots) if c is not None and o.requires_grad]
            grads = [None] * len(dec.leaves)
            if pairs:
                grads = ember.autograd.grad(
                    [o for o, _ in pairs], dec.leaves, [c for _, c in pairs], allow_unused=True
                )
            for i, (want, g) in enumerate(zip(vjp["grads"], grads)):
                if want is None:
                    continue
                exp = arrays[want["T"]]
                if g is None:
                    g = ember.tensor(np.zeros_like(exp))
                compare(exp, g, False, GRAD_TOLERANCES, f"grad[{i}]")
    except Missing as exc:
        return "grad_missing", str(exc)
    except Mismatch as exc:
        return "grad_" + exc.kind, str(exc)
    except Exception as exc:  # noqa: BLE001
        return f"grad_raised:{type(exc).__name__}", _first_line(exc)
    return "pass", ""


def _tensors(v) -> list:
    if isinstance(v, ember.Tensor):
        return [v]
    if isinstance(v, (list, tuple)):
        return [t for x in v for t in _tensors(x)]
    return []


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else "")[:200]


def replay_all(data_dir: Path = DATA, *, grads: bool = True) -> list[Outcome]:
    """Replay every stored record; returns one ``Outcome`` per record."""
    outcomes = []
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        for rec, arrays in load_records(data_dir):
            start = time.perf_counter()
            status, message = run_forward(rec, arrays)
            out = Outcome(
                sample_id(rec),
                rec["op"],
                rec["path"],
                namespace_of(rec),
                status,
                message,
                aliases=rec.get("aliases", []),
            )
            if grads and rec.get("vjp") and status == "pass" and rec["op"] not in GAUGE_OUTPUTS:
                out.grad_status, out.grad_message = run_vjp(rec, arrays)
            out.seconds = time.perf_counter() - start
            outcomes.append(out)
    return outcomes


def read_known(path: Path = KNOWN) -> dict[str, str]:
    """``{sample id: class}`` from the known-failures file (``id<TAB>class`` lines)."""
    known = {}
    if not path.exists():
        return known
    for line in path.read_text().splitlines():
        if line and not line.startswith("#"):
            sid, status = line.split("\t")[:2]
            known[sid] = status
    return known
