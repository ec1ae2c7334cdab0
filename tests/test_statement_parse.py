"""The statement parser behind `proofsheet prove "STATEMENT" --assume "..."`."""

from __future__ import annotations

import random

import pytest
import sympy as sp

from proofsheet.kernel.errors import ParseError
from proofsheet.kernel.notation import sigma, sigma_prime
from proofsheet.parsing.statement import (
    ParsedRelation,
    parse_assumptions,
    parse_expression,
    parse_statement,
)

x, y, z, a, b, c, d, s, t, u = sp.symbols("x y z a b c d s t u", real=True)
x_1 = sp.Symbol("x_1", real=True)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("sigma(x)*(1 - sigma(x))", sigma(x) * (1 - sigma(x))),
        ("1 - sigma(x)", 1 - sigma(x)),
        ("sigma(-x)", sigma(-x)),
        ("sigma'(x)", sigma_prime(x)),
        ("sigma_prime(x)", sigma_prime(x)),
        ("sigma ' (x)", sigma_prime(x)),
        ("1/(1 + exp(-x))", 1 / (1 + sp.exp(-x))),
        ("exp(x)", sp.exp(x)),
        ("log(x)", sp.log(x)),
        ("ln(x)", sp.log(x)),
        ("sqrt(x)", sp.sqrt(x)),
        ("tanh(x)", sp.tanh(x)),
        ("abs(x - y)", sp.Abs(x - y)),
        ("diff(sigma(x), x)", sp.Derivative(sigma(x), x)),
        ("pi", sp.pi),
        ("E", sp.E),
        ("e^x", sp.exp(x)),
        ("x_1 + x", x_1 + x),
        ("sigma(sigma(x*a + b)*c + d)", sigma(sigma(x * a + b) * c + d)),
        ("  x\n  + y ", x + y),
    ],
)
def test_expression_builds_expected_sympy_object(text: str, expected: sp.Expr) -> None:
    assert parse_expression(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("-x^2", -(x**2)),
        ("-2^2", sp.Integer(-4)),
        ("(-x)^2", x**2),
        ("2^3^2", sp.Integer(512)),
        ("x^y^z", x ** (y**z)),
        ("x**y**z", x ** (y**z)),
        ("x**2", x**2),
        ("2^-1", sp.Rational(1, 2)),
        ("x^-y", x ** (-y)),
        ("a + b*c", a + b * c),
        ("(a + b)*c", (a + b) * c),
        ("a - b - c", a - b - c),
        ("a/b/c", a / (b * c)),
        ("a/b*c", a * c / b),
        ("a*-b", -a * b),
        ("a - -b", a + b),
        ("--x", x),
        ("+x", x),
        ("a*b^c", a * b**c),
        ("-a*b", -a * b),
    ],
)
def test_operator_precedence_and_associativity(text: str, expected: sp.Expr) -> None:
    assert parse_expression(text) == expected


def test_diff_stays_unevaluated() -> None:
    got = parse_expression("diff(x^2, x)")
    assert isinstance(got, sp.Derivative)
    assert got.doit() == 2 * x


def test_identifiers_are_real_symbols() -> None:
    got = parse_expression("x")
    assert got == x and got.is_real
    assert got != sp.Symbol("x")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("0.25", sp.Rational(1, 4)),
        ("1.5", sp.Rational(3, 2)),
        ("0.1", sp.Rational(1, 10)),
        (".5", sp.Rational(1, 2)),
        ("2.", sp.Integer(2)),
        ("3", sp.Integer(3)),
        ("0.1*x + 2.5", x / 10 + sp.Rational(5, 2)),
        ("1/3", sp.Rational(1, 3)),
    ],
)
def test_decimals_are_exact_rationals(text: str, expected: sp.Expr) -> None:
    got = parse_expression(text)
    assert got == expected
    assert not got.atoms(sp.Float)


@pytest.mark.parametrize(
    "text, rel",
    [
        ("a = b", "="),
        ("a == b", "="),
        ("a <= b", "<="),
        ("a ≤ b", "<="),
        ("a < b", "<"),
        ("a >= b", ">="),
        ("a ≥ b", ">="),
        ("a > b", ">"),
    ],
)
def test_relation_symbols_are_normalised(text: str, rel: str) -> None:
    assert parse_statement(text) == ParsedRelation(a, rel, b)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1 - sigma(x) = sigma(-x)", ParsedRelation(1 - sigma(x), "=", sigma(-x))),
        (
            "sigma(x)*(1 - sigma(x)) <= 1/4",
            ParsedRelation(sigma(x) * (1 - sigma(x)), "<=", sp.Rational(1, 4)),
        ),
        (
            "diff(sigma(x), x) = sigma(x)*(1 - sigma(x))",
            ParsedRelation(sp.Derivative(sigma(x), x), "=", sigma(x) * (1 - sigma(x))),
        ),
        ("sigma'(x) > 0", ParsedRelation(sigma_prime(x), ">", sp.Integer(0))),
        ("1 = 1", ParsedRelation(sp.Integer(1), "=", sp.Integer(1))),
    ],
)
def test_statement_is_one_relation(text: str, expected: ParsedRelation) -> None:
    assert parse_statement(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("0 < s < 1, t > 0", [(0, "<", s), (s, "<", 1), (t, ">", 0)]),
        ("x > 0 and y >= 0", [(x, ">", 0), (y, ">=", 0)]),
        ("a <= b <= c <= d", [(a, "<=", b), (b, "<=", c), (c, "<=", d)]),
        ("x = 1", [(x, "=", 1)]),
        ("0 ≤ s ≤ 1 and t > 0, u < 2", [(0, "<=", s), (s, "<=", 1), (t, ">", 0), (u, "<", 2)]),
        ("sigma(x) > 0, sigma(x) < 1", [(sigma(x), ">", 0), (sigma(x), "<", 1)]),
    ],
)
def test_assumptions_split_lists_and_chains(text: str, expected: list[tuple]) -> None:
    want = [ParsedRelation(sp.sympify(l), r, sp.sympify(h)) for l, r, h in expected]
    assert parse_assumptions(text) == want


# (parser, text, words the message must contain, line, column)
BAD_INPUTS = [
    (parse_statement, "import os", "unexpected 'os'", 1, 8),
    (parse_statement, "x +", "end of input", 1, 4),
    (parse_statement, "x = ", "end of input", 1, 5),
    (parse_statement, "x + 1", "relation", 1, 6),
    (parse_statement, "", "empty", 1, 1),
    (parse_statement, "   \n ", "empty", 1, 1),
    (parse_statement, "f(x) = 1", "unknown function 'f'", 1, 1),
    (parse_statement, "eval(x) = 1", "unknown function 'eval'", 1, 1),
    (parse_statement, "x = g'(y)", 'unknown function "g\'"', 1, 5),
    (parse_statement, "sigma(x, y) = 1", "sigma takes 1 argument, got 2", 1, 1),
    (parse_statement, "diff(x) = 1", "diff takes 2 arguments, got 1", 1, 1),
    (parse_statement, "exp() = 1", "exp takes 1 argument, got 0", 1, 1),
    (parse_statement, "diff(x^2, 2) = 0", "must be a variable", 1, 1),
    (parse_statement, "sigma = 1", "is a function", 1, 1),
    (parse_statement, "0 < x < 1", "exactly one relation", 1, 7),
    (parse_statement, "x = y = z", "exactly one relation", 1, 7),
    (parse_statement, "2x = 1", "write '*'", 1, 2),
    (parse_statement, "(x + 1)(x - 1) = 0", "write '*'", 1, 8),
    (parse_statement, "x @ y = 1", "unexpected character '@'", 1, 3),
    (parse_statement, "os.system(x) = 0", "unexpected character '.'", 1, 3),
    (parse_statement, "lambda: 0", "unexpected character ':'", 1, 7),
    (parse_statement, "(x = y", "expected ')'", 1, 4),
    (parse_statement, "x = y)", "unexpected ')'", 1, 6),
    (parse_statement, "x^^2 = 1", "unexpected '^'", 1, 3),
    (parse_statement, "x\n= +", "end of input", 2, 4),
    (parse_statement, "1/0 = 1", "division by zero", 1, 2),
    (parse_statement, "log(0) = 1", "undefined", 1, 1),
    (parse_statement, "0^-1 = 1", "undefined", 1, 2),
    (parse_statement, "9^9^9 = 1", "too large", 1, 2),
    (parse_statement, "x = 9e99999999", "exponent too large", 1, 5),
    (parse_statement, "x = 9e60000", "number too large", 1, 5),
    (parse_statement, "x^100000 = 1", "exponent too large", 1, 2),
    (parse_statement, "2^(2^(2^40)) = 1", "exponent too large", 1, 5),
    (parse_statement, "(3^100*x)^10000 = 1", "number too large", 1, 10),
    (parse_statement, "*".join(["3^9000"] * 20) + " = 0", "too large", 1, 7),
    (parse_statement, "x" * 10_001, "too long", 1, 1),
    (parse_statement, "x = y and y = z", "unexpected 'and'", 1, 7),
    # SymPy's names for what is not a real number are refused, never variables (sigma(oo) = 1
    # was refuted with the counterexample oo = 0)
    (parse_statement, "sigma(oo) = 1", "not a real number", 1, 7),
    (parse_statement, "exp(-infinity) = 0", "not a real number", 1, 6),
    (parse_statement, "I^2 = -1", "imaginary unit", 1, 1),
    (parse_assumptions, "x < oo", "not a real number", 1, 5),
    (parse_expression, "x = 1", "unexpected '='", 1, 3),
    (parse_assumptions, "0 < s <", "end of input", 1, 8),
    (parse_assumptions, "x, y > 0", "relation", 1, 2),
    (parse_assumptions, "x > 0 and and y > 0", "unexpected 'and'", 1, 11),
    (parse_assumptions, "x > 0,", "end of input", 1, 7),
]


@pytest.mark.parametrize(
    "parse, text, words, line, column", BAD_INPUTS, ids=[repr(row[1][:30]) for row in BAD_INPUTS]
)
def test_bad_input_raises_parse_error_with_position(
    parse, text: str, words: str, line: int, column: int
) -> None:
    with pytest.raises(ParseError) as info:
        parse(text)
    err = info.value
    assert words in err.message
    assert (err.line, err.column) == (line, column)


def test_python_injection_is_rejected_not_evaluated(capfd: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(ParseError) as info:
        parse_statement("__import__('os').system('echo hi')")
    assert (info.value.line, info.value.column) == (1, 1)
    assert "hi" not in capfd.readouterr().out


@pytest.mark.parametrize(
    "text",
    [
        "sqrt(" * 1500 + "x" + ")" * 1500 + " = 1",
        "x^" * 3000 + "x = 1",
        "-" * 5000 + "x = 1",
        "x = " + "(" * 2000 + "x" + ")" * 1999,
    ],
    ids=["nested-calls", "power-tower", "signs", "unbalanced-parens"],
)
def test_deep_nesting_is_a_parse_error_not_recursion_error(text: str) -> None:
    with pytest.raises(ParseError) as info:
        parse_statement(text)
    assert info.value.line is not None and info.value.column is not None


def test_long_flat_sum_is_fine() -> None:
    got = parse_expression(" + ".join(f"x_{i}" for i in range(1000)))
    assert len(got.args) == 1000


def test_error_names_its_source() -> None:
    with pytest.raises(ParseError) as info:
        parse_assumptions("x >", source="--assume")
    assert info.value.source == "--assume"
    assert str(info.value).startswith("--assume:1:4: cannot parse:")
    with pytest.raises(ParseError) as info:
        parse_statement("x", source="argv[1]")
    assert info.value.source == "argv[1]"


def test_random_garbage_only_ever_raises_parse_error() -> None:
    rng = random.Random(20240601)
    alphabet = list("xy01.+-*/^()=<>,' _") + ["sigma(", "exp(", "**", "<=", "and ", "≤", "__"]
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        try:
            got = parse_statement(text)
        except ParseError as err:
            assert err.line is not None and err.column is not None, text
        else:
            assert isinstance(got, ParsedRelation) and got.rel in {"=", "<=", "<", ">=", ">"}


# (statement, the domain conditions recorded before SymPy's evaluation could erase them)
DOMAINS = [
    ("sqrt(x)^2 >= 0", ["x ≥ 0"]),  # SymPy: x >= 0
    ("exp(log(x)) > 0", ["x > 0"]),  # SymPy: x > 0
    ("sqrt(tanh(x))^2 >= 0", ["tanh(x) ≥ 0"]),  # SymPy: tanh(x) >= 0
    ("0*log(y) = 0", ["y > 0"]),  # SymPy: 0 = 0
    ("tanh(x) = (exp(x) - exp(-x))/(exp(x) - exp(-x))", ["exp(x) - exp(-x) ≠ 0"]),
    ("diff(abs(x), x)^2 = 1", ["x ≠ 0"]),  # |x| is not differentiable at 0
    ("diff(sqrt(x)^2, x) = 1", ["x > 0"]),  # SymPy: d/dx x, but not at x = 0
    ("diff(sqrt(y)^2*x, x) = y", ["y ≥ 0"]),
    ("x^y = 1", ["x > 0"]),
    ("x^(-1/2) > 0", ["x > 0"]),
    ("log(-1)^2 < 0", ["-1 > 0"]),  # SymPy: -pi**2 < 0
    ("abs(log(-1)) > 3", ["-1 > 0"]),  # SymPy: pi > 3
    ("sqrt(-4)*sqrt(-9) = -6", ["-4 ≥ 0", "-9 ≥ 0"]),  # SymPy: -6 = -6
    ("sigma(x)*(1 - sigma(x)) <= 1/4", []),
    ("x^2 + 1/2 > sqrt(4)", []),
]


@pytest.mark.parametrize("text, conditions", DOMAINS)
def test_domain_conditions_are_recorded_before_sympy_erases_them(text, conditions):
    assert sorted(map(str, parse_statement(text).domain)) == sorted(conditions)


def test_each_assumption_chain_carries_its_own_domain():
    got = parse_assumptions("0 < log(s) < 1, t > 0, 1/u > 0")
    assert [sorted(map(str, r.domain)) for r in got] == [["s > 0"], ["s > 0"], [], ["u ≠ 0"]]


@pytest.mark.parametrize(
    "text",
    [
        "2^(10^12/3) > 0",
        "2^(10^100/3) > 0",
        "2^(-10^12/3) > 0",
        "(1/2)^(10^12/3) > 0",
        "exp(log(2)*10^12/3) > 0",
        "e^(log(2)*10^12/3) > 0",
        "exp(x + 10^12*log(2)) > 0",
    ],
)
def test_huge_rational_exponents_are_refused_before_sympy_computes_them(text):
    with pytest.raises(ParseError, match="too large"):
        parse_statement(text)


def test_prove_hands_the_recorded_domain_to_the_kernel(monkeypatch, capsys):
    from proofsheet import cli
    from proofsheet.record.verdicts import UNDECIDED, Verdict

    seen = []

    def record(prop, assumptions, seconds):
        seen.append((prop, assumptions))
        return Verdict(UNDECIDED, prop, reason="recorded")

    monkeypatch.setattr(cli, "decide", record)
    cli.main(["prove", "log(-1)^2 < 0", "--assume", "sqrt(y)^2 > 1"])
    ((prop, assumptions),) = seen
    assert [(c.kind, c.expr) for c in prop.domain] == [("positive", -1)]
    assert [str(c) for c in assumptions[0].domain] == ["y ≥ 0"]
