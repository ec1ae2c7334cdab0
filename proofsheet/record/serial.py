"""SymPy expressions and certificates as JSON, and back, without eval or sympify.

An expression becomes a tree ``{"f": class name, "a": [args]}`` with
leaves for symbols and numbers; reading it back calls only the
constructors in :data:`CONSTRUCTORS`, so a proof log is data, never code.

>>> import sympy as sp
>>> x = sp.Symbol("x", real=True)
>>> from_json(to_json(1 / (1 + sp.exp(-x)))) == 1 / (1 + sp.exp(-x))
True
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.functions.elementary.piecewise import ExprCondPair

from ..kernel import certificates
from ..kernel.core import Every
from ..kernel.errors import ProofsheetError
from ..kernel.facts import SYMBOL_FACTS
from ..kernel.notation import sigma, sigma_prime

#: Every SymPy class a proof log may contain, by name.
CONSTRUCTORS: dict[str, Any] = {
    cls.__name__: cls
    for cls in (
        sp.Add,
        sp.Mul,
        sp.Pow,
        sp.exp,
        sp.log,
        sp.Abs,
        sp.tanh,
        sp.sqrt,
        sigma,
        sigma_prime,
        sp.Derivative,
        sp.Subs,
        sp.Product,
        sp.Sum,
        sp.Limit,
        sp.Tuple,
        sp.Indexed,
        sp.IndexedBase,
        sp.UnevaluatedExpr,
        sp.KroneckerDelta,
        sp.Max,
        sp.Min,
        sp.Piecewise,
        ExprCondPair,
        sp.Eq,
        sp.Ne,
        sp.Lt,
        sp.Le,
        sp.Gt,
        sp.Ge,
        sp.And,
        sp.Or,
        sp.Not,
    )
}
CONSTANTS = {"pi": sp.pi, "E": sp.E, "oo": sp.oo, "-oo": -sp.oo, "true": sp.true, "false": sp.false}
CERTIFICATE_TYPES = {
    cls.__name__: cls
    for cls in (
        certificates.Substitution,
        certificates.RationalIdentity,
        certificates.DerivativeIdentity,
        certificates.SignTerm,
        certificates.SignCertificate,
        certificates.IntervalCertificate,
    )
}


class SerialError(ProofsheetError):
    """A proof log entry that does not describe a known object."""


def _encode(expr: sp.Basic, child: Callable[[sp.Basic], Any]) -> Any:
    """One node of ``expr`` as JSON, its sub-expressions written by ``child``."""
    if isinstance(expr, sp.Symbol):
        tree = {"sym": expr.name, "assume": expr._assumptions_orig}
        return {**tree, "every": True} if isinstance(expr, Every) else tree
    if isinstance(expr, sp.Integer):
        return {"int": str(expr)}
    if isinstance(expr, sp.Rational):
        return {"rat": [str(expr.p), str(expr.q)]}
    for name, value in CONSTANTS.items():
        if expr == value:
            return {"const": name}
    if isinstance(expr, sp.MatrixBase):
        return {"matrix": [[child(e) for e in expr.row(i)] for i in range(expr.rows)]}
    if isinstance(expr, AppliedUndef):  # an unspecified function such as y(w)
        return {"ufunc": type(expr).__name__, "a": [child(a) for a in expr.args]}
    name = type(expr).__name__
    if name not in CONSTRUCTORS:
        raise SerialError(f"cannot store a {name} in a proof log")
    return {"f": name, "a": [child(a) for a in expr.args]}


def _decode(tree: Any, child: Callable[[Any], sp.Basic]) -> sp.Basic:
    """The node :func:`_encode` wrote, its sub-expressions read by ``child``."""
    if not isinstance(tree, dict):
        raise SerialError(f"not an expression tree: {tree!r}")
    if "sym" in tree:
        assume = {
            k: bool(v)
            for k, v in dict(tree.get("assume", {})).items()
            if k in SYMBOL_FACTS or k == "commutative"
        }
        return (Every if tree.get("every") is True else sp.Symbol)(str(tree["sym"]), **assume)
    if "int" in tree:
        return sp.Integer(int(tree["int"]))
    if "rat" in tree:
        p, q = tree["rat"]
        return sp.Rational(int(p), int(q))
    if "const" in tree:
        return CONSTANTS[tree["const"]]
    if "matrix" in tree:
        return sp.ImmutableMatrix([[child(e) for e in row] for row in tree["matrix"]])
    if "ufunc" in tree:
        return sp.Function(str(tree["ufunc"]))(*(child(a) for a in tree["a"]))
    if tree.get("f") not in CONSTRUCTORS:
        raise SerialError(f"unknown constructor {tree.get('f')!r}")
    return CONSTRUCTORS[tree["f"]](*(child(a) for a in tree["a"]))


def to_json(expr: sp.Basic) -> Any:
    """A JSON-ready tree for ``expr``."""
    return _encode(expr, to_json)


def from_json(tree: Any) -> sp.Basic:
    """Rebuild an expression from :func:`to_json`'s tree."""
    return _decode(tree, from_json)


class ExprTable:
    """Expressions stored once each: a list of rows, each node's arguments earlier rows.

    A proof log's statements share most of their sub-terms (a chain's links, a definition's
    equations), so it writes every distinct sub-expression once and refers to it by its row.
    """

    def __init__(self) -> None:
        self.rows: list[Any] = []
        self._row: dict[sp.Basic, int] = {}

    def add(self, expr: sp.Basic) -> int:
        """The row of ``expr``, written (after its arguments) when it is new."""
        try:
            return self._row[expr]
        except (KeyError, TypeError):  # new, or a mutable matrix (not hashable): write it
            pass
        row = _encode(expr, self.add)
        self.rows.append(row)
        try:
            self._row[expr] = len(self.rows) - 1
        except TypeError:
            pass
        return len(self.rows) - 1


def read_table(rows: Any) -> list[sp.Basic]:
    """The expressions of :class:`ExprTable`'s rows; a row may refer only to earlier rows."""
    if not isinstance(rows, list):
        raise SerialError("the expression table must be a list")
    built: list[sp.Basic] = []
    for row in rows:
        built.append(_decode(row, lambda i: table_expr(built, i)))
    return built


def table_expr(built: list[sp.Basic], index: Any) -> sp.Basic:
    """Row ``index`` of a read table, refusing anything but an earlier row's number."""
    if type(index) is not int or not 0 <= index < len(built):
        raise SerialError(f"expression {index!r} is not an earlier row")
    return built[index]


def data_to_json(value: Any, expr: Callable[[sp.Basic], Any] = to_json) -> Any:
    """Certificates, tuples and expressions to JSON (dataclasses tagged by type); each
    expression written by ``expr`` (a tree, or a row of an :class:`ExprTable`)."""
    data = lambda v: data_to_json(v, expr)
    if dataclasses.is_dataclass(value):
        fields = {f.name: data(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"type": type(value).__name__, **fields}
    if isinstance(value, (tuple, list)):
        return [data(v) for v in value]
    if isinstance(value, dict):
        return {"map": [[data(k), data(v)] for k, v in value.items()]}
    if isinstance(value, (sp.Basic, sp.MatrixBase)):
        return {"expr": expr(value)}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise SerialError(f"cannot store a {type(value).__name__}")


def data_from_json(value: Any, expr: Callable[[Any], sp.Basic] = from_json) -> Any:
    """Inverse of :func:`data_to_json`; lists come back as tuples."""
    data = lambda v: data_from_json(v, expr)
    if isinstance(value, list):
        return tuple(data(v) for v in value)
    if isinstance(value, dict) and "expr" in value:
        return expr(value["expr"])
    if isinstance(value, dict) and "map" in value:
        return {data(k): data(v) for k, v in value["map"]}
    if isinstance(value, dict) and "type" in value:
        cls = CERTIFICATE_TYPES.get(value["type"])
        if cls is None:
            raise SerialError(f"unknown certificate type {value['type']!r}")
        try:  # a SignTerm checks its factor kinds against certificates.FACTOR_KINDS
            return cls(**{k: data(v) for k, v in value.items() if k != "type"})
        except (TypeError, ValueError) as exc:
            raise SerialError(f"bad {value['type']}: {exc}") from None
    return value
