"""Check the values that docs examples state in comments: ``expr  # tensor([2., 4., 6.])``.

A block is rewritten so that every expression statement (and every one-argument ``print``) whose
line ends in a comment starting with a value (``tensor(...)``, ``ember.Size(...)``, a list, a
tuple, a number, ``True``/``False``, a quoted string) passes its result through :func:`check`,
which compares it with the stated value. Numbers match to the precision they are written with
(``1.25`` means within 0.005). Comments that start with words, or state a conditional value
(``True when CUDA is usable``), are prose and are not checked.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from typing import Any

import numpy as np

_NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?")
_CONDITIONAL = re.compile(r"^\s*(when|if|unless|on|with|for)\b")


def _comments(code: str) -> dict[int, str]:
    out = {}
    for tok in tokenize.generate_tokens(io.StringIO(code).readline):
        if tok.type == tokenize.COMMENT:
            out[tok.start[0]] = tok.string[1:].strip()
    return out


def _balanced(text: str) -> int:
    """Length of the bracketed prefix of ``text`` (which starts with an opening bracket)."""
    depth = 0
    for i, ch in enumerate(text):
        depth += ch in "([{"
        depth -= ch in ")]}"
        if depth == 0:
            return i + 1
    return -1


def _strip_call(text: str, head: str) -> str | None:
    end = _balanced(text[len(head) - 1 :])
    if end < 0:
        return None
    inner = text[len(head) : len(head) - 1 + end - 1]
    return re.split(r",\s*(?:dtype|device|requires_grad|grad_fn)=", inner)[0]


def stated_value(comment: str) -> tuple[bool, Any, int | None]:
    """``(found, value, decimals)`` of the value a comment starts with."""
    text = comment
    for head in ("tensor(", "ember.Size(", "Size("):
        if text.startswith(head):
            inner = _strip_call(text, head)
            rest = text[len(head) - 1 + _balanced(text[len(head) - 1 :]) :]
            return _literal(inner, rest) if inner is not None else (False, None, None)
    if text[:1] in "([{":
        end = _balanced(text)
        return _literal(text[:end], text[end:]) if end > 0 else (False, None, None)
    for word, value in (("True", True), ("False", False), ("None", None)):
        if re.match(rf"{word}\b", text):
            return (not _CONDITIONAL.match(text[len(word) :]), value, None)
    m = _NUMBER.match(text)
    if m and (len(text) == m.end() or not text[m.end()].isalnum() or text[m.end()] == " "):
        rest = text[m.end() :]
        prose = _CONDITIONAL.match(rest) or re.match(r"\s*[-+*/^=<>]", rest)
        return (not prose, float(m.group()), _decimals(m.group()))
    if text[:1] in "'\"":
        end = text.find(text[0], 1)
        return _literal(text[: end + 1], text[end + 1 :]) if end > 0 else (False, None, None)
    return False, None, None


def _decimals(token: str) -> int | None:
    """Decimals written after the point; for ``3.4028e+38`` the mantissa's, as a negative
    count of significant digits (handled as a relative precision)."""
    mantissa, _, exponent = token.lower().partition("e")
    if "." not in mantissa:
        return None
    places = len(mantissa.split(".")[1])
    return -(places + 1) if exponent else places


def _literal(text: str, rest: str) -> tuple[bool, Any, int | None]:
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError):
        return False, None, None
    decimals = [_decimals(t) for t in _NUMBER.findall(text)]
    known = [d for d in decimals if d is not None]
    fixed = [d for d in known if d >= 0]
    best = max(fixed) if fixed else (min(known) if known else None)
    return (not _CONDITIONAL.match(rest), value, best)


def _plain(x: Any) -> Any:
    if hasattr(x, "tolist") and callable(x.tolist):
        return x.tolist()
    if isinstance(x, tuple):
        return [_plain(v) for v in x]
    if isinstance(x, list):
        return [_plain(v) for v in x]
    return x


def _same(actual: Any, expected: Any, decimals: int | None) -> bool:
    a, e = _plain(actual), _plain(expected)
    if isinstance(e, (list, tuple)):
        if not isinstance(a, list):
            return False
        if len(a) != len(e):
            fa, fe = np.ravel(np.asarray(a, dtype=object)), np.ravel(np.asarray(e, dtype=object))
            return len(fa) == len(fe) and all(_same(x, y, decimals) for x, y in zip(fa, fe))
        return all(_same(x, y, decimals) for x, y in zip(a, e))
    if isinstance(e, dict):
        return (
            isinstance(a, dict)
            and a.keys() == e.keys()
            and all(_same(a[k], e[k], decimals) for k in e)
        )
    if isinstance(e, bool) or e is None or isinstance(e, str):
        return a == e
    if isinstance(a, list) and len(np.ravel(a)) == 1:
        a = np.ravel(a)[0]
    if not isinstance(a, (int, float, np.number)):
        return False
    if decimals is None:
        tol = 1e-6 * max(1.0, abs(e))
    elif decimals < 0:  # scientific notation: relative to the stated significant digits
        tol = 5.0 * 10.0**decimals * abs(e)
    else:
        tol = 0.5 * 10.0**-decimals + 1e-12
    return abs(float(a) - float(e)) <= tol or (np.isnan(float(a)) and np.isnan(float(e)))


class _Instrument(ast.NodeTransformer):
    def __init__(self, comments: dict[int, str]) -> None:
        self.comments, self.checks = comments, 0

    def _wrap(self, node: ast.expr, line: int) -> ast.expr:
        found, _, _ = stated_value(self.comments.get(line, ""))
        if not found:
            return node
        self.checks += 1
        call = ast.Call(ast.Name("__check_output__", ast.Load()), [node, ast.Constant(line)], [])
        return ast.copy_location(call, node)

    def visit_Expr(self, node: ast.Expr) -> ast.Expr:  # noqa: N802 - ast's name
        line = node.end_lineno or node.lineno
        v = node.value
        if isinstance(v, ast.Call) and isinstance(v.func, ast.Name) and v.func.id == "print":
            if len(v.args) == 1 and not v.keywords:
                v.args[0] = self._wrap(v.args[0], line)
            return node
        if node.lineno == line:  # one-line expressions only
            node.value = self._wrap(v, line)
        return node


def instrument(code: str, filename: str) -> tuple[Any, int, dict[int, str]]:
    """Compile ``code`` with its stated outputs checked; return (code object, count, comments)."""
    comments = _comments(code)
    tree = _Instrument(comments)
    module = ast.fix_missing_locations(tree.visit(ast.parse(code)))
    return compile(module, filename, "exec"), tree.checks, comments


def make_checker(comments: dict[int, str], where: str):
    """The ``__check_output__(value, line)`` a rewritten block calls."""

    def check(value: Any, line: int) -> Any:
        if getattr(value, "is_meta", False) is True:  # no data: the comment is the printed form
            ok = str(value) == comments[line].strip()
        else:
            _, expected, decimals = stated_value(comments[line])
            ok = _same(value, expected, decimals)
        if not ok:
            raise AssertionError(
                f"{where} line {line}: got {value!r}, the comment states {comments[line]!r}"
            )
        return value

    return check
