"""Vision pipeline speed: image loading throughput and ResNet-18 inference.

1. ``ImageFolder`` + ``RandomResizedCrop(224)`` + ``RandomHorizontalFlip`` + ``ToTensor`` +
   ``Normalize`` through a ``DataLoader`` (batch 16) over the hymenoptera train tree, in
   images/s with 0 and 2 worker processes. The floor is plain Pillow + NumPy doing the same work
   (open, RGB, crop+resize, flip, scale, normalise) in a loop.
2. ``embervision.models.resnet18()`` forward on 8x3x224x224 in eval mode (ms), and PyTorch's
   on the same weights and input when torch is importable (the same ResNet-18 is written out
   below, so torchvision is not needed); the largest output difference is printed too.

Run (ember only):
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE .venv/bin/python benchmarks/bench_vision.py
Run (with torch in the same process; that interpreter needs pillow):
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE \
        PYTHONPATH=packages/ember/src:packages/embervision/src \
        /work/ref/torch/bin/python benchmarks/bench_vision.py
BENCH_THREADS=n sets both libraries' thread count (default 2); on a busy machine use 1.
``--quick`` runs fewer repeats; ``--root`` points at another ImageFolder tree.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).parent))
from _common import try_torch, warn_openblas  # noqa: E402

import ember  # noqa: E402
from ember.utils.data import DataLoader  # noqa: E402

MEAN, STD = (0.485, 0.456, 0.406), (0.229, 0.224, 0.225)
_MEAN32, _STD32 = np.array(MEAN, np.float32), np.array(STD, np.float32)
DEFAULT_ROOT = Path(os.environ.get("EMBER_DATA", Path(__file__).resolve().parents[2] / "shared"
                                   / "data")) / "vision" / "hymenoptera_data" / "train"


def best_rate(fn, items: int, repeats: int) -> float:
    """Best items/s over ``repeats`` calls of ``fn`` (each handling ``items`` items)."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return items / min(times)


def loading(root: Path, repeats: int) -> None:
    from embervision import transforms as T
    from embervision.datasets import ImageFolder

    tf = T.Compose([T.RandomResizedCrop(224), T.RandomHorizontalFlip(), T.ToTensor(),
                    T.Normalize(MEAN, STD)])
    ds = ImageFolder(root, transform=tf)
    print(f"ImageFolder {root} ({len(ds)} images) + RandomResizedCrop(224) + flip + normalize, "
          "batch 16:")
    for workers in (0, 2):
        loader = DataLoader(ds, batch_size=16, shuffle=True, num_workers=workers)

        def epoch(loader=loader) -> None:
            for _batch in loader:
                pass

        rate = best_rate(epoch, len(ds), repeats)
        print(f"  embervision, num_workers={workers}: {rate:7.1f} images/s")
    paths = [p for p, _ in ds.samples]
    rate = best_rate(lambda: [_pillow_numpy(p) for p in paths], len(paths), repeats)
    print(f"  plain Pillow + NumPy loop (floor):  {rate:7.1f} images/s")


def _pillow_numpy(path: str) -> np.ndarray:
    """The same work without embervision: decode, random crop+resize, flip, normalise."""
    rng = np.random.default_rng()
    with Image.open(path) as im:
        im = im.convert("RGB")
    w, h = im.size
    side = int(min(w, h) * np.sqrt(rng.uniform(0.08, 1.0)))
    left, top = rng.integers(0, w - side + 1), rng.integers(0, h - side + 1)
    im = im.resize((224, 224), Image.BILINEAR, box=(left, top, left + side, top + side))
    x = np.asarray(im, dtype=np.float32) / 255.0
    if rng.random() < 0.5:
        x = x[:, ::-1]
    return ((x - _MEAN32) / _STD32).transpose(2, 0, 1)


# -- ResNet-18 written against torch, with torchvision's state-dict keys ------------------------


def torch_resnet18(torch):
    nn = torch.nn

    class Block(nn.Module):
        def __init__(self, cin, cout, stride):
            super().__init__()
            self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
            self.bn1 = nn.BatchNorm2d(cout)
            self.relu = nn.ReLU(inplace=True)
            self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
            self.bn2 = nn.BatchNorm2d(cout)
            self.downsample = None
            if stride != 1 or cin != cout:
                self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False),
                                                nn.BatchNorm2d(cout))

        def forward(self, x):
            idt = x if self.downsample is None else self.downsample(x)
            out = self.relu(self.bn1(self.conv1(x)))
            return self.relu(self.bn2(self.conv2(out)) + idt)

    class ResNet18(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(3, 64, 7, 2, 3, bias=False)
            self.bn1 = nn.BatchNorm2d(64)
            self.relu = nn.ReLU(inplace=True)
            self.maxpool = nn.MaxPool2d(3, 2, 1)
            widths, cin = (64, 128, 256, 512), 64
            for i, w in enumerate(widths):
                stride = 1 if i == 0 else 2
                setattr(self, f"layer{i + 1}", nn.Sequential(Block(cin, w, stride),
                                                               Block(w, w, 1)))
                cin = w
            self.avgpool = nn.AdaptiveAvgPool2d(1)
            self.fc = nn.Linear(512, 1000)

        def forward(self, x):
            x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
            x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
            return self.fc(torch.flatten(self.avgpool(x), 1))

    return ResNet18()


def median_ms(fn, repeats: int) -> float:
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e3


def resnet_forward(repeats: int, torch) -> None:
    from embervision.models import resnet18

    model = resnet18().eval()
    x = np.random.default_rng(0).standard_normal((8, 3, 224, 224), dtype=np.float32)
    xe = ember.from_numpy(x)

    def run_ember():
        with ember.no_grad():
            return model(xe)

    ms = median_ms(run_ember, repeats)
    print(f"ResNet-18 forward, 8x3x224x224, eval: ember {ms:7.1f} ms")
    if torch is None:
        print("  (torch not importable: no PyTorch comparison)")
        return
    tmodel = torch_resnet18(torch).eval()
    state = {k: torch.from_numpy(v.numpy().copy()) for k, v in model.state_dict().items()}
    tmodel.load_state_dict(state)
    xt = torch.from_numpy(x)

    def run_torch():
        with torch.no_grad():
            return tmodel(xt)

    tms = median_ms(run_torch, repeats)
    diff = np.abs(run_ember().numpy() - run_torch().numpy()).max()
    print(f"                                      torch {tms:7.1f} ms  "
          f"(ember/torch {ms / tms:.2f}x; max |diff| {diff:.2e})")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true")
    p.add_argument("--root", type=Path, default=DEFAULT_ROOT)
    args = p.parse_args()
    warn_openblas()
    threads = int(os.environ.get("BENCH_THREADS", "2"))
    ember.set_num_threads(threads)
    torch = try_torch()
    print(f"threads: {threads}; torch: {torch.__version__ if torch else 'not importable'}")
    loading(args.root, 1 if args.quick else 3)
    resnet_forward(3 if args.quick else 7, torch)


if __name__ == "__main__":
    main()
