"""The notation :mod:`proofsheet.parsing.latex` reads, as data: limits and tables.

What each ``\\command`` means (Greek letter, function, relation, …), the
Unicode a student may type in place of LaTeX, and the token families the
classification and the error messages reason about. No logic lives here, only the
one setting that lets Python print every number the readers accept.
"""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Callable

import sympy as sp

MAX_CHARS = 10_000  #: longest math block accepted (parsing is linear, ~0.15 ms a token)
MAX_DEPTH = 40  #: deepest nesting of (), [], {}
MAX_EXPONENT = 10_000  #: largest exponent (integer or rational) of a number
MAX_ORDER = 10  #: highest order of a derivative written d^n/dx^n
MAX_BITS = 200_000  #: largest exact power of a number, in bits (SymPy computes it eagerly)
#: decimal digits Python may print of one integer: four times those of the largest number the
#: readers accept, so that the statement (3^10000) and what the kernel computes from it print
#: (Python's default, 4300 digits, made `prove --json` fail on "x = 3^10000")
MAX_PRINTED_DIGITS = math.ceil(4 * MAX_BITS * math.log10(2))
if 0 < sys.get_int_max_str_digits() < MAX_PRINTED_DIGITS:
    sys.set_int_max_str_digits(MAX_PRINTED_DIGITS)

# ---- what the commands mean ----------------------------------------------------------
GREEK = frozenset(
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu "
    "xi rho varrho sigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Pi "
    "Sigma Upsilon Phi Psi Omega ell".split()
)
FUNCTIONS: dict[str, Callable[[sp.Expr], sp.Expr]] = {
    "log": sp.log,
    "ln": sp.log,
    "exp": sp.exp,
    "tanh": sp.tanh,
    "sinh": sp.sinh,
    "cosh": sp.cosh,
    "sin": sp.sin,
    "cos": sp.cos,
    "tan": sp.tan,
}
BIG_OPERATORS: dict[str, type] = {"prod": sp.Product, "sum": sp.Sum}
ACCENTS = {
    "hat": "hat",
    "widehat": "hat",
    "bar": "bar",
    "overline": "bar",
    "tilde": "tilde",
    "widetilde": "tilde",
    "dot": "dot",
    "ddot": "ddot",
    "vec": "vec",
    "check": "check",
    "breve": "breve",
    "mathbf": "bold",
    "boldsymbol": "bold",
    "bm": "bold",
}
#: fonts that make a letter another name (\\mathbf{x} is not x); other fonts are decoration
BOLD = frozenset({"mathbf", "boldsymbol", "bm"})
CONSTANTS: dict[str, sp.Expr] = {"pi": sp.pi}
#: Commands a student writes that proofsheet cannot check soundly, and why (never guessed).
REFUSED = {
    "pm": "± stands for two formulas: write each one",
    "mp": "∓ stands for two formulas: write each one",
    "|": "norms ‖x‖ are not supported: write the sum of squares",
    "Vert": "norms ‖x‖ are not supported: write the sum of squares",
    "lVert": "norms ‖x‖ are not supported: write the sum of squares",
    "rVert": "norms ‖x‖ are not supported: write the sum of squares",
    "notin": "x ∉ A is not checked: write the condition as x < a or x > b",
    "cdots": "an elided sum or product (…) is not checked: write \\sum_{k=1}^{n} or \\prod",
    "ldots": "an elided sum or product (…) is not checked: write \\sum_{k=1}^{n} or \\prod",
    "dots": "an elided sum or product (…) is not checked: write \\sum_{k=1}^{n} or \\prod",
    "mapsto": "write a function as a definition, f(x) = …",
    "nabla": "a gradient is not checked: write each partial derivative",
    "exists": "∃ is not checked: give the value, or state the claim in words",
}
RELATIONS = {
    "=": "=",
    "<": "<",
    ">": ">",
    "<=": "<=",
    ">=": ">=",
    "!=": "!=",
    ":=": "def",
    "le": "<=",
    "leq": "<=",
    "leqslant": "<=",
    "ge": ">=",
    "geq": ">=",
    "geqslant": ">=",
    "lt": "<",
    "gt": ">",
    "ne": "!=",
    "neq": "!=",
    "coloneqq": "def",
    "coloneq": "def",
    "triangleq": "def",
    "leftarrow": "update",  # w \leftarrow w - \eta g: the new w
    "gets": "update",
    "approx": "approx",
}
MULTIPLY = {
    "cdot": "*",
    "times": "*",
    "ast": "*",
    "*": "*",
    "div": "/",
    "/": "/",
    "odot": "⊙",
    "circ": "⊙",
}
FRACTIONS = frozenset({"frac", "dfrac", "tfrac", "cfrac"})
#: Words and wide spaces that separate formulas: ``\\hat y = 1 \\quad \\hat y + 1 = 2`` is two
#: chains, not the product 1·ŷ.
SEPARATORS = frozenset(
    "therefore because Rightarrow Longrightarrow implies impliedby iff "
    "Leftrightarrow Longleftrightarrow quad qquad forall".split()
)
#: separators that join a hypothesis to a conclusion: the relations beside them are not claims
IMPLICATIONS = frozenset(
    "\\" + w
    for w in "Rightarrow Longrightarrow implies impliedby iff "
    "Leftrightarrow Longleftrightarrow".split()
)
#: words that make the relations beside them a condition, a case or an equation to solve,
#: not a claim (``\\sqrt{x^2} = x \\text{ if } x \\ge 0``, ``x = 1 \\text{ or } x = -1``)
CONDITION_WORDS = frozenset(
    "if iff for when whenever where or provided given assuming assume suppose unless solve "
    "solving with such that".split()
)
CONDITION_WORDS_ZH = (
    "当",
    "若",
    "如果",
    "假设",
    "假定",
    "或",
    "其中",
    "对于",
    "对所有",
    "时",
    "解",
    "满足",
    "使得",
    "只要",
    "要求",
)


#: of those, the words of a case or an alternative: a relation beside them defines nothing
CASE_WORDS = frozenset("if iff when whenever or unless suppose solve solving".split())
CASE_WORDS_ZH = ("当", "若", "如果", "或", "解")


def is_condition(text: str) -> str:
    """ "case" if prose holds a word of a case or an alternative ("if", "or", "当"), "words" if
    one of a condition ("for", "where"), "" if the relations beside it are claims."""
    words = {w.lower() for w in re.findall(r"[A-Za-z]+", text)}
    if words & CASE_WORDS or any(w in text for w in CASE_WORDS_ZH):
        return "case"
    return "words" if words & CONDITION_WORDS or any(w in text for w in CONDITION_WORDS_ZH) else ""


SIZERS = frozenset(
    "left right middle big Big bigg Bigg bigl bigr Bigl Bigr biggl biggr Biggl Biggr".split()
)
IGNORED = SIZERS | frozenset(
    "displaystyle textstyle scriptstyle nonumber notag limits nolimits enspace "
    "thinspace medspace thickspace negthinspace allowbreak mathit mathsf mathnormal "
    "qedhere qed square blacksquare Box hfill".split()
)
#: The token type of a ``\\command``: the first table that holds its name decides.
COMMAND_TYPES = (
    (GREEK, "GREEK"),
    (FUNCTIONS, "FUNC"),
    (FRACTIONS, "FRAC"),
    (BIG_OPERATORS, "BIGOP"),
    (ACCENTS, "ACCENT"),
    (CONSTANTS, "CONST"),
    (RELATIONS, "REL"),
    (MULTIPLY, "MULOP"),
    (SEPARATORS, "SEP"),
    (frozenset({"sqrt"}), "SQRT"),
    (frozenset({"partial"}), "DIFF"),
    (frozenset({"vert", "lvert", "rvert"}), "BAR"),
    (frozenset({"lim"}), "LIM"),
    (frozenset({"top", "intercal"}), "TRANSPOSE"),
    (frozenset({"max", "min"}), "MINMAX"),
    (frozenset({"in"}), "IN"),
    (frozenset({"to", "rightarrow"}), "TO"),
    (frozenset({"infty"}), "INFTY"),
)
#: Commands that take a ``{...}`` argument, so reaching one bare means its braces are broken.
WITH_ARGUMENT = frozenset(
    "text textrm textit textbf textsf texttt mbox intertext mathrm "
    "operatorname tag label eqref ref vspace hspace phantom".split()
)
#: Unicode a student may type, and the LaTeX it stands for.
UNICODE = {
    "σ": r"\sigma",
    "θ": r"\theta",
    "α": r"\alpha",
    "β": r"\beta",
    "γ": r"\gamma",
    "δ": r"\delta",
    "ε": r"\epsilon",
    "η": r"\eta",
    "λ": r"\lambda",
    "μ": r"\mu",
    "π": r"\pi",
    "ω": r"\omega",
    "∂": r"\partial",
    "∏": r"\prod",
    "∑": r"\sum",
    "∞": r"\infty",
    "≤": r"\le",
    "≥": r"\ge",
    "≠": r"\ne",
    "×": r"\times",
    "·": r"\cdot",
    "⋅": r"\cdot",
    "−": "-",
    "（": "(",
    "）": ")",
    "，": ",",
    "。": ".",
    "；": ";",
    "∴": r"\therefore",
    "∵": r"\because",
    "⇒": r"\Rightarrow",
}

# ---- token families --------------------------------------------------------------------
#: Raw tokens the classification step consumes (kept by the lexer although unused by rules).
RAW = (
    "CMD",
    "AMP",
    "PUNCT",
    "RELOP",
    "MULSIGN",
    "FONTLETTER",
    "FONTWORD",
    "ESCBRACE",
    "UNICHAR",
    "ENVOTHER",
    "BAR",
    "NORM",
    "MATHBB",
    "MATENV",
)
OPENERS = {"_LPAR": "_RPAR", "_LBRACK": "_RBRACK", "_LBRACE": "_RBRACE", "_LABS": "_RABS"}
CLOSERS = {v: k for k, v in OPENERS.items()}
#: What an error message calls each bracket token.
BRACKET_WORDS = {
    "_LPAR": "parentheses",
    "_RPAR": "parentheses",
    "_LBRACK": "brackets",
    "_RBRACK": "brackets",
    "_LBRACE": "braces",
    "_RBRACE": "braces",
    "_LABS": "absolute-value bars",
    "_RABS": "absolute-value bars",
}
#: Tokens that need an expression after them.
OPERATORS = {"REL", "PLUS", "MINUS", "MULOP"}
#: Tokens an expression can start with.
EXPR_START = {
    "NUMBER",
    "LETTER",
    "GREEK",
    "SIGMA",
    "FUNC",
    "FRAC",
    "SQRT",
    "BIGOP",
    "ACCENT",
    "CONST",
    "_LPAR",
    "_LBRACK",
    "_LBRACE",
    "_LABS",
    "MINMAX",
    "MINUS",
}

#: relation -> its LaTeX, for printing (the inverse reading of the relation commands)
RELATION_LATEX = {
    "=": "=",
    "<=": r"\le",
    "<": "<",
    ">=": r"\ge",
    ">": ">",
    "!=": r"\ne",
    "approx": r"\approx",
}
#: a side of ``=`` or ``\approx`` that is a lone decimal: the other side rounded to its places
DECIMAL = re.compile(r"^[+-]?\s*\d*\.(\d+)$")
