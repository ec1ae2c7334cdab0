"""Q3.3 — 0 < σ'(x) ≤ 1/4, with equality exactly at x = 0, by certificate.

Three chains a reader can follow (σ' = σ(1 − σ) = 1/4 − (σ − 1/2)²; σ' as a
positive fraction in e^(−x); 1/4 − σ' as a square over a square), the value
σ'(0) = 1/4, and strictness on each side of 0: from 0 < x the kernel gets
−x < 0, then e^(−x) < e⁰ = 1 (``increasing``), then a *strict* sign
certificate under e^(−x) < 1, and finally discharges that hypothesis.
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


def bounds() -> tuple[Theorem, Theorem]:
    """The lemmas other derivations instantiate: 0 ≤ σ'(x) and σ'(x) ≤ 1/4 (x real)."""
    return proved(Prop(0, "<=", sigma_prime(x))), proved(Prop(sigma_prime(x), "<=", Q))


def strict_side(d: Derivation, side: int) -> Theorem:
    """σ'(x) < 1/4 under 0 < x (side = +1) or under x < 0 (side = −1), shown as facts."""
    hypothesis = Prop(0, "<", x) if side > 0 else Prop(x, "<", 0)
    where = "0 < x" if side > 0 else "x < 0"
    negated = d.claim(
        Prop(-x, "<", 0) if side > 0 else Prop(0, "<", -x),
        assumptions=(hypothesis,),
        why=Text(en=f"negate both sides of {where}", zh=f"把 {where} 两边取负"),
    )
    exp_fact = kernel.increasing(negated.theorem, "exp")  # e^(−x) < e⁰ = 1, or 1 < e^(−x)
    d.fact(
        exp_fact,
        why=Text(
            en="the exponential is strictly increasing, and e⁰ = 1",
            zh="指数函数严格递增，且 e⁰ = 1",
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
            en="1/4 − σ'(x) = (1 − e^(−x))·(1 − e^(−x)) / (4(1 + e^(−x))²), and now each factor 1 − e^(−x) "
            "is non-zero with a known sign, so the product is strictly positive",
            zh="1/4 − σ'(x) = (1 − e^(−x))·(1 − e^(−x)) / (4(1 + e^(−x))²)，而现在每个因子 1 − e^(−x) 都不为零"
            "且符号已知，所以乘积严格为正",
        ),
    )
    strict = kernel.discharge(conditional, exp_fact)
    d.fact(
        strict,
        why=Text(
            en=f"combine: the hypothesis on e^(−x) follows from {where}",
            zh=f"合并：关于 e^(−x) 的条件由 {where} 推出",
        ),
    )
    return strict


def derive() -> Derivation:
    d = Derivation(
        "sigmoid-derivative-bound",
        "Q3.3",
        Text(
            en="The sigmoid's slope: 0 < σ'(x) ≤ 1/4, with equality only at x = 0",
            zh="sigmoid 的斜率：0 < σ'(x) ≤ 1/4，仅在 x = 0 处取等号",
        ),
    )
    d.say(
        en="Every sigmoid layer multiplies the back-propagated gradient by σ'(u) at its pre-activation u. "
        "How large can that factor be? Start from σ' = σ(1 − σ) (Q3.2) and complete the square:",
        zh="每个 sigmoid 层都会把反向传播的梯度乘以其预激活值 u 处的 σ'(u)。这个因子最大能有多大？"
        "从 σ' = σ(1 − σ)（Q3.2）出发，配方：",
    )
    s = sigma(x)
    upper = d.chain(sigma_prime(x))
    upper.eq(product_as_written(s, 1 - s), why=Text(en="Q3.2", zh="Q3.2"))
    upper.eq(
        sum_as_written(Q, -shown((HALF - s) ** 2)),
        why=Text(
            en="complete the square: s(1 − s) = 1/4 − (1/2 − s)²",
            zh="配方：s(1 − s) = 1/4 − (1/2 − s)²",
        ),
    )
    upper.le(Q, why=Text(en="a square is never negative", zh="平方永远非负"))
    d.conclude("sigma'(x) <= 1/4", upper.theorem)
    d.say(
        en="The slope is also strictly positive, since in terms of e^(−x) it is a positive number over a "
        "positive number:",
        zh="斜率还严格为正，因为用 e^(−x) 表示时，它是正数除以正数：",
    )
    positive = d.chain(sigma_prime(x))
    positive.eq(
        E / (1 + E) ** 2, why=Text(en="Q3.2, written with e^(−x)", zh="Q3.2，用 e^(−x) 表示")
    )
    positive.gt(
        0, why=Text(en="e^(−x) > 0 and (1 + e^(−x))² > 0", zh="e^(−x) > 0 且 (1 + e^(−x))² > 0")
    )
    d.conclude("0 < sigma'(x)", positive.theorem and kernel.symmetry(positive.theorem))
    d.say(
        en="When is the bound attained? The gap to 1/4 is a square divided by a square:",
        zh="上界何时取到？与 1/4 的差是一个平方除以一个平方：",
    )
    gap = d.chain(Q - sigma_prime(x))
    gap.eq(
        (1 - E) ** 2 / (4 * (1 + E) ** 2),
        why=Text(en="common denominator 4(1 + e^(−x))²", zh="通分，公分母为 4(1 + e^(−x))²"),
    )
    gap.ge(0, why=Text(en="a square over a positive number", zh="平方除以正数"))
    d.say(
        en="It vanishes exactly when e^(−x) = 1, that is at x = 0, where the bound is attained:",
        zh="它恰在 e^(−x) = 1 即 x = 0 时为零，此时上界取到：",
    )
    at_zero = d.claim(
        Prop(sigma_prime(0), "=", Q),
        why=Text(en="σ'(0) = e⁰/(1 + e⁰)² = 1/4", zh="σ'(0) = e⁰/(1 + e⁰)² = 1/4"),
    )
    d.conclude("sigma'(0) = 1/4", at_zero.theorem)
    d.say(
        en="Everywhere else the inequality is strict. For x > 0:",
        zh="其他地方不等式严格成立。当 x > 0 时：",
    )
    d.conclude("sigma'(x) < 1/4 for x > 0", strict_side(d, +1))
    d.say(
        en="and symmetrically for x < 0, where now e^(−x) > 1:",
        zh="同理，当 x < 0 时，此时 e^(−x) > 1：",
    )
    d.conclude("sigma'(x) < 1/4 for x < 0", strict_side(d, -1))
    d.say(
        en="So 0 < σ'(x) ≤ 1/4 for every real x, with σ'(x) = 1/4 only at x = 0. A sigmoid layer therefore "
        "shrinks the gradient passing through it by a factor of at least 4 (times its weight), and by much "
        "more once the unit saturates (|x| large, σ'(x) ≈ e^(−|x|)). Q3.3 multiplies such factors over the "
        "layers.",
        zh="因此对所有实数 x 有 0 < σ'(x) ≤ 1/4，且只有在 x = 0 时 σ'(x) = 1/4。于是每经过一个 sigmoid 层，"
        "梯度至少缩小为原来的 1/4（再乘以该层权重）；单元饱和时（|x| 很大，σ'(x) ≈ e^(−|x|)）缩小得更多。"
        "Q3.3 把各层的这些因子乘在一起。",
    )
    return d
