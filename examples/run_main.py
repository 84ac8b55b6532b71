"""The main job behind `make run`: the most complete example pipeline available.

It runs the vision MNIST pipeline when embervision is installed, otherwise the core MNIST MLP.
"""

from __future__ import annotations

import runpy
import sys
from importlib.util import find_spec
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    vision = HERE / "vision" / "mnist.py"
    if find_spec("embervision") is not None and vision.exists():
        target = vision
    else:
        target = HERE / "core" / "mnist_mlp.py"
    print(f"running {target.relative_to(HERE.parent)}", flush=True)
    sys.argv = [str(target), *sys.argv[1:]]
    runpy.run_path(str(target), run_name="__main__")


if __name__ == "__main__":
    main()
