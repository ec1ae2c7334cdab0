"""Q3.1 — 1 − σ(x) = σ(−x)."""

from __future__ import annotations

import sympy as sp

from derivations.common import E, shown, sum_as_written, x
from proofsheet.kernel import Prop
from proofsheet.kernel.notation import sigma
from proofsheet.sheet.derivation import Derivation, Text


def derive() -> Derivation:
    d = Derivation(
        "sigmoid-complement", "Q3.1", Text(en="Prove 1 − σ(x) = σ(−x)", zh="证明 1 − σ(x) = σ(−x)")
    )
    with d.answer():
        d.say(
            en="Unfold the definition {definition} on the left, bring everything over one "
            "denominator, and recognise σ at {minus_x} on the right.",
            zh="在左边展开定义 {definition}，通分，再在右边认出 σ 在 {minus_x} 处的值。",
            definition=sp.Eq(sigma(x), 1 / (1 + E), evaluate=False),
            minus_x=-x,
        )
        c = d.chain(1 - sigma(x))
        c.eq(1 - 1 / (1 + E), why=Text(en="definition of σ", zh="σ 的定义"))
        c.eq(sum_as_written(1, E, -1) / (1 + E), why=Text(en="common denominator", zh="通分"))
        c.eq(E / (1 + E), why=Text(en="1 − 1 = 0 in the numerator", zh="分子中 1 − 1 = 0"))
        c.eq(
            1 / (sp.exp(x) + 1),
            why=Text(
                en="multiply numerator and denominator by {e}",
                zh="分子分母同乘 {e}",
                math={"e": sp.exp(x)},
            ),
        )
        c.eq(
            sigma(-x),
            why=Text(
                en="definition of σ at {minus_x}, since {twice}",
                zh="σ 在 {minus_x} 处的定义，因为 {twice}",
                math={
                    "minus_x": -x,
                    "twice": sp.Eq(sp.exp(-shown(-x)), sp.exp(x), evaluate=False),
                },
            ),
        )
    d.say(
        en="So the probability the sigmoid gives to the other class is the sigmoid of the negated "
        "input.",
        zh="因此，sigmoid 分配给另一类的概率，等于输入取负后的 sigmoid 值。",
    )
    d.conclude("1 - sigma(x) = sigma(-x)", c.theorem)
    d.mistake(
        where=Text(en="The sample answer's second line", zh="样例答卷第二行"),
        why=Text(
            en="Unfolding σ at {minus_x} puts {minus_x} in the exponent too, which gives {right}.",
            zh="在 {minus_x} 处展开 σ 时，指数中的 x 也要换成 {minus_x}，应得 {right}。",
            math={"minus_x": -x, "right": 1 / (1 + sp.exp(x))},
        ),
        wrong=Prop(sigma(-x), "=", 1 / (1 + E)),
    )
    return d
