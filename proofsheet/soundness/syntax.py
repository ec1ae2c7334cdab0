"""The statement syntax as a small written tree, for the campaign's own use.

Independent of :mod:`proofsheet.parsing`: the corpus and the mutants are our own
text, read here into plain tuples that keep every written subterm (no SymPy,
no automatic evaluation), and printed back so that ``parse(show(t))`` gives
``t`` again up to the spelling of numbers.

A node is a tuple whose first item is its kind:

``("num", Fraction)``, ``("name", str)``, ``("add", ((op, node), ...))`` with op
``+``/``-``, ``("mul", ((op, node), ...))`` with op ``*``/``/``, ``("neg", node)``,
``("pow", base, exponent)``, ``("call", function, (args...))``.

>>> show(parse_expr("-x^2 + 2*sigma'(x)/3"))
"-x^2 + 2*sigma'(x)/3"
>>> parse_relation("log(x)^2 >= 0")[1]
'>='
"""

from __future__ import annotations

import re
from fractions import Fraction
from functools import lru_cache

#: function name as written -> canonical name, number of arguments
FUNCTIONS: dict[str, tuple[str, int]] = {
    "sigma": ("sigma", 1),
    "sigma'": ("sigma'", 1),
    "sigma_prime": ("sigma'", 1),
    "exp": ("exp", 1),
    "log": ("log", 1),
    "ln": ("log", 1),
    "sqrt": ("sqrt", 1),
    "tanh": ("tanh", 1),
    "abs": ("abs", 1),
    "diff": ("diff", 2),
}
CONSTANTS: dict[str, str] = {"pi": "pi", "E": "E", "e": "E"}
RELATIONS: dict[str, str] = {"=": "=", "==": "=", "<=": "<=", "<": "<", ">=": ">=", ">": ">"}
_TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+(?:\.\d*)?|\.\d+)|(?P<name>[A-Za-z][A-Za-z0-9_]*)"
    r"|(?P<op>\*\*|<=|>=|==|[-+*/^(),'=<>]))"
)


class SyntaxProblem(ValueError):
    """The text is not in the statement syntax."""


def _tokens(text: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    while pos < len(text.rstrip()):
        m = _TOKEN.match(text, pos)
        if not m:
            raise SyntaxProblem(f"unexpected character at {pos}: {text[pos : pos + 10]!r}")
        kind = m.lastgroup or ""
        out.append((kind, m.group(kind)))
        pos = m.end()
    return out + [("end", "")]


class _Reader:
    """Recursive descent over the grammar of ``proofsheet/grammars/statement.lark``."""

    def __init__(self, text: str):
        self.toks, self.i = _tokens(text), 0

    def peek(self) -> str:
        return self.toks[self.i][1]

    def take(self, want: str | None = None) -> tuple[str, str]:
        tok = self.toks[self.i]
        if want is not None and tok[1] != want:
            raise SyntaxProblem(f"expected {want!r}, got {tok[1]!r}")
        self.i += 1
        return tok

    def expr(self) -> tuple:
        terms = [("+", self.product())]
        while self.peek() in ("+", "-"):
            terms.append((self.take()[1], self.product()))
        return terms[0][1] if len(terms) == 1 else ("add", tuple(terms))

    def product(self) -> tuple:
        factors = [("*", self.unary())]
        while self.peek() in ("*", "/"):
            factors.append((self.take()[1], self.unary()))
        return factors[0][1] if len(factors) == 1 else ("mul", tuple(factors))

    def unary(self) -> tuple:
        if self.peek() in ("+", "-"):
            sign = self.take()[1]
            inner = self.unary()
            return ("neg", inner) if sign == "-" else inner
        base = self.atom()
        if self.peek() in ("^", "**"):
            self.take()
            return ("pow", base, self.unary())
        return base

    def atom(self) -> tuple:
        kind, text = self.take()
        if kind == "num":
            return ("num", Fraction(text))
        if text == "(":
            inner = self.expr()
            self.take(")")
            return inner
        if kind != "name":
            raise SyntaxProblem(f"unexpected {text!r}")
        if self.peek() == "'":
            self.take()
            text += "'"
        if self.peek() == "(":
            return self.call(text)
        if text in FUNCTIONS:
            raise SyntaxProblem(f"{text} is a function")
        return ("name", CONSTANTS.get(text, text))

    def call(self, name: str) -> tuple:
        if name not in FUNCTIONS:
            raise SyntaxProblem(f"unknown function {name!r}")
        canonical, arity = FUNCTIONS[name]
        self.take("(")
        args = [self.expr()]
        while self.peek() == ",":
            self.take()
            args.append(self.expr())
        self.take(")")
        if len(args) != arity:
            raise SyntaxProblem(f"{name} takes {arity} arguments")
        if canonical == "diff" and args[1][0] != "name":
            raise SyntaxProblem("diff's second argument must be a variable")
        return ("call", canonical, tuple(args))

    def relation(self) -> tuple[tuple, str, tuple]:
        lhs = self.expr()
        rel = self.take()[1]
        if rel not in RELATIONS:
            raise SyntaxProblem(f"expected a relation, got {rel!r}")
        return lhs, RELATIONS[rel], self.expr()

    def done(self) -> None:
        if self.toks[self.i][0] != "end":
            raise SyntaxProblem(f"unexpected {self.peek()!r} after the end")


def parse_expr(text: str) -> tuple:
    r = _Reader(text)
    out = r.expr()
    r.done()
    return out


def parse_relation(text: str) -> tuple[tuple, str, tuple]:
    """``lhs rel rhs`` as three items."""
    r = _Reader(text)
    out = r.relation()
    r.done()
    return out


def parse_assumptions(text: str) -> list[tuple[tuple, str, tuple]]:
    """``0 < s < 1, t > 0``: every adjacent pair of every chain."""
    out = []
    for part in re.split(r",|\band\b", text):
        r = _Reader(part)
        items = [r.expr()]
        while r.peek() in RELATIONS:
            items += [RELATIONS[r.take()[1]], r.expr()]
        r.done()
        if len(items) < 3:
            raise SyntaxProblem(f"not a relation: {part!r}")
        out += [(items[k], items[k + 1], items[k + 2]) for k in range(0, len(items) - 2, 2)]
    return out


# --- printing ---------------------------------------------------------------------------

_LEVEL = {"add": 1, "mul": 2, "neg": 3, "pow": 4, "name": 5, "call": 5}


def _level(node: tuple) -> int:
    if node[0] == "num":
        value = node[1]
        return 3 if value < 0 else (5 if value.denominator == 1 or _decimal(value) else 2)
    return _LEVEL[node[0]]


def _decimal(value: Fraction) -> str | None:
    """``0.25`` for 1/4 when the decimal is short and exact, else ``None``."""
    q = value.denominator
    for k in range(1, 7):
        if (10**k) % q == 0:
            digits = value.numerator * (10**k // q)
            s = f"{abs(digits) // 10**k}.{abs(digits) % 10**k:0{k}d}".rstrip("0")
            return s
    return None


def _wrap(node: tuple, at_least: int) -> str:
    text = show(node)
    return text if _level(node) >= at_least else f"({text})"


def _show_num(value: Fraction) -> str:
    if value < 0:
        return "-" + _wrap(("num", -value), 4)
    if value.denominator == 1:
        return str(value.numerator)
    return _decimal(value) or f"{value.numerator}/{value.denominator}"


def show(node: tuple) -> str:
    """The node in the statement syntax, with only the parentheses it needs."""
    kind = node[0]
    if kind == "num":
        return _show_num(node[1])
    if kind == "name":
        return node[1]
    if kind == "add":
        parts = [_wrap(node[1][0][1], 1) if node[1][0][0] == "+" else "-" + _wrap(node[1][0][1], 2)]
        parts += [f" {op} {_wrap(t, 2)}" for op, t in node[1][1:]]
        return "".join(parts)
    if kind == "mul":
        first = _wrap(node[1][0][1], 2)
        return first + "".join(f"{op}{_wrap(f, 3)}" for op, f in node[1][1:])
    if kind == "neg":
        return "-" + _wrap(node[1], 3)
    if kind == "pow":
        return f"{_wrap(node[1], 5)}^{_wrap(node[2], 3)}"
    if kind == "call":
        return f"{node[1]}({', '.join(show(a) for a in node[2])})"
    raise TypeError(f"unknown node kind {kind!r}")


def show_relation(lhs: tuple, rel: str, rhs: tuple) -> str:
    return f"{show(lhs)} {rel} {show(rhs)}"


@lru_cache(maxsize=65536)
def variables(node: tuple) -> frozenset[str]:
    """Free variable names (``diff``'s variable counts as free: it is a point too)."""
    kind = node[0]
    if kind == "name":
        return frozenset() if node[1] in ("pi", "E") else frozenset({node[1]})
    if kind == "num":
        return frozenset()
    return frozenset().union(*(variables(c) for c in children(node)))


def children(node: tuple) -> list[tuple]:
    kind = node[0]
    if kind in ("add", "mul"):
        return [t for _, t in node[1]]
    if kind == "neg":
        return [node[1]]
    if kind == "pow":
        return [node[1], node[2]]
    if kind == "call":
        return list(node[2])
    if kind in ("num", "name"):
        return []
    if kind == "guard":  # the oracle's derivative trees: ("guard", kind, condition, body)
        return [node[2], node[3]]
    if kind == "absd":  # and ("absd", u, du): the derivative of |u|
        return [node[1], node[2]]
    raise TypeError(f"unknown node kind {kind!r}")
