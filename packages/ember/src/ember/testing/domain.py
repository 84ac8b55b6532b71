"""The domain-package test kit: fake-file writers and contract checks.

Every domain package (embervision, embertext, emberaudio, a third party's) runs these checks
on itself, so "a dataset", "a transform", "a model", "weights" and "registered in the hub" mean
the same thing everywhere. Each check raises ``AssertionError`` naming what broke; none needs
the network or pytest.

Writers (tests never ship real data files): :func:`write_idx` (MNIST's IDX format, ``.gz``
when the name ends so), :func:`write_image_folder` (class folders of PNG/JPEG images; needs
Pillow), :func:`write_wav` (16-bit PCM through the standard ``wave`` module), :func:`write_csv`
and :func:`write_lines`.

Checks: :func:`check_dataset`, :func:`check_transform`, :func:`check_model`,
:func:`check_weights`, :func:`check_hub_registration`.

Example:
    >>> import numpy as np, tempfile, os
    >>> from ember.testing.domain import write_idx
    >>> folder = tempfile.mkdtemp()
    >>> path = write_idx(os.path.join(folder, "x-idx1-ubyte"), np.arange(3, dtype=np.uint8))
    >>> open(path, "rb").read()[:4]
    b'\\x00\\x00\\x08\\x01'
"""

from __future__ import annotations

import csv
import gzip
import inspect
import io
import os
import struct
import wave
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

import ember
from ember import hub, nn
from ember._dtype import np_kind
from ember.testing._compare import assert_close

__all__ = [
    "write_idx",
    "write_image_folder",
    "write_wav",
    "write_csv",
    "write_lines",
    "check_dataset",
    "check_transform",
    "check_model",
    "check_weights",
    "check_hub_registration",
]

PathLike = str | os.PathLike

# ------------------------------------------------------------------------------- writers ---

_IDX_CODES = {
    np.dtype(np.uint8): 0x08,
    np.dtype(np.int8): 0x09,
    np.dtype(">i2"): 0x0B,
    np.dtype(">i4"): 0x0C,
    np.dtype(">f4"): 0x0D,
    np.dtype(">f8"): 0x0E,
}


def _parent(path: PathLike) -> Path:
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    return p


def write_idx(path: PathLike, array: np.ndarray) -> Path:
    """Write ``array`` in the IDX format of MNIST-style datasets (gzip when ``path`` ends ``.gz``).

    Args:
        path: the file to write (parent folders are created).
        array: uint8, int8, int16, int32, float32 or float64 data; stored big-endian.

    Returns:
        The path written.
    """
    arr = np.asarray(array)
    big = arr.dtype.newbyteorder(">") if arr.dtype.itemsize > 1 else arr.dtype
    if big not in _IDX_CODES:
        raise ValueError(f"write_idx: IDX has no code for dtype {arr.dtype}")
    header = struct.pack(">BBBB", 0, 0, _IDX_CODES[big], arr.ndim)
    data = header + struct.pack(f">{arr.ndim}I", *arr.shape) + arr.astype(big).tobytes()
    p = _parent(path)
    p.write_bytes(gzip.compress(data) if p.suffix == ".gz" else data)
    return p


def write_image_folder(
    root: PathLike,
    classes: Sequence[str] = ("cat", "dog"),
    *,
    per_class: int = 2,
    size: tuple[int, int] = (8, 8),
    mode: str = "RGB",
    ext: str = ".png",
    seed: int = 0,
) -> list[tuple[Path, int]]:
    """Write ``root/<class>/<i><ext>`` random images (the ImageFolder layout). Needs Pillow.

    Args:
        root: the dataset folder.
        classes: one subfolder per class, in class-index order.
        per_class: images per class.
        size: ``(width, height)``.
        mode: a Pillow mode (``"RGB"``, ``"L"``).
        ext: ``.png`` (lossless) or ``.jpg``.
        seed: seeds the pixel values.

    Returns:
        ``[(path, class_index), ...]`` in sorted order.
    """
    try:
        from PIL import Image
    except ImportError as exc:  # pragma: no cover - Pillow is a vision dependency
        raise ImportError("write_image_folder needs Pillow (pip install pillow)") from exc
    rng = np.random.default_rng(seed)
    channels = len(Image.new(mode, (1, 1)).getbands())
    out = []
    for idx, name in enumerate(classes):
        for i in range(per_class):
            shape = (size[1], size[0], channels) if channels > 1 else (size[1], size[0])
            pixels = rng.integers(0, 256, shape, dtype=np.uint8)
            path = _parent(Path(root) / name / f"{i:03d}{ext}")
            Image.fromarray(pixels, mode=None).convert(mode).save(path)
            out.append((path, idx))
    return out


def write_wav(path: PathLike, waveform: np.ndarray, sample_rate: int = 16000) -> Path:
    """Write a 16-bit PCM WAV file with the standard ``wave`` module.

    Args:
        path: the file to write.
        waveform: ``(channels, frames)`` or ``(frames,)``; floats in ``[-1, 1]`` are scaled to
            int16, integer data is written as int16 as is.
        sample_rate: frames per second.

    Returns:
        The path written.
    """
    data = np.asarray(waveform)
    data = data[None] if data.ndim == 1 else data
    if np_kind(data.dtype) == "f":
        data = np.clip(np.round(data * 32767.0), -32768, 32767)
    frames = data.astype("<i2").T.copy()  # interleave channels
    with wave.open(str(_parent(path)), "wb") as f:
        f.setnchannels(data.shape[0])
        f.setsampwidth(2)
        f.setframerate(int(sample_rate))
        f.writeframes(frames.tobytes())
    return Path(path)


def write_csv(
    path: PathLike, rows: Iterable[Sequence[Any]], header: Sequence[str] | None = None
) -> Path:
    """Write rows (and an optional header line) as a comma-separated UTF-8 file."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    if header is not None:
        writer.writerow(header)
    writer.writerows(rows)
    p = _parent(path)
    p.write_text(buf.getvalue(), encoding="utf-8")
    return p


def write_lines(path: PathLike, lines: Iterable[str], encoding: str = "utf-8") -> Path:
    """Write one string per line (a text corpus, a vocabulary, a label list)."""
    p = _parent(path)
    p.write_text("".join(f"{line}\n" for line in lines), encoding=encoding)
    return p


# -------------------------------------------------------------------------------- checks ---


class _Spy:
    """A transform that records what it saw and tags what it returns."""

    def __init__(self, tag: str) -> None:
        self.tag, self.seen = tag, []

    def __call__(self, x: Any) -> tuple[str, Any]:
        self.seen.append(x)
        return (self.tag, x)

    def __repr__(self) -> str:
        return f"Spy({self.tag})"


class _PairSpy:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, x: Any, y: Any) -> tuple[Any, Any]:
        self.calls += 1
        return ("pair-input", x), ("pair-target", y)


def _same(a: Any, b: Any) -> bool:
    try:
        assert_close(a, b, rtol=0.0, atol=0.0, check_dtype=False)
    except (AssertionError, TypeError, ValueError):
        if isinstance(a, (ember.Tensor, np.ndarray)) or isinstance(b, (ember.Tensor, np.ndarray)):
            return False
        return _same_value(a, b)
    return True


def _same_value(a: Any, b: Any) -> bool:
    try:  # PIL images and other values with a buffer compare by bytes
        return type(a) is type(b) and (a == b or np.array_equal(np.asarray(a), np.asarray(b)))
    except Exception:
        return False


def check_dataset(
    make: Callable[..., Any],
    *,
    length: int | None = None,
    indices: Sequence[int] = (0, -1),
    pair: bool = True,
    joint: bool = True,
) -> None:
    """Check a dataset class against the contract of a root-based dataset.

    ``make(**kwargs)`` must build the dataset under test (usually on fake files) and pass the
    keyword arguments ``transform``, ``target_transform`` and ``transforms`` on to the dataset.
    Checked:

    - ``len`` is positive (equal to ``length`` when given); ``ds[len(ds)]`` raises IndexError;
    - ``ds[i]`` for ``i`` in ``indices`` (negative ones counted from the end) is an
      ``(input, target)`` pair, and reading it twice gives the same values;
    - ``transform`` is called once per item with the input, ``target_transform`` with the
      target, and their results are what ``ds[i]`` returns;
    - ``transforms`` (a pair callable) replaces both, and mixing it with the others is refused
      (only when ``joint``: datasets that, like torchvision's MNIST, take no ``transforms=``
      pass ``joint=False``);
    - ``repr(ds)`` starts with ``Dataset <ClassName>``, states ``Number of datapoints: N`` and
      the root, and names the transforms.

    Args:
        make: builds the dataset from keyword arguments.
        length: the expected length, or None to only require a positive one.
        indices: the items to read.
        pair: the items are ``(input, target)`` pairs (False for input-only datasets; the
            target checks are skipped).
        joint: the dataset takes ``transforms=`` (a callable on the pair).

    Raises:
        AssertionError: naming the broken rule.
    """
    ds = make()
    n = len(ds)
    assert n > 0 if length is None else n == length, f"len(dataset) is {n}, expected {length}"
    picks = sorted({i % n for i in indices})
    for i in picks:
        item = ds[i]
        if pair:
            assert isinstance(item, tuple) and len(item) == 2, (
                f"dataset[{i}] is {type(item).__name__}, expected an (input, target) tuple"
            )
        assert _same(item, ds[i]), f"dataset[{i}] changed between two reads"
    try:
        ds[n]
    except IndexError:
        pass
    else:
        raise AssertionError(f"dataset[{n}] (== len) should raise IndexError")
    _check_transform_hooks(make, ds, picks, pair, joint)
    _check_repr(ds, n)


def _check_transform_hooks(
    make: Callable[..., Any], plain: Any, picks: list[int], pair: bool, joint: bool
) -> None:
    if not pair:
        spy = _Spy("input")
        ds = make(transform=spy)
        for i in picks:
            assert _tagged(ds[i], "input", plain[i]), f"transform was not applied to item {i}"
        return
    spy, tspy = _Spy("input"), _Spy("target")
    ds = make(transform=spy, target_transform=tspy)
    for i in picks:
        (x, y), (x0, y0) = ds[i], plain[i]
        assert _tagged(x, "input", x0), f"transform was not applied to dataset[{i}]'s input"
        assert _tagged(y, "target", y0), f"target_transform was not applied to item {i}'s target"
    assert len(spy.seen) == len(picks), f"transform called {len(spy.seen)} times for {len(picks)}"
    if joint:
        _check_joint(make, picks, spy)


def _check_joint(make: Callable[..., Any], picks: list[int], spy: _Spy) -> None:
    both = _PairSpy()
    ds = make(transforms=both)
    x, y = ds[picks[0]]
    assert both.calls == 1 and x[0] == "pair-input" and y[0] == "pair-target", (
        "transforms= (a callable on (input, target)) was not applied"
    )
    try:
        make(transforms=both, transform=spy)
    except ValueError:
        pass
    else:
        raise AssertionError("passing transforms= together with transform= must raise ValueError")


def _tagged(value: Any, tag: str, original: Any) -> bool:
    return (
        isinstance(value, tuple)
        and len(value) == 2
        and value[0] == tag
        and _same(value[1], original)
    )


def _check_repr(ds: Any, n: int) -> None:
    text = repr(ds)
    first = text.splitlines()[0]
    assert first == f"Dataset {type(ds).__name__}", f"repr starts {first!r}"
    assert f"Number of datapoints: {n}" in text, f"repr lacks 'Number of datapoints: {n}'"
    root = getattr(ds, "root", None)
    if root is not None:
        assert f"Root location: {root}" in text, "repr lacks 'Root location: <root>'"


def check_transform(
    transform: Callable[..., Any],
    inputs: Sequence[Any],
    *,
    seed: int = 0,
    batched: bool = True,
    rtol: float = 1e-5,
    atol: float = 1e-6,
) -> None:
    """Check that a transform is deterministic under a seed and treats a batch like its items.

    - Determinism: ``ember.manual_seed(seed); transform(x)`` gives the same result twice.
    - Batched vs unbatched (when ``batched``): ``transform(stack(inputs))[i]`` equals
      ``transform(inputs[i])`` for each ``i``, each call after ``ember.manual_seed(seed)``.
      This holds for deterministic transforms and for random ones that draw their parameters
      once per call (the torchvision/torchaudio rule); a transform that draws per item needs
      ``batched=False``.

    Args:
        transform: the transform under test.
        inputs: at least one input tensor; for the batch check, same-shaped tensors.
        seed: the seed used before every call.
        batched: run the batch check.
        rtol: relative tolerance of the comparisons.
        atol: absolute tolerance of the comparisons.

    Raises:
        AssertionError: naming the broken rule.
    """
    if not inputs:
        raise ValueError("check_transform: give at least one input")

    def run(x: Any) -> Any:
        ember.manual_seed(seed)
        return transform(x)

    first = run(inputs[0])
    try:
        assert_close(run(inputs[0]), first, rtol=rtol, atol=atol)
    except AssertionError as err:
        raise AssertionError(f"{transform!r} is not deterministic under a seed: {err}") from None
    if not batched:
        return
    batch = run(ember.stack(list(inputs)))
    for i, x in enumerate(inputs):
        try:
            assert_close(batch[i], run(x), rtol=rtol, atol=atol)
        except AssertionError as err:
            raise AssertionError(
                f"{transform!r}: item {i} of the batched result differs from the unbatched one: "
                f"{err}"
            ) from None


def _loss(out: Any, target: Any, loss_fn: Callable[..., Any] | None) -> Any:
    if loss_fn is not None:
        return loss_fn(out, target)
    if target is None:
        return (out.float() ** 2).mean()
    if target.dtype.is_floating_point:
        return nn.functional.mse_loss(out, target)
    return nn.functional.cross_entropy(out, target)


def check_model(
    make: Callable[[], nn.Module],
    example_input: Any,
    target: Any = None,
    *,
    loss_fn: Callable[..., Any] | None = None,
    steps: int = 30,
    lr: float = 1e-2,
    factor: float = 0.5,
) -> None:
    """Check a model's state-dict round trip and that it can overfit one batch.

    - ``make()`` twice (different initialisations), load the first model's ``state_dict`` into
      the second, through :func:`ember.save` / :func:`ember.load`: same keys, and the same
      output in eval mode.
    - ``steps`` Adam steps on ``(example_input, target)`` bring the loss below
      ``factor`` times its starting value.

    Args:
        make: builds a fresh model.
        example_input: one batch (a tensor, or a tuple of positional inputs).
        target: the target for the loss: class indices (cross-entropy), a float tensor (MSE),
            or None (the mean square of the output is minimised).
        loss_fn: ``loss_fn(output, target)`` instead of the default.
        steps: optimisation steps.
        lr: Adam's learning rate.
        factor: the final loss must be below ``factor`` times the first.

    Raises:
        AssertionError: naming the broken rule and the losses seen.
    """
    args = example_input if isinstance(example_input, tuple) else (example_input,)
    ember.manual_seed(0)
    a = make().eval()
    ember.manual_seed(1)
    b = make().eval()
    buf = io.BytesIO()
    ember.save(a.state_dict(), buf)
    buf.seek(0)
    state = ember.load(buf)
    assert list(state) == list(a.state_dict()), "state_dict keys changed in a save/load round trip"
    b.load_state_dict(state)
    with ember.no_grad():
        assert_close(b(*args), a(*args), msg="outputs differ after loading the state_dict")
    _check_overfit(make, args, target, loss_fn, steps, lr, factor)


def _check_overfit(make, args, target, loss_fn, steps, lr, factor) -> None:
    ember.manual_seed(0)
    model = make().train()
    opt = ember.optim.Adam(model.parameters(), lr=lr)
    losses = []
    for _ in range(steps):
        opt.zero_grad()
        loss = _loss(model(*args), target, loss_fn)
        loss.backward()
        opt.step()
        losses.append(float(loss.item()))
    assert losses[-1] < factor * losses[0], (
        f"could not overfit one batch: loss {losses[0]:.4g} -> {losses[-1]:.4g} in {steps} steps "
        f"(needs < {factor} x the first)"
    )


def check_weights(weights: Any) -> None:
    """Check the metadata of a weights enum (or one member) the hub serves.

    For every member: its value is a :class:`ember.hub.Weights`; it has a ``url`` or a package
    ``file`` and a non-empty file name; a downloadable file carries a sha256 of at least 8 hex
    digits; ``transforms`` is None or builds a callable; ``meta["categories"]`` (when present)
    is a non-empty list of strings; ``meta["num_params"]`` (when present) is a positive int;
    ``meta["_metrics"]`` (when present) maps dataset names to ``{metric: number}``. An enum with
    members must have a ``DEFAULT``.

    Raises:
        AssertionError: naming the member and the broken rule.
    """
    members = list(weights) if isinstance(weights, type) else [weights]
    if isinstance(weights, type) and members:
        assert "DEFAULT" in weights.__members__, f"{weights.__name__} has no DEFAULT member"
    for m in members:
        _check_member(m)


def _check_member(m: Any) -> None:
    w = m.value if isinstance(m, hub.WeightsEnum) else m
    where = repr(m)
    assert isinstance(w, hub.Weights), f"{where}: value is {type(w).__name__}, not hub.Weights"
    assert w.url or w.file, f"{where}: neither a url nor a package file"
    assert w.file_name, f"{where}: no file name"
    if w.url and w.file is None:
        sha = w.sha256 or hub.sha256_prefix_from_name(w.file_name)
        assert sha and len(sha) >= 8 and all(c in "0123456789abcdef" for c in sha.lower()), (
            f"{where}: a downloadable file needs a sha256 (>= 8 hex digits), got {sha!r}"
        )
    if w.transforms is not None:
        assert callable(w.transforms()), f"{where}: transforms() did not build a callable"
    meta = w.meta
    cats = meta.get("categories")
    if cats is not None:
        assert cats and all(isinstance(c, str) for c in cats), f"{where}: bad categories"
    if "num_params" in meta:
        assert isinstance(meta["num_params"], int) and meta["num_params"] > 0, (
            f"{where}: num_params must be a positive int"
        )
    for dataset, metrics in meta.get("_metrics", {}).items():
        assert isinstance(metrics, dict) and all(
            isinstance(v, (int, float)) for v in metrics.values()
        ), f"{where}: _metrics[{dataset!r}] must map metric names to numbers"


def check_hub_registration(
    domain: str, *, models_module: Any = None, build: Sequence[str] = ()
) -> None:
    """Check that a domain's models are registered in :mod:`ember.hub` as the contract says.

    - ``domain`` is in :func:`ember.hub.list_domains` and has at least one model;
    - every builder takes keyword-only ``weights`` and ``progress``;
    - :func:`ember.hub.domain_of` of each is ``domain``;
    - ``models_module.list_models()`` (the domain's own, when given) lists exactly the
      domain's models (no third-party ones);
    - the models named in ``build`` build through :func:`ember.hub.get_model` into modules.

    Raises:
        AssertionError: naming the broken rule.
    """
    assert domain in hub.list_domains(), f"domain {domain!r} not in {hub.list_domains()}"
    names = hub.list_models(domain=domain)
    assert names, f"domain {domain!r} registers no models"
    for name in names:
        params = inspect.signature(hub.get_model_builder(name)).parameters
        for arg in ("weights", "progress"):
            assert arg in params and params[arg].kind is inspect.Parameter.KEYWORD_ONLY, (
                f"builder {name!r} must take keyword-only {arg}="
            )
        assert hub.domain_of(name) == domain, f"{name!r} is filed under {hub.domain_of(name)!r}"
    if models_module is not None:
        own = models_module.list_models()
        assert own == names, (
            f"{models_module.__name__}.list_models() lists {sorted(set(own) ^ set(names))} "
            f"differently from ember.hub.list_models(domain={domain!r})"
        )
    for name in build:
        model = hub.get_model(name)
        assert isinstance(model, nn.Module), f"get_model({name!r}) returned {type(model).__name__}"
