"""A step as MathML for the page: SymPy's presentation printer, then an allow-list.

SymPy's printer does not escape the names it prints (a symbol named ``a<b`` comes out as
``<mi>a<b</mi>``), so its output is never put on the page as it is. :func:`safe_mathml`
parses it as XML (named entities such as ``&ExponentialE;`` replaced by their characters
first) and keeps it only when every element is a MathML presentation element and every
attribute a presentational one; the page gets the tree serialised again by ElementTree,
which escapes every text. Anything else is ``""``: the page shows the step's own text,
escaped, instead. No element can load anything (no ``href``, ``src``, ``style``), so math
renders with no network access.

>>> import sympy as sp
>>> step_mathml(sp.Symbol("x"), "<=", sp.Integer(1))
'<math display="block"><mrow><mi>x</mi><mo>≤</mo><mn>1</mn></mrow></math>'
>>> from proofsheet.kernel.notation import sigma
>>> "<mo>\u2212</mo>" in step_mathml(1 - sp.Symbol("x"), "=", sp.Integer(1))
True
>>> "<mi>σ</mi>" in step_mathml(sigma(sp.Symbol("x")), "=", sp.Integer(1))
True
>>> safe_mathml("<mi>a<b</mi>"), safe_mathml('<mi onclick="f()">x</mi>')
('', '')
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET

import sympy as sp

from ..kernel.notation import sigma, sigma_prime

#: the presentation elements SymPy's printer writes, and a few more of the same kind
ELEMENTS = frozenset(
    "math mrow mi mn mo ms mtext mspace mfrac msqrt mroot msub msup msubsup munder mover "
    "munderover mfenced mtable mtr mtd mstyle mpadded mphantom menclose mmultiscripts "
    "mprescripts none semantics".split()
)
#: presentational attributes only: none names a URL, a script or a style
ATTRIBUTES = frozenset(
    "mathvariant fence separators stretchy linethickness open close accent accentunder form "
    "lspace rspace columnalign rowalign displaystyle scriptlevel notation movablelimits "
    "largeop symmetric display".split()
)
RELATIONS = {"=": "=", "<": "<", ">": ">", "<=": "≤", ">=": "≥", "!=": "≠", "approx": "≈"}
_ENTITY = re.compile(r"&([A-Za-z][A-Za-z0-9]*);")
_XML_ENTITIES = {"lt", "gt", "amp", "quot", "apos"}
MAX_MATHML_CHARS = 200_000  #: a step longer than this is shown as its text


def step_mathml(lhs: sp.Basic | None, rel: str, rhs: sp.Basic | None) -> str:
    """``<math>`` for ``lhs rel rhs``, or ``""`` when a side is missing or not printable."""
    if lhs is None or rhs is None or rel not in RELATIONS:
        return ""
    try:
        sides = [sp.mathml(_course_names(side), printer="presentation") for side in (lhs, rhs)]
    except Exception:  # noqa: BLE001 — a printer failure only means the text is shown
        return ""
    mo = f"<mo>{html.escape(RELATIONS[rel])}</mo>"
    return safe_mathml(f'<math display="block"><mrow>{sides[0]}{mo}{sides[1]}</mrow></math>')


#: the course's functions, by the name the page shows (SymPy would print "sigma")
_SHOWN = {sigma: sp.Function("σ"), sigma_prime: sp.Function("σ′")}


def _course_names(expr: sp.Basic) -> sp.Basic:
    """``expr`` with σ and σ′ as functions named by their letters, only for printing."""
    return expr.replace(lambda e: type(e) in _SHOWN, lambda e: _SHOWN[type(e)](*e.args))


def safe_mathml(markup: str) -> str:
    """``markup`` re-serialised when it is MathML on the allow-lists, else ``""``."""
    if len(markup) > MAX_MATHML_CHARS:
        return ""
    try:  # an entity left unknown is an XML error, so refused like any other
        root = ET.fromstring(_ENTITY.sub(_character, markup))
    except ET.ParseError:
        return ""
    for element in root.iter():
        if element.tag not in ELEMENTS or not set(element.attrib) <= ATTRIBUTES:
            return ""
        if element.tag == "mo" and element.text == "-":
            element.text = "\u2212"  # the minus sign, not the hyphen SymPy's printer writes
    return ET.tostring(root, encoding="unicode")


def _character(match: re.Match) -> str:
    """A named entity as its character (XML's own five are left for the parser)."""
    name = match.group(1)
    if name in _XML_ENTITIES:
        return match.group(0)
    character = html.unescape(match.group(0))
    return match.group(0) if character == match.group(0) else html.escape(character)
