"""``python -m ember``: command-line tools.

Commands:
    new-domain NAME [--dir DIR] [--force]   scaffold a domain package ``ember<NAME>``

Example:
    $ python -m ember new-domain speech --dir packages
    created packages/emberspeech (pip install -e packages/emberspeech)
"""

from __future__ import annotations

import argparse
import sys

from ember._scaffold import new_domain


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ember", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    nd = sub.add_parser("new-domain", help="scaffold a domain package ember<NAME>")
    nd.add_argument("name", help="the domain name: lower-case letters, digits, underscores")
    nd.add_argument("--dir", default="packages", help="where to create ember<NAME>/")
    nd.add_argument("--force", action="store_true", help="overwrite an existing folder")
    args = parser.parse_args(argv)
    try:
        path = new_domain(args.name, args.dir, force=args.force)
    except (ValueError, FileExistsError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(f"created {path} (pip install -e {path})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
