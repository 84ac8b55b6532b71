"""Walk one op through ember: every Python function call inside the package, in order.

Traces ``y = a * b + c`` (tensors that require grad) and ``y.sum().backward()``, and prints each
ember function entered (depth-indented), then the number of calls ("hops") and of distinct files
for the forward and the backward part. Run: ``.venv/bin/python benchmarks/op_walk.py [--quiet]``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import ember


def trace(fn, root: str) -> list[tuple[int, str, str]]:
    """Run ``fn`` and return ``(depth, file, function)`` for each call made inside ``root``."""
    calls: list[tuple[int, str, str]] = []
    depth = [0]

    def prof(frame, event, arg):  # noqa: ARG001 - sys.setprofile's signature
        if event == "call":
            depth[0] += 1
            path = frame.f_code.co_filename
            if path.startswith(root):
                calls.append((depth[0], path[len(root) + 1 :], frame.f_code.co_qualname))
        elif event == "return":
            depth[0] -= 1

    sys.setprofile(prof)
    try:
        fn()
    finally:
        sys.setprofile(None)
    return calls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quiet", action="store_true", help="only the counts")
    args = parser.parse_args()
    root = str(Path(ember.__file__).parent)
    a = ember.randn(3, requires_grad=True)
    b = ember.randn(3, requires_grad=True)
    c = ember.randn(3, requires_grad=True)
    y = a * b + c  # warm-up: lazy imports and caches out of the way
    y.sum().backward()
    out: dict[str, object] = {}
    forward = trace(lambda: out.setdefault("y", a * b + c), root)
    loss = out["y"].sum()  # type: ignore[attr-defined]
    backward = trace(loss.backward, root)
    for name, calls in (("a * b + c", forward), ("y.sum().backward()", backward)):
        if not args.quiet:
            print(f"-- {name}")
            base = min((d for d, _, _ in calls), default=0)
            for d, path, fn in calls:
                print(f"{'  ' * (d - base)}{fn}  ({path})")
        files = {p for _, p, _ in calls}
        print(f"{name}: {len(calls)} function calls in {len(files)} files")


if __name__ == "__main__":
    main()
