"""Known mistakes ("buggy rules", as STACK calls them), as a table of data.

Each rule rewrites the left side the way the mistake would; when the
student's right side equals that rewrite (a kernel-checked identity), the
step is explained by the mistake.  Feedback only: a buggy rule never makes
a step pass or fail.

>>> import sympy as sp
>>> from proofsheet.kernel.notation import sigma
>>> x = sp.Symbol("x", real=True)
>>> explain(Prop(sigma(-x), "=", 1 / (1 + sp.exp(-x))))
'σ(−u) = 1/(1 + e^(u)): unfolding σ at −x flips the sign of the exponent.'
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import sympy as sp

from ..kernel import Prop
from ..kernel.errors import CheckTimeout
from ..kernel.notation import sigma, unfold
from ..search.decide import decide
from ..search.timelimit import run_with_limit

Rewrite = Callable[[Prop], Iterator[sp.Expr]]


def _flip_sigma_sign(prop: Prop) -> Iterator[sp.Expr]:
    """σ(−u) unfolded as if it were σ(u): only for a side that holds σ(−u) or e^(−u)."""
    negated = [e for e in prop.lhs.atoms(sigma, sp.exp) if e.args[0].could_extract_minus_sign()]
    if prop.lhs.has(sp.Derivative) or not negated:
        return
    if prop.lhs.has(sigma):
        yield prop.lhs.replace(lambda e: isinstance(e, sigma), lambda e: sigma(-e.args[0]))
    flipped = unfold(prop.lhs).replace(
        lambda e: isinstance(e, sp.exp), lambda e: sp.exp(-e.args[0])
    )
    if flipped != unfold(prop.lhs):
        yield flipped


def _split_reciprocal(prop: Prop) -> Iterator[sp.Expr]:
    def split(e: sp.Pow) -> sp.Expr:
        return sp.Add(*(sp.Pow(term, e.exp) for term in e.base.args))

    for side in (prop.lhs, unfold(prop.lhs)):
        wrong = side.replace(
            lambda e: isinstance(e, sp.Pow) and isinstance(e.base, sp.Add) and e.exp.is_negative,
            split,
        )
        if wrong != side:
            yield wrong


def _drop_inner_derivative(prop: Prop) -> Iterator[sp.Expr]:
    """d/dx f(g(x)) taken as f'(g(x)), forgetting the factor g'(x)."""
    for d in prop.lhs.atoms(sp.Derivative):
        ((x, _count),) = d.variable_count
        for inner in _inner_arguments(d.expr, x):
            hole = sp.Dummy("g", real=True)
            outer = d.expr.xreplace({inner: hole})
            if outer.has(x):
                continue
            yield prop.lhs.xreplace({d: sp.diff(outer, hole).xreplace({hole: inner})})


def _inner_arguments(expr: sp.Expr, x: sp.Symbol) -> Iterator[sp.Expr]:
    for e in sp.preorder_traversal(expr):
        if isinstance(e, (sp.Function, sp.Pow)):
            for arg in e.args:
                if arg.has(x) and arg != x and not arg.is_number:
                    yield arg


def _log_base_ten(prop: Prop) -> Iterator[sp.Expr]:
    if prop.lhs.has(sp.log):
        ten = prop.lhs.replace(lambda e: isinstance(e, sp.log), lambda e: e / sp.log(10))
        yield (
            sp.Derivative(ten.args[0], *ten.variables).doit()
            if isinstance(prop.lhs, sp.Derivative)
            else ten
        )


def _negated(prop: Prop) -> Iterator[sp.Expr]:
    yield -prop.lhs


def _factor_count(prop: Prop) -> Iterator[sp.Expr]:
    """∏_{k=a}^{b} bounded by c^E where E is not b − a + 1, the number of factors: the bound
    the step should have written, c^(b − a + 1)."""
    upper = prop.as_upper()
    if isinstance(upper.lhs, sp.Product) and isinstance(upper.rhs, sp.Pow):
        ((_k, a, b),) = upper.lhs.limits
        base, exponent = upper.rhs.base, upper.rhs.exp
        if exponent.could_extract_minus_sign():  # 4^{-n} is (1/4)^n
            base, exponent = 1 / base, -exponent
        if sp.expand(exponent - (b - a + 1)) != 0:
            yield base ** (b - a + 1)


def _fires(rule: BuggyRule, prop: Prop, rewrite: sp.Expr, seconds: float) -> bool:
    """Whether ``rewrite`` shows the mistake: the student's right side is what the mistake
    gives, or (a correcting rule) the step with the corrected right side verifies while the
    student's right side is not the same bound."""
    if not rule.corrects:
        return decide(Prop(rewrite, "=", prop.rhs), seconds=seconds).ok
    upper = prop.as_upper()
    return (
        decide(prop, seconds=seconds).status == "refuted"  # a true step has no mistake
        and decide(Prop(upper.lhs, upper.rel, rewrite), seconds=seconds).ok
        and decide(Prop(rewrite, "=", upper.rhs), seconds=seconds).status == "refuted"
    )


@dataclass(frozen=True)
class BuggyRule:
    name: str
    message: str
    rewrites: Rewrite
    #: True: a rewrite is the corrected right side, and the rule fires only when the step
    #: with it verifies; False: a rewrite is what the mistake makes of the left side
    corrects: bool = False


BUGGY_RULES: tuple[BuggyRule, ...] = (
    BuggyRule(
        "sigma-sign",
        "σ(−u) = 1/(1 + e^(u)): unfolding σ at −x flips the sign of the exponent.",
        _flip_sigma_sign,
    ),
    BuggyRule(
        "split-reciprocal",
        "1/(a + b) is not 1/a + 1/b: a reciprocal does not split over a sum.",
        _split_reciprocal,
    ),
    BuggyRule(
        "chain-rule-factor",
        "A chain-rule factor is missing: multiply by the derivative of the inner function.",
        _drop_inner_derivative,
    ),
    BuggyRule(
        "log-base", "log here is the natural logarithm (ln); this step used base 10.", _log_base_ten
    ),
    BuggyRule("sign", "The two sides differ only in sign: a minus sign was lost.", _negated),
    BuggyRule(
        "factor-count",
        "∏ from k = a to b has b − a + 1 factors, so the exponent of the bound must be b − a + 1.",
        _factor_count,
        corrects=True,
    ),
)


def diagnose(prop: Prop, seconds: float = 5.0) -> BuggyRule | None:
    """The first known mistake that explains a wrong step, if any."""
    for rule in BUGGY_RULES:
        for wrong in rule.rewrites(prop):
            if _fires(rule, prop, wrong, seconds):
                return rule
    return None


def explain(prop: Prop, seconds: float = 5.0) -> str | None:
    """The one-sentence feedback for a wrong step, if a known mistake explains it."""
    rule = diagnose(prop, seconds)
    return rule.message if rule else None


#: each decision inside an explanation gets at most this long: a machine busy with other
#: work (a test suite on every core) must not turn a known mistake into no hint
FEEDBACK_SECONDS = 10.0


def feedback(prop: Prop, seconds: float = FEEDBACK_SECONDS) -> str | None:
    """:func:`explain` in a child under the time and memory limits; None when it runs out.

    The rewrites build expressions from the student's text (a power of a huge base,
    say), so they never run in the process that reports.
    """
    inner = min(seconds, FEEDBACK_SECONDS)
    try:
        return run_with_limit(explain, (prop, inner), seconds)
    except (CheckTimeout, RuntimeError):
        return None
