"""DataLoader throughput.

1. One shuffled epoch over a TensorDataset of 60,000 x 1x28x28 float32 images (+ int64 labels),
   batch 64, in the main process; plain NumPy doing the same permutation and fancy indexing is
   the floor.
2. A decode-heavy dataset (zlib-decompress plus NumPy work, about 2 ms per item): loading with
   2 worker processes against loading in the main process.

Run: python benchmarks/bench_data.py [--quick]
"""

from __future__ import annotations

import argparse
import os
import time
import zlib

import numpy as np

import ember
from ember.utils.data import DataLoader, Dataset, TensorDataset


def best_of(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def bench_tensor_dataset(repeats: int) -> None:
    n, batch = 60_000, 64
    rng = np.random.default_rng(0)
    images = rng.random((n, 1, 28, 28), dtype=np.float32)
    labels = rng.integers(0, 10, n)
    ds = TensorDataset(ember.from_numpy(images), ember.from_numpy(labels))
    loader = DataLoader(ds, batch_size=batch, shuffle=True)

    def epoch() -> None:
        for _batch in loader:
            pass

    def numpy_floor() -> None:
        perm = rng.permutation(n)
        for i in range(0, n, batch):
            idx = perm[i:i + batch]
            images[idx], labels[idx]

    t = best_of(epoch, repeats)
    t_np = best_of(numpy_floor, repeats)
    print(f"TensorDataset 60000x1x28x28, batch 64, shuffle, num_workers=0: "
          f"{n / t / 1e3:8.0f}k samples/s ({t * 1e3:.0f} ms/epoch; target >= 640k/s)")
    print(f"  plain NumPy permutation + fancy index (floor):        "
          f"{n / t_np / 1e3:8.0f}k samples/s ({t_np * 1e3:.0f} ms/epoch)")


class Compressed(Dataset):
    """Items stored zlib-compressed; each fetch decompresses and normalises one 'image'."""

    def __init__(self, n: int, seed: int = 0) -> None:
        rng = np.random.default_rng(seed)
        base = rng.integers(0, 255, (3, 128, 128), dtype=np.uint8)
        self.blobs = [zlib.compress(np.roll(base, i).tobytes(), 6) for i in range(n)]

    def __len__(self) -> int:
        return len(self.blobs)

    def __getitem__(self, i: int):
        raw = np.frombuffer(zlib.decompress(self.blobs[i]), dtype=np.uint8).reshape(3, 128, 128)
        x = raw.astype(np.float32) / 255.0
        for _ in range(8):  # stands in for augmentation work
            x = np.sqrt(x * x + 1e-3) - 0.01 * np.tanh(x)
        x = (x - x.mean(axis=(1, 2), keepdims=True)) / (x.std(axis=(1, 2), keepdims=True) + 1e-6)
        return x, i % 10


def bench_decode(n_items: int, repeats: int) -> None:
    ds = Compressed(n_items)
    start = time.perf_counter()
    for i in range(50):
        ds[i]
    per_item = (time.perf_counter() - start) / 50
    loaders = {w: DataLoader(ds, batch_size=16, num_workers=w) for w in (0, 2)}
    best = {0: float("inf"), 2: float("inf")}
    for _ in range(repeats):  # interleaved, so both see the same machine load
        for workers, loader in loaders.items():
            start = time.perf_counter()
            for _batch in loader:
                pass
            best[workers] = min(best[workers], time.perf_counter() - start)
    for workers, t in best.items():
        print(f"decode-heavy ({per_item * 1e3:.1f} ms/item, {n_items} items, batch 16), "
              f"num_workers={workers}: {n_items / t:7.0f} samples/s")
    print(f"  speed-up with 2 workers: {best[0] / best[2]:.2f}x (target >= 1.6x on 2 cores; "
          f"load average {os.getloadavg()[0]:.1f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats and items")
    args = parser.parse_args()
    repeats = 2 if args.quick else 5
    print(f"ember {ember.__version__}, numpy {np.__version__}, {os.cpu_count()} CPUs "
          f"(affinity: {len(os.sched_getaffinity(0))})")
    bench_tensor_dataset(repeats)
    bench_decode(200 if args.quick else 480, 2 if args.quick else 3)


if __name__ == "__main__":
    main()
