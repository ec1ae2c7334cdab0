"""Proof-log JSON: round trips, and refuses what it does not know."""

from __future__ import annotations

import pytest
import sympy as sp

from proofsheet.kernel.notation import sigma, sigma_prime
from proofsheet.record.serial import SerialError, from_json, to_json

x = sp.Symbol("x", real=True)
n = sp.Symbol("n", integer=True, positive=True)
k = sp.Symbol("k", integer=True)
u = sp.IndexedBase("u", real=True)


@pytest.mark.parametrize(
    "expr",
    [
        1 - sigma(x),
        sigma_prime(-x) / 4,
        sp.Derivative(sigma(x), x),
        sp.Product(sigma_prime(u[k]), (k, 1, n + 1)),
        sp.log(1 + sp.exp(-x)),
        sp.Derivative(sp.Function("Y")(n, x), x),
        sp.KroneckerDelta(k, n),
        sp.Rational(-3, 7) * sp.pi,
        sp.ImmutableMatrix([[x, 1], [sp.E, -sp.oo]]),
    ],
)
def test_expressions_round_trip(expr):
    back = from_json(to_json(expr))
    assert back == expr
    assert back.free_symbols == expr.free_symbols


@pytest.mark.parametrize(
    "tree", [{"f": "eval", "a": []}, {"f": "Function", "a": []}, "x", {"rat": ["1"]}]
)
def test_unknown_or_malformed_trees_are_refused(tree):
    with pytest.raises((SerialError, ValueError)):
        from_json(tree)


@pytest.mark.parametrize(
    "symbol",
    [sp.Symbol("m", negative=True), sp.Symbol("q", nonzero=True), sp.Symbol("p", nonpositive=True)],
)
def test_every_symbol_fact_survives_a_round_trip(symbol):
    back = from_json(to_json(symbol))
    assert back == symbol and back.is_negative == symbol.is_negative


def test_a_sign_term_of_an_unknown_factor_kind_is_refused():
    from proofsheet.record.serial import data_from_json

    term = {
        "type": "SignTerm",
        "coeff": {"expr": {"int": "1"}},
        "factors": [["inv-hyp", {"expr": {"int": "2"}}]],
    }
    assert data_from_json(term).factors[0][0] == "inv-hyp"
    term["factors"][0][0] = "trust-me"
    with pytest.raises(SerialError, match="unknown sign-factor kind"):
        data_from_json(term)
