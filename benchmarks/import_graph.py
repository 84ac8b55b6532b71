"""Count function-local imports and find import circles in a package, with ``ast`` only.

Run: ``python benchmarks/import_graph.py [src_dir] [--list]``; by default it reads
``packages/ember/src/ember``. A function-local import is one inside a ``def`` (not under
``if TYPE_CHECKING``); it is "explained" when the line or the line above carries a comment.
Circles are the strongly connected components (more than one module) of the graph of
imports between the package's own modules: once with module-level imports only, once with the
function-local ones too (the circles those imports hide), and with only the local imports that
carry no comment (circles nobody explained). Imports of names from the root package
(``from ember import Tensor`` in ``ember.nn``) are listed apart: the root binds them before it
imports its subpackages.
"""

from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path


def _module_name(root: Path, path: Path) -> str:
    rel = path.relative_to(root.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve(mod: str, is_pkg: bool, node: ast.ImportFrom) -> list[str]:
    if node.level:
        base = mod.split(".")
        if not is_pkg:
            base = base[:-1]
        base = base[: len(base) - (node.level - 1)]
        target = ".".join(base + ([node.module] if node.module else []))
    else:
        target = node.module or ""
    return [target] + [f"{target}.{a.name}" for a in node.names]


def _plain(node: ast.Import) -> list[str]:
    return [a.name for a in node.names]


def _imports(tree: ast.AST, mod: str, is_pkg: bool):
    """Yield ``(targets, local, lineno)`` for every import statement."""

    def walk(node: ast.AST, in_def: bool, in_tc: bool):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                yield from walk(child, True, in_tc)
            elif isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                yield from walk(child, in_def, True)
            elif isinstance(child, ast.Import):
                if not in_tc:
                    for name in _plain(child):
                        yield [name], in_def, child.lineno
            elif isinstance(child, ast.ImportFrom):
                if not in_tc:
                    yield _resolve(mod, is_pkg, child), in_def, child.lineno
            else:
                yield from walk(child, in_def, in_tc)

    yield from walk(tree, False, False)


def _sccs(graph: dict[str, set[str]]) -> list[list[str]]:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def strong(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            strong(v)
    return out


def analyse(root: Path) -> dict[str, object]:
    """Return the counts and lists for the package at ``root``."""
    files = sorted(root.rglob("*.py"))
    modules = {_module_name(root, p): p for p in files}
    root_pkg = root.name
    graph: dict[str, set[str]] = {m: set() for m in modules}
    latent: dict[str, set[str]] = {m: set() for m in modules}
    unexplained: dict[str, set[str]] = {m: set() for m in modules}
    facade: set[str] = set()
    local: list[tuple[str, int, bool]] = []
    for mod, path in modules.items():
        text = path.read_text()
        lines = text.splitlines()
        tree = ast.parse(text)
        for targets, in_def, lineno in _imports(tree, mod, path.name == "__init__.py"):
            explained = False
            if in_def:
                line = lines[lineno - 1]
                above = lines[lineno - 2].strip() if lineno > 1 else ""
                explained = "#" in line or above.startswith("#")
                local.append((f"{path.relative_to(root.parent)}:{lineno}", lineno, explained))
            base, names = targets[0], targets[1:]
            hits = [t for t in names if t in modules] if names else []
            if len(hits) < len(names) or not names:
                hits.append(base)  # a name taken from the module itself
            for t in hits:
                if t not in modules or t == mod:
                    continue
                if t == root_pkg:  # the public facade: names it has bound before importing us
                    facade.add(mod)
                    continue
                latent[mod].add(t)
                if not explained:
                    unexplained[mod].add(t)
                if not in_def:
                    graph[mod].add(t)
    return {
        "modules": len(modules),
        "local_imports": local,
        "explained": sum(1 for _, _, e in local if e),
        "circles": _sccs(graph),
        "latent": _sccs(latent),
        "unexplained": _sccs(unexplained),
        "facade": sorted(facade),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", nargs="?", default="packages/ember/src/ember")
    parser.add_argument("--list", action="store_true", help="list every local import")
    args = parser.parse_args()
    res = analyse(Path(args.root).resolve())
    local = res["local_imports"]
    print(f"modules: {res['modules']}")
    print(f"function-local imports: {len(local)} ({res['explained']} with a comment)")
    print(f"import circles at module level: {len(res['circles'])}")
    for comp in res["circles"]:
        print(f"  {len(comp)} modules: {', '.join(comp)}")
    print(f"circles once function-local imports are counted: {len(res['latent'])}")
    for comp in res["latent"]:
        print(f"  {len(comp)} modules: {', '.join(comp)}")
    print(f"circles through function-local imports without a comment: {len(res['unexplained'])}")
    for comp in res["unexplained"]:
        print(f"  {len(comp)} modules: {', '.join(comp)}")
    print(f"modules importing names from the root package (not counted): {len(res['facade'])}")
    if args.list:
        for where, _, explained in local:
            print(f"  {where}{'' if explained else '  (no comment)'}")


if __name__ == "__main__":
    main()
