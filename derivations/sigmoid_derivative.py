"""Q3.2 — σ'(x) = σ(x)(1 − σ(x))."""

from __future__ import annotations

import sympy as sp

from derivations.common import E, product_as_written, shown, x
from proofsheet.kernel import Prop
from proofsheet.kernel.notation import sigma, sigma_prime
from proofsheet.sheet.derivation import Derivation, Text


def derive() -> Derivation:
    d = Derivation(
        "sigmoid-derivative",
        "Q3.2",
        Text(en="Prove σ'(x) = σ(x)(1 − σ(x))", zh="证明 σ'(x) = σ(x)(1 − σ(x))"),
    )
    d.say(
        en="Write σ(x) = (1 + e^(−x))^(−1) and differentiate with the chain rule.",
        zh="把 σ(x) 写成 (1 + e^(−x))^(−1)，用链式法则求导。",
    )
    c = d.chain(sp.Derivative(sigma(x), x))
    c.eq(
        sp.Derivative(sp.Pow(1 + E, -1, evaluate=False), x),
        why=Text(en="definition of σ", zh="σ 的定义"),
    )
    c.eq(
        product_as_written(-sp.Pow(1 + E, -2, evaluate=False), -E),
        why=Text(
            en="chain rule: d/dx u⁻¹ = −u⁻² · du/dx with du/dx = −e^(−x)",
            zh="链式法则：d/dx u⁻¹ = −u⁻² · du/dx，其中 du/dx = −e^(−x)",
        ),
    )
    c.eq(E / (1 + E) ** 2, why=Text(en="the two minus signs cancel", zh="两个负号相消"))
    c.eq(
        product_as_written(1 / (1 + E), E / (1 + E)),
        why=Text(en="split the square in the denominator", zh="把分母的平方拆开"),
    )
    c.eq(
        product_as_written(1 / (1 + E), 1 - 1 / (1 + E)),
        why=Text(
            en="e^(−x)/(1 + e^(−x)) = 1 − 1/(1 + e^(−x)), as in Q3.1",
            zh="e^(−x)/(1 + e^(−x)) = 1 − 1/(1 + e^(−x))，同 Q3.1",
        ),
    )
    c.eq(
        sp.Mul(sigma(x), shown(1 - sigma(x)), evaluate=False),
        why=Text(en="definition of σ, twice", zh="两次使用 σ 的定义"),
    )
    d.conclude("d/dx sigma(x) = sigma(x)(1 - sigma(x))", c.theorem)
    same = d.claim(
        Prop(sigma_prime(x), "=", sigma(x) * (1 - sigma(x))),
        why=Text(
            en="σ' is by definition this derivative, so the identity holds for σ' itself.",
            zh="σ' 按定义就是这个导数，所以恒等式对 σ' 本身成立。",
        ),
    )
    d.conclude("sigma'(x) = sigma(x)(1 - sigma(x))", same.theorem)
    d.figure(
        "sigmoid-and-derivative",
        en="σ(x) rises from 0 to 1 and is steepest at x = 0, where σ'(0) = σ(0)(1 − σ(0)) = 1/4; "
        "σ'(x) = σ(x)(1 − σ(x)) is positive everywhere and vanishes as |x| grows.",
        zh="σ(x) 从 0 增至 1，在 x = 0 处最陡，此时 σ'(0) = σ(0)(1 − σ(0)) = 1/4；"
        "σ'(x) = σ(x)(1 − σ(x)) 处处为正，且随 |x| 增大而趋于 0。",
    )
    return d
