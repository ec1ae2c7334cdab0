"""The syntax a user types (issue 12, item 3): numbers as Python and SymPy write them, a
unary plus anywhere, σ and \\sigma, large exponents wherever they stand, and a verdict that
echoes the statement as the user wrote it."""

from __future__ import annotations

import json
import re

import pytest
import sympy as sp

from proofsheet.kernel.errors import ParseError
from proofsheet.kernel.notation import sigma, sigma_prime
from proofsheet.parsing.latex import parse_math
from proofsheet.parsing.latex_build import power_too_large
from proofsheet.parsing.statement import parse_expression, parse_statement

x, a = sp.symbols("x a", real=True)

# (text, the SymPy expression it must read as)
READS_AS = [
    ("5.1e-2", sp.Rational(51, 1000)),
    ("x*5.1e-2", x * sp.Rational(51, 1000)),
    ("1E3", sp.Integer(1000)),
    ("2.5e+1", sp.Integer(25)),
    (".5e1", sp.Integer(5)),
    ("4.e-1", sp.Rational(2, 5)),
    (".4", sp.Rational(2, 5)),
    ("4.", sp.Integer(4)),
    (".4*x", sp.Rational(2, 5) * x),
    ("(+x)", x),
    ("2*+x", 2 * x),
    ("+x", x),
    ("-(+x)", -x),
    ("x^+2", x**2),
    ("2/+x", 2 / x),
    ("σ(x)", sigma(x)),
    ("\\sigma(x)", sigma(x)),
    ("σ'(x)", sigma_prime(x)),
    ("σ′(x)", sigma_prime(x)),
    ("\\sigma'(x)", sigma_prime(x)),
    ("sigma′(x)", sigma_prime(x)),
    ("(4*a - x)^6000", (4 * a - x) ** 6000),
    ("(x - 4*a)^6000", (x - 4 * a) ** 6000),
    ("exp(6000*log(4*a - x))", (4 * a - x) ** 6000),
    ("(2*x)^6000", 2**6000 * x**6000),
    ("3^6000", sp.Integer(3) ** 6000),
]


@pytest.mark.parametrize("text, expected", READS_AS)
def test_a_statement_reads_the_syntax_a_user_types(text, expected):
    assert parse_expression(text) == expected


# (text, words the one-line error must contain)
REFUSED = [
    ("2e = 1", "write '*'"),  # scientific notation needs digits after the e
    ("x = 1e", "write '*'"),
    ("x = 9e99999999", "exponent too large"),
    ("2^(2^(2^40)) = 1", "exponent too large"),
    ("x^(10^5) = 1", "exponent too large"),
    ("exp(10^12*log(2)) = 1", "exponent too large"),
    ("exp(x*10^12*log(2)) = 1", "exponent too large"),
    ("(3^100*x)^10000 = 1", "number too large"),
    ("\\sigmax = 1", "unexpected character"),
    ("σ = 1", "'σ' is a function: write σ"),
    ("\\sigma + 1 = 1", "'\\sigma' is a function: write \\sigma(...)"),
    ("1e400000 = x", "number too large"),
    (
        "x = (2^9000)*(3^9000)*(5^9000)*(7^9000)*(11^9000)*(13^9000)*(17^9000)*(19^9000)*(23^9000)",
        "number too large",
    ),
    ("x = .e3", "unexpected character '.'"),
    ("x = 1.2.3", "unexpected"),
    ("x = ++", "unexpected end of input"),
]


@pytest.mark.parametrize("text, words", REFUSED)
def test_what_cannot_be_read_is_one_clear_parse_error(text, words):
    with pytest.raises(ParseError, match=re.escape(words)):
        parse_statement(text)


# (base, exponent) as the statement reader writes them, the power in LaTeX, whether refused
SAME_RULE = [
    ("4*a - x", "6000", r"(4a - x)^{6000}", False),
    ("x - a", "6000", r"(x - a)^{6000}", False),
    ("2*x", "6000", r"(2x)^{6000}", False),
    ("x", "10^5", r"x^{100000}", True),
    ("2", "10^5", r"2^{100000}", True),
    ("3^100*x", "10000", r"(3^{100} x)^{10000}", True),
]


def _refused(read) -> bool:
    try:
        read()
    except ParseError:
        return True
    return False


@pytest.mark.parametrize("base, exponent, latex, expected", SAME_RULE)
def test_the_limit_on_powers_is_the_same_in_prove_and_in_check(base, exponent, latex, expected):
    assert bool(power_too_large(parse_expression(base), parse_expression(exponent))) == expected
    assert _refused(lambda: parse_expression(f"({base})^({exponent})")) == expected
    assert _refused(lambda: parse_math(f"{latex} = 1")) == expected


# (LaTeX, the two sides it must read as)
LATEX = [
    (r".4x = \frac{2x}{5}", (sp.Rational(2, 5) * x, sp.Rational(2, 5) * x)),
    (r"(+x) = x", (x, x)),
    (r"2 \cdot (+x) = 2x", (2 * x, 2 * x)),
    (r"+x = x", (x, x)),
    (r"x = +2", (x, sp.Integer(2))),
]


@pytest.mark.parametrize("latex, sides", LATEX)
def test_latex_reads_leading_decimals_and_a_unary_plus(latex, sides):
    (chain,) = parse_math(latex)
    assert chain.terms == sides


@pytest.mark.parametrize("latex", [r"4.x = 4x", r"2.\sigma(x) = 2\sigma(x)", r"3.(x+1) = 3x+3"])
def test_a_latex_point_between_a_number_and_a_name_is_refused_not_a_sentence_end(latex):
    with pytest.raises(ParseError, match="unexpected '.'"):
        parse_math(latex)


@pytest.mark.parametrize("sign", ["+", "-"])
def test_a_latex_line_that_starts_with_a_sign_is_refused_not_read_alone(sign):
    text = rf"\begin{{aligned}} y &= a + b \\ &\quad {sign} c \\ &= a + b {sign} c \end{{aligned}}"
    with pytest.raises(ParseError, match=f"starts with '\\{sign}' continues"):
        parse_math(text)


# (what the user typed, what the verdict must echo)
ECHOES = [
    ("sigma'(x) = sigma(x)*(1 - sigma(x))", "sigma'(x) = sigma(x)*(1 - sigma(x))"),
    ("(+x) = x", "(+x) = x"),
    ("  σ(x)  =\n 1 - σ(-x) ", "σ(x) = 1 - σ(-x)"),
    ("\\sigma(x) = 1 - \\sigma(-x)", "\\sigma(x) = 1 - \\sigma(-x)"),
    ("x*5.1e-2 = x*0.051", "x*5.1e-2 = x*0.051"),
    ("3^10000 + x = x + 3^10000", "3^10000 + x = x + 3^10000"),  # 4772 digits print
]


@pytest.mark.parametrize("typed, echoed", ECHOES)
def test_prove_echoes_the_statement_as_the_user_wrote_it(capsys, typed, echoed):
    from proofsheet.cli import main

    assert main(["prove", typed, "--seconds", "20"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == f"verified: {echoed}"
    assert main(["prove", typed, "--json", "--seconds", "20"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["statement"] == echoed and data["status"] == "verified"


@pytest.mark.parametrize("text, words", REFUSED)
@pytest.mark.parametrize("json_flag", [(), ("--json",)])
def test_prove_refuses_bad_input_in_one_line_with_exit_2(text, words, json_flag):
    from tests.run_cli import proofsheet

    result = proofsheet("prove", text, *json_flag)
    assert result.returncode == 2 and result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1 and words in result.stderr
    assert "Traceback" not in result.stderr
