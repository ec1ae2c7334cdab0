"""Q3.3 — 0 < σ'(x) ≤ 1/4, with equality exactly at x = 0, by certificate.

Three chains a reader can follow (σ' = σ(1 − σ) = 1/4 − (σ − 1/2)²; σ' as a
positive fraction in e^(−x); 1/4 − σ' as a square over a square), the value
σ'(0) = 1/4, and strictness on each side of 0: from 0 < x the kernel gets
−x < 0, then e^(−x) < e⁰ = 1 (``increasing``), then a *strict* sign
certificate under e^(−x) < 1, and finally discharges that hypothesis.
The two bounds are the hand-out's part (brief); the equality case is detail.
"""

from __future__ import annotations

import sympy as sp

from derivations.common import E, product_as_written, shown, sum_as_written, x
from derivations.deep_chain import proved
from proofsheet import kernel
from proofsheet.kernel import Prop, Theorem
from proofsheet.kernel.certificates import SignCertificate, SignTerm, Substitution
from proofsheet.kernel.notation import sigma, sigma_prime
from proofsheet.sheet.derivation import Derivation, Text

Q = sp.Rational(1, 4)
HALF = sp.Rational(1, 2)
_t = sp.Symbol("t", positive=True)  #: t = e^(−x) in the hand-written certificates
#: 1/4 − σ'(x) as a square over a square, the form every step about the gap uses
GAP = product_as_written(1 - E, 1 - E) / (4 * (1 + E) ** 2)


def bounds() -> tuple[Theorem, Theorem]:
    """The lemmas other derivations instantiate: 0 ≤ σ'(x) and σ'(x) ≤ 1/4 (x real)."""
    return proved(Prop(0, "<=", sigma_prime(x))), proved(Prop(sigma_prime(x), "<=", Q))


def strict_side(d: Derivation, side: int) -> Theorem:
    """σ'(x) < 1/4 under 0 < x (side = +1) or under x < 0 (side = −1), shown as facts."""
    hypothesis = Prop(0, "<", x) if side > 0 else Prop(x, "<", 0)
    where = {"where": sp.Lt(0, x) if side > 0 else sp.Lt(x, 0)}
    negated = d.claim(
        Prop(-x, "<", 0) if side > 0 else Prop(0, "<", -x),
        assumptions=(hypothesis,),
        why=Text(en="negate both sides of {where}", zh="把 {where} 两边取负", math=where),
    )
    exp_fact = kernel.increasing(negated.theorem, "exp")  # e^(−x) < e⁰ = 1, or 1 < e^(−x)
    d.fact(
        exp_fact,
        why=Text(
            en="the exponential is strictly increasing, and {one}",
            zh="指数函数严格递增，且 {one}",
            math={"one": sp.Eq(sp.exp(shown(0)), 1, evaluate=False)},
        ),
    )
    gap = 1 - _t if side > 0 else _t - 1  # > 0 by that fact
    certificate = SignCertificate(
        Substitution(((_t, -x),)),
        (SignTerm(Q, (("hyp", gap), ("hyp", gap), ("inv", (1 + _t) ** 2))),),
    )
    conditional = kernel.certified_sign(Prop(sigma_prime(x), "<", Q), certificate, (exp_fact.prop,))
    d.fact(
        conditional,
        why=Text(
            en="{gap}, and now each factor {factor} is non-zero with a known sign, so the "
            "product is strictly positive",
            zh="{gap}，而现在每个因子 {factor} 都不为零且符号已知，所以乘积严格为正",
            math={"gap": sp.Eq(Q - sigma_prime(x), GAP, evaluate=False), "factor": 1 - E},
        ),
    )
    strict = kernel.discharge(conditional, exp_fact)
    d.fact(
        strict,
        why=Text(
            en="combine: the condition on {e} follows from {where}",
            zh="合并：关于 {e} 的条件由 {where} 推出",
            math={"e": E, **where},
        ),
    )
    return strict


def answer(d: Derivation) -> tuple[Theorem, Theorem]:
    """The hand-out's part: σ'(x) ≤ 1/4 by completing the square, and 0 < σ'(x)."""
    s = sigma(x)
    with d.answer(brief=True):
        d.say(
            en="Every sigmoid layer multiplies the back-propagated gradient by the slope σ' at "
            "its pre-activation. Completing the square in {q32} (Q3.2) bounds it by 1/4, and "
            "written as {fraction} it is a positive number over a positive number:",
            zh="每个 sigmoid 层都把反向传播的梯度乘以其预激活处的斜率 σ'。对 {q32}（Q3.2）配方，"
            "可知它不超过 1/4；写成 {fraction} 后，它是正数除以正数：",
            q32=sp.Eq(sigma_prime(x), product_as_written(s, 1 - s), evaluate=False),
            fraction=E / (1 + E) ** 2,
        )
        upper = d.chain(sigma_prime(x))
        upper.eq(product_as_written(s, 1 - s), why=Text(en="Q3.2", zh="Q3.2"))
        upper.eq(
            sum_as_written(Q, -shown((HALF - s) ** 2)),
            why=Text(en="complete the square", zh="配方"),
        )
        upper.le(Q, why=Text(en="a square is never negative", zh="平方永远非负"))
        positive = d.chain(sigma_prime(x))
        positive.eq(
            E / (1 + E) ** 2,
            why=Text(en="Q3.2, written with {e}", zh="Q3.2，用 {e} 表示", math={"e": E}),
        )
        positive.gt(
            0,
            why=Text(
                en="{numerator} and {denominator}",
                zh="{numerator} 且 {denominator}",
                math={
                    "numerator": sp.Gt(E, 0, evaluate=False),
                    "denominator": sp.Gt((1 + E) ** 2, 0, evaluate=False),
                },
            ),
        )
        d.say(
            en="So {slope} lies in {interval} for every real {x}, and equals 1/4 only at {origin}.",
            zh="所以对每个实数 {x}，{slope} 都在 {interval} 内，且只在 {origin} 处等于 1/4。",
            slope=sigma_prime(x),
            x=x,
            interval=sp.Interval.Lopen(0, Q),
            origin=sp.Eq(x, 0, evaluate=False),
        )
    return upper.theorem, positive.theorem


def equality_case(d: Derivation) -> None:
    """σ'(0) = 1/4, and σ'(x) < 1/4 on each side of 0 (proofs document only)."""
    d.say(
        en="When is the bound attained? The gap to 1/4 is a square divided by a square:",
        zh="上界何时取到？与 1/4 的差是一个平方除以一个平方：",
    )
    gap = d.chain(Q - sigma_prime(x))
    gap.eq(
        GAP,
        why=Text(
            en="common denominator {denominator}",
            zh="通分，公分母为 {denominator}",
            math={"denominator": 4 * (1 + E) ** 2},
        ),
    )
    gap.ge(0, why=Text(en="a square over a positive number", zh="平方除以正数"))
    d.say(
        en="It vanishes exactly when {one}, that is at {origin}, where the bound is attained:",
        zh="它恰在 {one} 即 {origin} 时为零，此时上界取到：",
        one=sp.Eq(E, 1, evaluate=False),
        origin=sp.Eq(x, 0, evaluate=False),
    )
    at_zero = d.claim(
        Prop(sigma_prime(0), "=", Q),
        why=Text(
            en="{value}",
            zh="{value}",
            math={
                "value": sp.Eq(
                    sigma_prime(0), sp.exp(shown(0)) / (1 + sp.exp(shown(0))) ** 2, evaluate=False
                )
            },
        ),
    )
    d.conclude("sigma'(0) = 1/4", at_zero.theorem)
    d.say(
        en="Everywhere else the inequality is strict. For {right}:",
        zh="其他地方不等式严格成立。当 {right} 时：",
        right=sp.Gt(x, 0),
    )
    d.conclude("sigma'(x) < 1/4 for x > 0", strict_side(d, +1))
    d.say(
        en="and symmetrically for {left}, where now {above}:",
        zh="同理，当 {left} 时，此时 {above}：",
        left=sp.Lt(x, 0),
        above=sp.Gt(E, 1),
    )
    d.conclude("sigma'(x) < 1/4 for x < 0", strict_side(d, -1))


def derive() -> Derivation:
    d = Derivation(
        "sigmoid-derivative-bound",
        "Q3.3",
        Text(
            en="The sigmoid's slope σ'(x) lies in {interval}, and is 1/4 only at {origin}",
            zh="sigmoid 的斜率 σ'(x) 在 {interval} 内，仅在 {origin} 处等于 1/4",
            math={"interval": sp.Interval.Lopen(0, Q), "origin": sp.Eq(x, 0, evaluate=False)},
        ),
    )
    upper, positive = answer(d)
    d.conclude("sigma'(x) <= 1/4", upper)
    d.conclude("0 < sigma'(x)", positive and kernel.symmetry(positive))
    equality_case(d)
    d.say(
        en="A sigmoid layer therefore shrinks the gradient passing through it by a factor of at "
        "least 4 (times its weight), and by much more once the unit saturates: for large {abs} "
        "the slope is about {tail}. Q3.3 multiplies such factors over the layers.",
        zh="因此每经过一个 sigmoid 层，梯度至少缩小为原来的 1/4（再乘以该层权重）；单元饱和时"
        "（{abs} 很大，斜率约为 {tail}）缩小得更多。Q3.3 把各层的这些因子乘在一起。",
        abs=sp.Abs(x),
        tail=sp.exp(-sp.Abs(x)),
    )
    return d
