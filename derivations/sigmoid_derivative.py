"""Q3.2 — σ'(x) = σ(x)(1 − σ(x)), and the plot of σ and σ'."""

from __future__ import annotations

import sympy as sp

from derivations.common import E, product_as_written, shown, x
from proofsheet.kernel import Prop
from proofsheet.kernel.notation import sigma, sigma_prime
from proofsheet.sheet.derivation import Derivation, Text

#: σ(x)(1 − σ(x)), kept in the order a person writes it
PRODUCT = sp.Mul(sigma(x), shown(1 - sigma(x)), evaluate=False)


def derive() -> Derivation:
    d = Derivation(
        "sigmoid-derivative",
        "Q3.2",
        Text(
            en="Prove {identity}",
            zh="证明 {identity}",
            math={"identity": sp.Eq(sigma_prime(x), PRODUCT, evaluate=False)},
        ),
    )
    with d.answer():
        d.say(
            en="Write σ as {definition} and differentiate with the chain rule:",
            zh="把 σ 写成 {definition}，用链式法则求导：",
            definition=sp.Eq(sigma(x), 1 / (1 + E), evaluate=False),
        )
        c = d.chain(sp.Derivative(sigma(x), x))
        c.eq(
            sp.Derivative(sp.Pow(1 + E, -1, evaluate=False), x),
            why=Text(en="definition of σ", zh="σ 的定义"),
        )
        c.eq(
            product_as_written(-sp.Pow(1 + E, -2, evaluate=False), -E),
            why=Text(
                en="chain rule: the derivative of {reciprocal} is {outer}, times {inner}",
                zh="链式法则：{reciprocal} 的导数是 {outer}，再乘以 {inner}",
                math={
                    "reciprocal": 1 / sp.Symbol("v"),
                    "outer": -1 / sp.Symbol("v") ** 2,
                    "inner": sp.Eq(sp.Derivative(1 + E, x), -E, evaluate=False),
                },
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
                en="{identity}, as in Q3.1",
                zh="{identity}，同 Q3.1",
                math={"identity": sp.Eq(E / (1 + E), 1 - 1 / (1 + E), evaluate=False)},
            ),
        )
        c.eq(PRODUCT, why=Text(en="definition of σ, twice", zh="两次使用 σ 的定义"))
        same = d.claim(
            Prop(sigma_prime(x), "=", PRODUCT),
            why=Text(
                en="σ' is by definition this derivative, so the identity holds for σ' itself",
                zh="σ' 按定义就是这个导数，所以恒等式对 σ' 本身成立",
            ),
        )
        d.figure(
            "sigmoid-and-derivative",
            en="σ rises from 0 to 1 and is steepest at {origin}, where {peak}; its slope {slope} "
            "is positive everywhere and tends to 0 as {far} grows.",
            zh="σ 从 0 增至 1，在 {origin} 处最陡，此时 {peak}；它的斜率 {slope} 处处为正，"
            "并随 {far} 增大而趋于 0。",
            origin=sp.Eq(x, 0, evaluate=False),
            peak=sp.Eq(sigma_prime(0), sp.Rational(1, 4), evaluate=False),
            slope=sp.Eq(sigma_prime(x), PRODUCT, evaluate=False),
            far=sp.Abs(x),
        )
    d.conclude("d/dx sigma(x) = sigma(x)(1 - sigma(x))", c.theorem)
    d.conclude("sigma'(x) = sigma(x)(1 - sigma(x))", same.theorem)
    d.mistake(
        where=Text(en="The sample answer's plots", zh="样例答卷的画图部分"),
        why=Text(
            en="The question asks to draw σ and σ'; the sample answer has the headings for the "
            "two plots and nothing under them. The figure above draws both.",
            zh="题目要求画出 σ 与 σ' 的图像；样例答卷只写了两幅图的标题，下面没有图。上图画出了两者。",
        ),
    )
    return d
