r"""Stages 1 and 2 of :mod:`proofsheet.parsing.latex`: lexing and token classification.

The Lark grammar ``grammars/latex.lark`` lexes a formula into raw tokens;
:func:`_classify` turns them into the parser's tokens. Every ``\command`` is
looked up in :mod:`~proofsheet.parsing.latex_tables` (unknown ones are
errors), brackets are matched, and context decides the few ambiguous spots:
``\sigma`` is the sigmoid and needs its argument (bare, it is an error — except
``d\sigma`` in a derivative); ``\mathrm{tanh}``/``\operatorname{tanh}`` is the
function, an unknown upright name (``\operatorname{ReLU}``) or a ``\text{word}``
followed by an argument is an error, never prose; a letter ``f`` of a chain head
``f(x) =`` (or of a function the file defined) before ``(`` is a function
(FNAME); the ``d`` of ``\frac{d}{dx}`` is a differential, ``^{(k)}`` is an
index, ``&`` is an alignment mark or a column break. Failures are
:class:`_Err`, an error at an offset into the formula.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources

from lark import Lark, Token
from lark.lark import PostLex

from .latex_tables import (
    BOLD,
    BRACKET_WORDS,
    CLOSERS,
    COMMAND_TYPES,
    EXPR_START,
    FUNCTIONS,
    IGNORED,
    MAX_DEPTH,
    OPENERS,
    OPERATORS,
    RAW,
    REFUSED,
    SIZERS,
    UNICODE,
    WITH_ARGUMENT,
)


class _Err(Exception):
    """A parse error at an offset into the formula; turned into ParseError at the API."""

    def __init__(self, message: str, pos: int):
        super().__init__(message)
        self.message, self.pos = message, pos


class _KeepRaw(PostLex):
    """Only keeps the raw terminals in the lexer; classification happens in _classify."""

    always_accept = RAW

    def process(self, stream: Iterable[Token]) -> Iterable[Token]:
        return stream


@lru_cache(maxsize=1)
def _lark(debug: bool = False) -> Lark:
    grammar = resources.files("proofsheet").joinpath("grammars/latex.lark").read_text("utf-8")
    return Lark(
        grammar,
        parser="lalr",
        lexer="basic",
        start=["start", "expression"],
        propagate_positions=True,
        maybe_placeholders=True,
        postlex=_KeepRaw(),
        debug=debug,
    )


def _tok(type_: str, value: str, like: Token, start: int | None = None) -> Token:
    start = like.start_pos if start is None else start
    return Token(
        type_, value, start, like.line, like.column, like.end_line, like.end_column, like.end_pos
    )


def _command(name: str, tok: Token) -> Token | None:
    """Classify ``\\name`` by the tables; None if it is to be ignored."""
    if name in IGNORED:
        return None
    if name in REFUSED:
        raise _Err(f"\\{name}: {REFUSED[name]}", tok.start_pos)
    for names, type_ in COMMAND_TYPES:
        if name in names:
            return _tok(type_, "\\" + name, tok)
    if name in WITH_ARGUMENT:
        raise _Err(
            f"\\{name} must be followed by {{...}} (are the braces balanced?)", tok.start_pos
        )
    raise _Err(f"unknown command \\{name}", tok.start_pos)


_MATH_FONT = re.compile(
    r"\\(mathrm|operatorname|mathit|mathbf|mathsf|mathnormal|boldsymbol|bm)"
    r"\s*\{\s*([a-zA-Z]+)\s*\}$"
)
_WORD = re.compile(r"\\\w+\s*\{([a-zA-Z]+)\}$")


def _script_glued(toks: list[Token], i: int) -> bool:
    """``2^10``, ``x_12``, ``w_ij``, ``e^2x``: a one-character script touching what follows,
    which students mean as part of the script (``2^{10}``) while LaTeX reads ``2^1·0``.
    A digit subscript before a letter (``w_1x_1``) is LaTeX's reading, w₁·x₁."""
    t, nxt = toks[i], toks[i + 1] if i + 1 < len(toks) else None
    if nxt is None or nxt.start_pos != t.end_pos or nxt.type not in ("NUMBER", "LETTER"):
        return False
    if t.type == "SUB1" and t.value[-1].isdigit() and nxt.type == "LETTER":
        return False
    on_e = i > 0 and toks[i - 1].type == "LETTER" and toks[i - 1].value == "e"
    return t.type == "SUB1" or nxt.type == "NUMBER" or on_e


def _glued(text: Token, nxt: Token) -> bool:
    """``\\text{…}`` that ends without a space and touches the token after it, like a name."""
    if nxt.start_pos != text.end_pos:
        return False
    return _WORD.match(text.value) is not None or not re.search(r"(\s|\\ )\}$", text.value)


def _math_name(tok: Token) -> Token | None:
    """``\\mathrm{tanh}``/``\\operatorname{tanh}``: a known function; an unknown name is refused.

    None for prose in an upright font (``\\mathrm{for\\ all}``)."""
    m = _MATH_FONT.match(tok.value)
    if m is None:
        if tok.value.startswith("\\operatorname"):  # a name, never prose: never dropped
            raise _Err(
                f"cannot read {tok.value}: \\operatorname{{…}} must hold a function "
                "name such as tanh",
                tok.start_pos,
            )
        return None
    if m.group(2) in FUNCTIONS:
        return _tok("FUNC", "\\" + m.group(2), tok)
    raise _Err(
        f"unknown function or name {tok.value}: proofsheet reads only "
        + ", ".join(f"\\{f}" for f in FUNCTIONS)
        + ", \\sigma and \\sigma'",
        tok.start_pos,
    )


def _in_subscript(out: list[Token]) -> bool:
    """Whether the next token is inside the braces of a subscript ``_{…}``."""
    depth = 0
    for i in range(len(out) - 1, -1, -1):
        depth += {"_RBRACE": 1, "_LBRACE": -1}.get(out[i].type, 0)
        if depth < 0:
            return i > 0 and out[i - 1].type == "_UNDERSCORE"
    return False


def _first_pass(raw: Iterable[Token]) -> list[Token]:
    """Context-free classification; drops ignored commands and ``\\left.``."""
    out: list[Token] = []
    glue: int | None = None  # start of a dropped \left / \big: glued to the next token
    side = ""  # the dropped sizer's name: \left| opens a bar, \right| closes one
    for tok in raw:
        if tok.type == "UNICHAR":
            if tok.value not in UNICODE:
                raise _Err(
                    f"unexpected character '{tok.value}' in a formula "
                    "(write words inside \\text{...})",
                    tok.start_pos,
                )
            tok = _tok(next(iter(_lark().lex(UNICODE[tok.value]))).type, UNICODE[tok.value], tok)
        if tok.type == "FONTLETTER":
            font, inner = re.match(r"\\(\w+)\s*\{\s*(\S+?)\s*\}", tok.value).groups()
            if font in BOLD:  # \mathbf{x} is the name xbold, another name than x
                out.append(_tok("ACCENT", "\\" + font, tok))
            tok = _tok(
                "CMD" if inner.startswith("\\") else "LETTER",
                inner,
                tok,
                start=tok.start_pos + tok.value.index(inner),
            )
        if tok.type in ("TEXT", "FONTWORD"):  # a word in a subscript is part of a name
            tok = (not _in_subscript(out) and _math_name(tok)) or _tok("TEXT", tok.value, tok)
        if tok.type == "MATHBB":
            letter = tok.value.rstrip("} ")[-1]
            if letter != "R":
                raise _Err(
                    f"{tok.value}: only x \\in \\mathbb{{R}} and intervals are understood "
                    "(every name is real; the indices of sums and products are integers)",
                    tok.start_pos,
                )
            tok = _tok("SET", tok.value, tok)
        if tok.type == "MATENV":
            begin = tok.value.lstrip("\\").startswith("begin")
            tok = _tok("MATBEGIN" if begin else "_MATEND", tok.value, tok)
        if tok.type == "NORM":
            _command("|", tok)
        if tok.type == "ENVOTHER":
            raise _Err(
                f"the environment {tok.value} is not supported in a formula "
                "(use align, aligned or equation)",
                tok.start_pos,
            )
        new: Token | None = tok
        if tok.type == "CMD":
            name = tok.value[1:]
            new = _command(name, tok)
            if name in SIZERS:
                glue, side = (tok.start_pos if glue is None else glue), name
                continue
        elif tok.type == "PUNCT":
            new = _tok("SEP", tok.value, tok)
        elif tok.type == "RELOP":
            new = _tok("REL", tok.value, tok)
        elif tok.type == "MULSIGN":
            new = _tok("MULOP", tok.value, tok)
        elif tok.type == "ESCBRACE":
            new = _tok("_LBRACE" if tok.value == "\\{" else "_RBRACE", tok.value, tok)
        if new is None:
            continue
        if glue is not None:
            if new.type == "SEP" and new.value == ".":  # \left. (before an evaluation bar?)
                if side == "left":
                    out.append(_tok("EVALOPEN", "\\left.", new, start=glue))
                glue = None
                continue
            if new.type == "BAR":  # \left| \right| \bigl| …: which side it is on
                new = _tok("BAR", "\\" + side + "|", new, start=glue)
            new = _tok(new.type, new.value, new, start=glue) if new.type in OPENERS else new
            glue = None
        out.append(new)
    return out


def _balance(toks: list[Token]) -> dict[int, int]:
    """Match (), [], {}; return opener index -> closer index. Errors name the culprit."""
    stack: list[int] = []
    match: dict[int, int] = {}
    for i, t in enumerate(toks):
        if t.type in OPENERS:
            stack.append(i)
            if len(stack) > MAX_DEPTH:
                raise _Err(f"formula nested too deeply (more than {MAX_DEPTH} levels)", t.start_pos)
        elif t.type in CLOSERS:
            if not stack:
                raise _Err(
                    f"unbalanced {BRACKET_WORDS[t.type]}: '{t.value}' has no opening partner",
                    t.start_pos,
                )
            j = stack.pop()
            if toks[j].type != CLOSERS[t.type]:
                raise _Err(
                    f"unbalanced {BRACKET_WORDS[toks[j].type]}: '{toks[j].value}' is "
                    f"closed by '{t.value}'",
                    toks[j].start_pos,
                )
            match[j] = i
    if stack:
        t = toks[stack[-1]]
        raise _Err(f"unbalanced {BRACKET_WORDS[t.type]}: '{t.value}' is never closed", t.start_pos)
    return match


def _is_d(t: Token) -> bool:
    return t.type == "DIFF" or (t.type == "LETTER" and t.value == "d")


def _mark_derivative(toks: list[Token], i: int, match: dict[int, int]) -> None:
    """``\\frac{d…}{d…}`` at toks[i]: retype the two ``d`` as differentials."""
    if i + 1 >= len(toks) or toks[i + 1].type != "_LBRACE":
        return
    j = match[i + 1]
    if j + 1 >= len(toks) or toks[j + 1].type != "_LBRACE":
        return
    num, den = toks[i + 2 : j], toks[j + 2 : match[j + 1]]
    if not num or not _is_d(num[0]) or len(den) < 2 or not _is_d(den[0]):
        return
    if (len(num) > 1 and num[1].type in OPERATORS) or den[1].type in OPERATORS:
        return
    toks[i + 2] = _tok("DIFF", num[0].value, num[0])
    toks[j + 2] = _tok("DIFF", den[0].value, den[0])


#: command names a student may type without their backslash (``log(1)``, ``frac{1}{2}``)
_COMMAND_WORDS = frozenset(
    {w for names, _ in COMMAND_TYPES for w in names if w.isalpha() and len(w) > 1}
    | set(REFUSED)
    | {"sqrt", "cdot", "times", "max", "min", "left", "right", "text"}
)


def _touching(a: Token, b: Token) -> bool:
    return a.end_pos == b.start_pos


def _refuse_typos(toks: list[Token]) -> None:
    """``log(1)``, ``sigma(0)``, ``frac{1}{2}`` (a missing backslash: not l·o·g·1), ``5e-2``
    (5·e − 2 to LaTeX, 0.05 to its writer) and ``0,5`` (a decimal comma, or two formulas?)
    are refused, never read as products or lists."""
    for i, (a, b) in enumerate(zip(toks, toks[1:])):
        if a.type == b.type == "NUMBER" and not (i and toks[i - 1].type == "FRAC"):
            raise _Err(
                f"two numbers side by side ({a.value} {b.value}): write one number "
                "without a space (1000), or \\cdot for a product",
                a.start_pos,
            )
    depth = 0
    for a, comma, b in zip(toks, toks[1:], toks[2:]):
        depth += (a.type in OPENERS or a.type == "IVLOPEN") - (a.type in CLOSERS)
        if a.type == b.type == "NUMBER" and comma.type == "SEP" and comma.value == ".":
            raise _Err(
                f"'{a.value} . {b.value}': write \\cdot for a product, or a decimal "
                "point without spaces",
                a.start_pos,
            )
        if (
            depth == 0
            and a.type == b.type == "NUMBER"
            and comma.type == "COMMA"
            and _touching(a, comma)
            and _touching(comma, b)
        ):
            raise _Err(
                f"{a.value},{b.value}: write a decimal point ({a.value}.{b.value}) or "
                "a space after a comma that separates formulas",
                a.start_pos,
            )
    i = 0
    while i < len(toks):
        j = i
        while (
            j + 1 < len(toks)
            and toks[j].type == "LETTER" == toks[j + 1].type
            and _touching(toks[j], toks[j + 1])
        ):
            j += 1
        word = "".join(t.value for t in toks[i : j + 1])
        if j > i and word in _COMMAND_WORDS and not _in_subscript(toks[:i]):
            raise _Err(
                f"'{word}' is read as letters multiplied: write \\{word} "
                f"(or put spaces between the letters of a product)",
                toks[i].start_pos,
            )
        if (
            toks[i].type == "NUMBER"
            and j + 2 < len(toks)
            and toks[i + 1].value == "e"
            and toks[i + 2].type in ("NUMBER", "MINUS", "PLUS")
            and _touching(toks[i], toks[i + 1])
            and _touching(toks[i + 1], toks[i + 2])
        ):
            raise _Err(
                f"{toks[i].value}e{toks[i + 2].value}…: write a number in scientific "
                f"notation as {toks[i].value} \\times 10^{{…}} (e alone is Euler's "
                "number)",
                toks[i].start_pos,
            )
        i = j + 1


def _decimal_points(toks: list[Token]) -> list[Token]:
    """``.5`` is the number 0.5; a point touching a name or number before it is refused, and
    one between a number and a name (``4.x``)."""
    out: list[Token] = []
    i = 0
    while i < len(toks):
        t, nxt = toks[i], toks[i + 1] if i + 1 < len(toks) else None
        if (
            t.type == "SEP"
            and t.value == "."
            and nxt is not None
            and nxt.type == "NUMBER"
            and _touching(t, nxt)
            and "." not in nxt.value
        ):
            if out and _touching(out[-1], t) and out[-1].type in ("NUMBER", "LETTER"):
                raise _Err(f"unexpected '.' in '{out[-1].value}.{nxt.value}'", t.start_pos)
            out.append(
                Token(
                    "NUMBER",
                    "0." + nxt.value,
                    t.start_pos,
                    t.line,
                    t.column,
                    nxt.end_line,
                    nxt.end_column,
                    nxt.end_pos,
                )
            )
            i += 2
            continue
        if (
            t.type == "SEP"
            and t.value == "."
            and out
            and out[-1].type == "NUMBER"
            and nxt is not None
            and nxt.type in ("LETTER", "GREEK", "CONST", "SIGMA", "FUNC", "FRAC", "SQRT", "_LPAR")
            and _touching(out[-1], t)
            and _touching(t, nxt)
        ):  # 4.x: not the end of a sentence (which would leave x alone to be checked)
            raise _Err(f"unexpected '.' in '{out[-1].value}.{nxt.value}'", t.start_pos)
        out.append(t)
        i += 1
    return out


def _classify(raw: Iterable[Token], functions: Iterable[str] = ()) -> list[Token]:
    """Raw tokens -> the parser's tokens (see the module docstring)."""
    from .latex_retype import (  # built on this module's tokens
        _bars,
        _inline_derivatives,
        _intervals,
        _matrix_cells,
        _one_sided,
    )

    toks = _leibniz_sigma(_decimal_points(_matrix_cells(_first_pass(raw))))
    toks = _one_sided(_inline_derivatives(_intervals(_bars(toks))))
    _refuse_typos(toks)
    match = _balance(toks)
    for i, t in enumerate(toks):
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if t.type == "GREEK" and t.value == "\\sigma":
            _classify_sigma(toks, i, match)
        elif (
            t.type == "TEXT"
            and nxt is not None
            and (nxt.type in OPENERS or (nxt.type in EXPR_START and _glued(t, nxt)))
        ):
            raise _Err(
                f"{t.value} is followed by an argument: proofsheet does not know this "
                "function (it reads \\text{...} only as prose)",
                t.start_pos,
            )
        elif t.type == "FRAC":
            _mark_derivative(toks, i, match)
        elif t.type in ("SUP1", "SUB1") and _script_glued(toks, i):
            what = "a power" if t.type == "SUP1" else "a subscript"
            raise _Err(
                f"{t.value.replace(' ', '')}{nxt.value}: LaTeX takes only one character "
                f"for {what} without braces; write {t.value[0]}{{…}} with the braces "
                "you mean",
                t.start_pos,
            )
        elif (
            t.type == "_CARET"
            and nxt is not None
            and nxt.type == "_LBRACE"
            and toks[i + 2].type == "_LPAR"
            and match[i + 2] + 1 == match[i + 1]
        ):
            toks[i] = _tok("_IDXCARET", t.value, t)
        elif t.type == "AMP":
            prev = toks[i - 1] if i else None
            mark = (
                prev is None
                or nxt is None
                or nxt.type in ("REL", "_LINEBREAK", "AMP")
                or prev.type in ("_LINEBREAK", "SEP", "TEXT", "COMMA", "AMP", "REL")
            )
            toks[i] = _tok("AMP" if mark else "SEP", t.value, t)
    return _mark_functions(_drop_marks(toks), functions)


def _leibniz_variable(toks: list[Token]) -> str | None:
    """x when the formula writes ``\\frac{d\\sigma}{dx}`` and x is its only letter."""
    found = {
        toks[k + 7].value
        for k in range(len(toks) - 8)
        if [t.type for t in toks[k : k + 9]]
        == ["FRAC", "_LBRACE", "LETTER", "GREEK", "_RBRACE", "_LBRACE", "LETTER", "LETTER"]
        + ["_RBRACE"]
        and toks[k + 2].value == toks[k + 6].value == "d"
        and toks[k + 3].value == "\\sigma"
    }
    letters = {t.value for t in toks if t.type == "LETTER"} - {"d", "e"}
    return found.pop() if len(found) == 1 and letters == found else None


def _closing(toks: list[Token], i: int) -> int:
    depth = 0
    for j in range(i, len(toks)):
        depth += {"_LPAR": 1, "_RPAR": -1}.get(toks[j].type, 0)
        if depth == 0:
            return j
    return len(toks)


def _leibniz_sigma(toks: list[Token]) -> list[Token]:
    """``\\frac{d\\sigma}{dx} = \\sigma(1-\\sigma)``: with x the only variable, a bare
    ``\\sigma`` is σ(x), and ``\\sigma(…)`` around a bare σ is σ(x) times (…)."""
    x = _leibniz_variable(toks)
    if x is None:
        return toks
    bare = [
        i
        for i, t in enumerate(toks)
        if t.type == "GREEK"
        and t.value == "\\sigma"
        and not (i and toks[i - 1].type == "LETTER" and toks[i - 1].value == "d")
        and (
            i + 1 == len(toks)
            or toks[i + 1].type not in ("_LPAR", "PRIME", "_LBRACE", "_LBRACK")
            or (
                toks[i + 1].type == "_LPAR"
                and any(
                    toks[k].value == "\\sigma" and toks[k + 1].type != "_LPAR"
                    for k in range(i + 2, _closing(toks, i + 1))
                )
            )
        )
    ]
    out: list[Token] = []
    for i, t in enumerate(toks):
        out.append(t)
        if i in bare:
            out += [_tok("_LPAR", "(", t), _tok("LETTER", x, t), _tok("_RPAR", ")", t)]
    return out


def _classify_sigma(toks: list[Token], i: int, match: dict[int, int]) -> None:
    """``\\sigma`` is the sigmoid everywhere: SIGMA before its argument (``\\sigma(x)``,
    ``\\sigma{(x)}``, ``\\sigma'(x)``, ``\\sigma^2(x)``); bare only as ``d\\sigma`` in a
    derivative, which :mod:`latex_build` reads as σ of the variable."""
    t, nxt = toks[i], toks[i + 1] if i + 1 < len(toks) else None
    kind = nxt.type if nxt is not None else None
    after = {"SUP1": i + 2, "_CARET": match.get(i + 2, len(toks)) + 1}.get(kind)  # \sigma^2(x)
    if kind in ("PRIME", *OPENERS) or (
        after is not None and after < len(toks) and toks[after].type in ("_LPAR", "_LBRACK")
    ):
        toks[i] = _tok("SIGMA", t.value, t)
    elif not (_after_differential(toks, i, match) and kind == "_RBRACE"):
        raise _Err(
            "\\sigma is the sigmoid function: write its argument, as in \\sigma(x)", t.start_pos
        )


def _after_differential(toks: list[Token], i: int, match: dict[int, int]) -> bool:
    """Whether toks[i] follows ``d``, ``d^2`` or ``d^{2}`` (the numerator of a derivative)."""
    j = i - 1
    if j >= 0 and toks[j].type == "SUP1":
        j -= 1
    elif j >= 0 and toks[j].type == "_RBRACE":
        opener = next((k for k, v in match.items() if v == j), 0)
        j = opener - 2 if opener and toks[opener - 1].type == "_CARET" else j
    return j >= 0 and toks[j].type == "DIFF"


_DEFINES = frozenset({"=", ":=", "\\coloneqq", "\\coloneq", "\\triangleq"})
_STARTS = frozenset({"_LINEBREAK", "SEP", "TEXT", "COMMA"})


def _function_heads(toks: list[Token]) -> set[str]:
    """The letters ``f`` of every ``f(x) =``, ``f(x) :=`` or ``L(y, \\hat{y}) =`` that
    starts a chain."""
    heads = set()
    for j in range(len(toks) - 4):
        f, lpar = toks[j : j + 2]
        end = next((k for k in range(j + 2, len(toks)) if toks[k].type == "_RPAR"), len(toks))
        if (
            f.type == "LETTER"
            and f.value != "e"
            and lpar.type == "_LPAR"
            and _parameters(toks[j + 2 : end])
            and end + 1 < len(toks)
            and toks[end + 1].type == "REL"
            and toks[end + 1].value in _DEFINES
            and (j == 0 or toks[j - 1].type in _STARTS)
        ):
            heads.add(f.value)
    return heads


_PARAMETER = frozenset({"LETTER", "GREEK", "ACCENT", "_LBRACE", "_RBRACE", "SUB1", "_UNDERSCORE"})


def _parameters(toks: list[Token]) -> bool:
    """``x`` or ``y, \\hat{y}``: names separated by commas (the parameters of f(…) =)."""
    parts: list[list[Token]] = [[]]
    for t in toks:
        if t.type == "COMMA":
            parts.append([])
        else:
            parts[-1].append(t)
    return all(
        p
        and p[0].type in ("LETTER", "GREEK", "ACCENT")
        and all(t.type in _PARAMETER for t in p)
        and not any(t.value in ("e", "\\sigma") for t in p)
        for p in parts
    )


def _script_then_argument(toks: list[Token], i: int) -> bool:
    """``^2(``, ``^{-1}(`` or ``'(`` at toks[i]: a script on a function before its argument."""
    if i >= len(toks) or toks[i].type not in ("SUP1", "PRIME", "_CARET"):
        return False
    j, depth = i + 1, 0
    if toks[i].type == "_CARET":
        while j < len(toks):
            depth += {"_LBRACE": 1, "_RBRACE": -1}.get(toks[j].type, 0)
            j += 1
            if depth <= 0:
                break
    return j < len(toks) and toks[j].type == "_LPAR"


def _mark_functions(toks: list[Token], functions: Iterable[str]) -> list[Token]:
    """A letter that names a function (given, or defined by ``f(x) = …`` in this block) and is
    followed by ``(`` is that function applied: FNAME."""
    names = set(functions) | _function_heads(toks)
    toks = _primed_calls(toks, names)
    for i, t in enumerate(toks):
        if t.type == "LETTER" and t.value in names and _script_then_argument(toks, i + 1):
            raise _Err(
                f"{t.value} is a function here: write a power as ({t.value}(x))^2 "
                "(inverses and primes of functions are not supported)",
                t.start_pos,
            )
    return [
        _tok("FNAME", t.value, t)
        if t.type == "LETTER"
        and t.value in names
        and i + 1 < len(toks)
        and toks[i + 1].type == "_LPAR"
        else t
        for i, t in enumerate(toks)
    ]


def _primed_calls(toks: list[Token], names: set[str]) -> list[Token]:
    """``f'(x)``, ``f''(x)`` for a function ``f`` of the file: one FNAME ``f'`` / ``f''``
    (the checker differentiates f's definition)."""
    out: list[Token] = []
    i = 0
    while i < len(toks):
        t, j = toks[i], i + 1
        while j < len(toks) and toks[j].type == "PRIME" and toks[j].value == "'":
            j += 1
        if t.type == "LETTER" and t.value in names and j > i + 1 and j < len(toks):
            if toks[j].type == "_LPAR":
                out.append(_tok("FNAME", t.value + "'" * (j - i - 1), t))
                i = j
                continue
        out.append(t)
        i += 1
    return out


def _drop_marks(toks: list[Token]) -> list[Token]:
    """Drop alignment marks; split ``\\frac14`` into its one-digit arguments."""
    out: list[Token] = []
    for i, t in enumerate(toks):
        if t.type == "AMP":
            continue
        if (
            t.type == "NUMBER"
            and i
            and toks[i - 1].type == "FRAC"
            and "." not in t.value
            and len(t.value) > 1
        ):  # \frac14: LaTeX reads one digit per argument
            digits = [t.value[0], t.value[1], t.value[2:]]
            out += [_tok("NUMBER", d, t, t.start_pos + k) for k, d in enumerate(digits) if d]
            continue
        out.append(t)
    return out
