"""Q3.1 — 1 − σ(x) = σ(−x)."""

from __future__ import annotations

import sympy as sp

from derivations.common import E, sum_as_written, x
from proofsheet.kernel.notation import sigma
from proofsheet.sheet.derivation import Derivation, Text


def derive() -> Derivation:
    d = Derivation(
        "sigmoid-complement", "Q3.1", Text(en="Prove 1 − σ(x) = σ(−x)", zh="证明 1 − σ(x) = σ(−x)")
    )
    d.say(
        en="Unfold the definition σ(u) = 1/(1 + e^(−u)) on the left, bring everything over one "
        "denominator, and recognise σ at −x on the right.",
        zh="在左边展开定义 σ(u) = 1/(1 + e^(−u))，通分，再在右边认出 σ 在 −x 处的值。",
    )
    c = d.chain(1 - sigma(x))
    c.eq(1 - 1 / (1 + E), why=Text(en="definition of σ", zh="σ 的定义"))
    c.eq(sum_as_written(1, E, -1) / (1 + E), why=Text(en="common denominator", zh="通分"))
    c.eq(E / (1 + E), why=Text(en="1 − 1 = 0 in the numerator", zh="分子中 1 − 1 = 0"))
    c.eq(
        1 / (sp.exp(x) + 1),
        why=Text(en="multiply numerator and denominator by eˣ", zh="分子分母同乘 eˣ"),
    )
    c.eq(
        sigma(-x),
        why=Text(
            en="definition of σ at −x, since e^(−(−x)) = eˣ",
            zh="σ 在 −x 处的定义，因为 e^(−(−x)) = eˣ",
        ),
    )
    d.say(
        en="So the probability the sigmoid gives to the other class is the sigmoid of the negated input.",
        zh="因此，sigmoid 分配给另一类的概率，等于输入取负后的 sigmoid 值。",
    )
    d.conclude("1 - sigma(x) = sigma(-x)", c.theorem)
    return d
