"""Q3.3 — ∏_{k=i}^{D} σ'(u⁽ᵏ⁾) ≤ (1/4)^(D−i+1), by induction on the number of factors.

The claim is proved for n consecutive factors starting at any layer i,
P(n) = ∏_{k=i}^{i+n−1} f(k), by two kernel inductions on n: first 0 ≤ P(n)
(the monotone-product rule needs it), then P(n) ≤ A^n.  The depth form is
the instance n := D − i + 1.  With the weights bounded the same inductions
give (c/4)^n for the factors |w⁽ᵏ⁾|σ'(u⁽ᵏ⁾), each weight magnitude below c
written as c·σ(v⁽ᵏ⁾) so that "every weight is bounded" needs no hypothesis
quantified over k (which the kernel's assumptions cannot express).
"""

from __future__ import annotations

from collections.abc import Callable

import sympy as sp

from derivations.common import product_as_written, proved, sum_as_written
from derivations.common import x as xs
from derivations.deep_chain import D, Q, i, k, n, single_factor, u
from derivations.sigmoid_derivative_bound import bounds
from proofsheet import kernel
from proofsheet.kernel import Prop, Theorem
from proofsheet.kernel.certificates import RationalIdentity
from proofsheet.kernel.notation import sigma, sigma_prime
from proofsheet.sheet.derivation import Derivation, Text

c = sp.Symbol("c", positive=True)  #: the bound on the weights
v = sp.IndexedBase("v", real=True)  #: |w⁽ᵏ⁾| = c·σ(v⁽ᵏ⁾)
ys = sp.Symbol("y", real=True)
At = Callable[[sp.Expr], Theorem]  #: a lemma about the factor at a given layer


def at_layer(lemma: Theorem, slope_variable: sp.Symbol = xs) -> At:
    """The lemma about one factor at layer e: σ'(x) ↦ σ'(u_e), and σ(x) ↦ σ(v_e) if present."""

    def instance(e: sp.Expr) -> Theorem:
        theorem = kernel.instantiate(lemma, slope_variable, u[e])
        return kernel.instantiate(theorem, xs, v[e]) if slope_variable != xs else theorem

    return instance


def product(body: sp.Expr, m: sp.Expr) -> sp.Product:
    """P(m) = ∏_{k=i}^{i+m−1} body: m consecutive factors from layer i."""
    return sp.Product(body, (k, i, i + m - 1))


def product_induction(
    body: sp.Expr, bound: sp.Expr, nonneg_at: At, le_at: At
) -> list[tuple[str, Theorem]]:
    """0 ≤ P(n) and P(n) ≤ bound^n for n ≥ 1, with base cases and steps, in the order shown."""
    one = single_factor(product(body, 1))  # P(1) = f(i)
    peel = kernel.product_peel(product(body, n + 1))  # P(n+1) = P(n)·f(i+n)
    nonneg_claim = Prop(0, "<=", product(body, n))
    base0 = kernel.chain(nonneg_at(i), kernel.symmetry(one))
    step0 = kernel.chain(
        kernel.scale(nonneg_at(i + n), kernel.assume(nonneg_claim)), kernel.symmetry(peel)
    )
    nonneg = kernel.induction(nonneg_claim, n, 1, base0, step0)
    claim = Prop(product(body, n), "<=", bound**n)
    base = kernel.chain(one, le_at(i))
    multiplied = kernel.monotone_product(
        nonneg, kernel.assume(claim), nonneg_at(i + n), le_at(i + n)
    )
    powers = kernel.rational_identity(
        Prop(bound**n * bound, "=", bound ** (n + 1)), RationalIdentity()
    )
    step = kernel.chain(kernel.chain(peel, multiplied), powers)
    return [
        ("base0", base0),
        ("step0", step0),
        ("nonneg", nonneg),
        ("base", base),
        ("step", step),
        ("bound", kernel.induction(claim, n, 1, base, step)),
    ]


WHY = {
    "base0": (
        "n = 1: the product is its one factor, which is non-negative",
        "n = 1：乘积就是唯一的因子，它非负",
    ),
    "step0": (
        "step: {peel}, a product of two non-negative numbers",
        "归纳步：{peel}，两个非负数之积",
    ),
    "nonneg": ("induction on n: every such product is non-negative", "对 n 归纳：这样的乘积都非负"),
    "base": ("n = 1: the one factor is at most {A}", "n = 1：唯一的因子不超过 {A}"),
    "step": (
        "step: {peel} is at most {times} by the monotone-product rule (both factors are "
        "non-negative), and {power}",
        "归纳步：由单调乘积规则（两个因子都非负），{peel} 不超过 {times}，且 {power}",
    ),
    "bound": (
        "induction on n: the bound holds for every number {n} of factors",
        "对 n 归纳：上界对任意因子个数 {n} 成立",
    ),
}


def show(d: Derivation, theorems: list[tuple[str, Theorem]], body: sp.Expr, bound: sp.Expr) -> None:
    """Each theorem of :func:`product_induction`, with its note, for factors ``body`` ≤ ``bound``."""
    P = sp.Function("P")
    math = {
        "peel": sp.Eq(P(n + 1), product_as_written(P(n), body.subs(k, i + n)), evaluate=False),
        "A": bound,
        "times": product_as_written(bound**n, bound),
        "power": sp.Eq(product_as_written(bound**n, bound), bound ** (n + 1), evaluate=False),
        "n": sp.Ge(n, 1),
        "factor": body,
    }
    for key, theorem in theorems:
        en, zh = WHY[key]
        d.fact(
            theorem,
            why=Text(en=f"{en} (factors {{factor}})", zh=f"{zh}（因子 {{factor}}）", math=math),
        )


def as_written(body: sp.Expr, count: sp.Expr) -> sp.Product:
    """P(count) with its upper limit i + count − 1 in a person's order."""
    return sp.Product(body, (k, i, sum_as_written(i, count, -1)))


SLOPE = sigma_prime(u[k])  #: the factor of layer k: σ'(u_k)
L = sp.Symbol("L", integer=True)  #: the letter the sample answer's exponent uses (its loss)
#: single letters the prose names, printed as math
LETTERS = {"i": i, "D": D, "L": L, "c": c}


def slopes_answer(d: Derivation, by_depth: Theorem) -> Theorem | None:
    """The hand-out's display: ∏_{k=i}^{D} σ'(u_k) ≤ (1/4)^(D − i + 1), as one brief chain."""
    count = sum_as_written(D, -i, 1)
    with d.answer(brief=True):
        d.say(
            en="The {count} slopes of the layers {i}, …, {D} each lie in {interval}, so their "
            "product is at most 1/4 to the power of the number of factors (by induction on that "
            "number):",
            zh="第 {i} 至 {D} 层的 {count} 个斜率都在 {interval} 内，所以它们的乘积不超过 1/4 的"
            "（因子个数）次幂（对因子个数归纳）：",
            **LETTERS,
            count=count,
            interval=sp.Interval.Lopen(0, Q),
        )
        c = d.chain(by_depth.prop.lhs, assumptions=(Prop(i, "<=", D),))
        c.le(
            by_depth.prop.rhs,
            by=by_depth,
            why=Text(
                en="the bound for {n} factors, at {count}; it needs {order}",
                zh="对 {n} 个因子的上界，取 {count}；要求 {order}",
                math={
                    "n": sp.Ge(n, 1),
                    "count": sp.Eq(n, count, evaluate=False),
                    "order": sp.Le(i, D),
                },
            ),
        )
        c.eq(Q**count, why=Text(en="the exponent written as D − i + 1", zh="指数写成 D − i + 1"))
    return c.theorem


def weighted_bound(d: Derivation, nonneg: Theorem, upper: Theorem) -> Theorem:
    """∏_{k=i+1}^{D} c·σ(v_k)·σ'(u_k) ≤ (c/4)^(D − i): the factors with weights below c."""
    d.say(
        en="The weights enter too: for the layers above i the factor is {factor}. Suppose every "
        "weight satisfies {bounded}. Any magnitude in {range} can be written {scaled} (take "
        "{v}), so the statement about all bounded weights needs no hypothesis per layer. Each "
        "factor is then between 0 and {quarter}:",
        zh="权重也在其中：第 i 层以上每层的因子是 {factor}。设所有权重满足 {bounded}。{range} "
        "内的任何大小都可写成 {scaled}（取 {v}），于是关于所有有界权重的命题不需要逐层的假设。"
        "这样每个因子都在 0 与 {quarter} 之间：",
        factor=product_as_written(sp.Symbol("w^{(k)}", real=True), sigma_prime(u[k])),
        bounded=sp.Lt(sp.Abs(sp.Symbol("w^{(k)}", real=True)), c),
        range=sp.Interval.open(0, c),
        scaled=sp.Eq(sp.Abs(sp.Symbol("w^{(k)}", real=True)), c * sigma(v[k]), evaluate=False),
        v=sp.Eq(
            v[k],
            sp.log(
                sp.Abs(sp.Symbol("w^{(k)}", real=True))
                / (c - sp.Abs(sp.Symbol("w^{(k)}", real=True)))
            ),
            evaluate=False,
        ),
        quarter=c / 4,
    )
    scaled_nonneg, scaled_le = (
        proved(Prop(0, "<=", c * sigma(xs))),
        proved(Prop(c * sigma(xs), "<=", c)),
    )
    factor_nonneg = proved(Prop(0, "<=", c * sigma(xs) * sigma_prime(ys)))
    factor_le = kernel.monotone_product(
        scaled_nonneg,
        scaled_le,
        kernel.instantiate(nonneg, xs, ys),
        kernel.instantiate(upper, xs, ys),
    )
    d.fact(factor_nonneg, why=Text(en="a product of positive numbers", zh="正数之积"))
    d.fact(
        factor_le,
        why=Text(
            en="monotone product of {first} and {second}",
            zh="由 {first} 与 {second} 的单调乘积",
            math={"first": sp.Le(c * sigma(xs), c), "second": sp.Le(sigma_prime(ys), Q)},
        ),
    )
    body = c * sigma(v[k]) * sigma_prime(u[k])
    weighted = product_induction(body, c / 4, at_layer(factor_nonneg, ys), at_layer(factor_le, ys))
    show(d, weighted, body, c / 4)
    above = kernel.instantiate(kernel.instantiate(dict(weighted)["bound"], i, i + 1), n, D - i)
    d.fact(
        above,
        why=Text(
            en="the layers {start}, …, {D}: start at {start} and take {count}",
            zh="第 {start} 至 {D} 层：从 {start} 开始，取 {count}",
            math={
                "start": sum_as_written(i, 1),
                "D": D,
                "count": sp.Eq(n, D - i, evaluate=False),
            },
        ),
    )
    return above


def student_exponent(d: Derivation) -> None:
    """The sample answer's exponent L − i + 1, refuted for whole numbers 1 ≤ i ≤ D."""
    d.mistake(
        where=Text(en="The sample answer's last bound", zh="样例答卷最后的不等式"),
        why=Text(
            en="In the sample answer {L} is the loss, not a number of layers; the product has one "
            "factor for each of the layers {i}, …, {D}, so the exponent is {right}. Read with any "
            "whole number {L} other than {D}, the line is false, already for whole numbers "
            "{first} and {order}, with every {uk} equal to one value {u}.",
            zh="样例答卷中 {L} 表示损失，不是层数；乘积中第 {i} 至 {D} 层各有一个因子，所以指数应为 "
            "{right}。若把 {L} 当作不等于 {D} 的任一整数，这一行就是错的：取整数 {first} 且 {order}，"
            "所有 {uk} 取同一个值 {u}，即可举出反例。",
            math={
                **LETTERS,
                "u": sp.Symbol("u"),
                "right": sum_as_written(D, -i, 1),
                "first": sp.Le(1, i),
                "order": sp.Le(i, D),
                "uk": u[k],
            },
        ),
        wrong=Prop(sp.Product(SLOPE, (k, i, D)), "<=", Q ** sum_as_written(L, -i, 1)),
        assumptions=(Prop(1, "<=", i), Prop(i, "<=", D)),
    )


def derive() -> Derivation:
    d = Derivation(
        "vanishing-gradient-bound",
        "Q3.3",
        Text(
            en="Vanishing gradients: {bound}",
            zh="梯度消失：{bound}",
            math={"bound": sp.Le(sp.Product(SLOPE, (k, i, D)), Q ** sum_as_written(D, -i, 1))},
        ),
    )
    nonneg, upper = bounds()  # about x, a real symbol
    d.abbreviate(
        sp.Symbol("u^{(k)}", real=True),
        u[k],
        why=Text(en="the pre-activation of layer k", zh="第 k 层的预激活"),
    )
    d.say(
        en="Each slope {slope} lies in {interval}, as proved above:",
        zh="每个斜率 {slope} 都在 {interval} 内，前面已证：",
        slope=sigma_prime(xs),
        interval=sp.Interval.Lopen(0, Q),
    )
    for theorem in (nonneg, upper):
        d.fact(theorem, why=Text(en="certified sign, as above", zh="符号证书，同上"))
    d.say(
        en="Let {P} be the product of n consecutive slopes starting at layer i. We prove {claim} "
        "for every {n} by induction on n. The step multiplies two inequalities, which is only "
        "valid for non-negative numbers, so we first prove {nonneg} by its own induction. A "
        "one-factor product is its factor by the definition of the product (peel the factor "
        "off, and the empty product that remains is 1; both halves of the definition are kernel "
        "rules).",
        zh="令 {P} 为从第 i 层起连续 n 个斜率之积。我们对 n 归纳证明对任意 {n} 有 {claim}。归纳步要把"
        "两个不等式相乘，这只对非负数成立，所以先用另一个归纳证明 {nonneg}。由乘积的定义，只有一个因子"
        "的乘积就是该因子（剥出这个因子后剩下空积，空积为 1；定义的这两半都是内核规则）。",
        P=sp.Eq(sp.Function("P")(n), as_written(SLOPE, n), evaluate=False),
        claim=sp.Le(sp.Function("P")(n), Q**n),
        n=sp.Ge(n, 1),
        nonneg=sp.Le(0, sp.Function("P")(n)),
    )
    slopes = product_induction(SLOPE, Q, at_layer(nonneg), at_layer(upper))
    show(d, slopes, SLOPE, Q)
    by_depth = kernel.discharge(
        kernel.instantiate(dict(slopes)["bound"], n, D - i + 1),
        proved(Prop(1, "<=", D - i + 1), Prop(i, "<=", D)),
    )
    d.conclude("prod_{k=i}^{D} sigma'(u_k) <= (1/4)^(D-i+1)", by_depth)
    d.conclude("the same, with the exponent as written", slopes_answer(d, by_depth))
    student_exponent(d)
    above = weighted_bound(d, nonneg, upper)
    d.conclude("prod_{k=i+1}^{D} |w_k| sigma'(u_k) <= (c/4)^(D-i)", above)
    conclusion(d)
    return d


def conclusion(d: Derivation) -> None:
    """The figure of the bound, and what the bound means for the gradient."""
    grad = sp.Derivative(sp.Symbol("L"), sp.Symbol("w^{(i)}", real=True))
    with d.answer():
        d.figure(
            "vanishing-gradient",
            en="The bound {bound} for the first layer of a chain of {n} sigmoid layers (log scale), "
            "beside {measured} measured on 20 random chains (weights, biases and input drawn "
            "uniformly between {low} and 1).",
            zh="{n} 个 sigmoid 层的链中第一层的上界 {bound}（对数坐标），旁边是在 20 条随机链上实测的 "
            "{measured}（权重、偏置与输入在 {low} 与 1 之间均匀抽取）。",
            bound=Q**n,
            n=n,
            measured=sp.Abs(
                sp.Derivative(sp.Symbol("y^{(n)}", real=True), sp.Symbol("w^{(1)}", real=True))
            ),
            low=sp.Integer(-1),
        )
        d.say(
            en="So the sigmoid slopes in {grad} contribute a factor of at most {bound}: each layer "
            "between layer {i} and the output divides it by at least 4, so it decays "
            "exponentially with the depth. Ten layers below the output it is at most {ten}, less "
            "than one millionth, and the layers nearest the input learn slowest: the vanishing "
            "gradient. With every weight below {c} in magnitude, the factors {factor} of the "
            "layers above {i} multiply to at most {weights}, which still vanishes exponentially "
            "when {small}.",
            zh="所以 {grad} 中的 sigmoid 斜率贡献的因子至多为 {bound}：输出与第 {i} 层之间每多一层，"
            "它至少缩小为四分之一，因此随深度指数级衰减。往下十层时它不超过 {ten}，不到百万分之一；"
            "越靠近输入的层学得越慢，这就是梯度消失。若权重的绝对值都小于 {c}，第 {i} 层以上各层的因子 "
            "{factor} 之积至多为 {weights}，当 {small} 时仍指数级衰减。",
            factor=product_as_written(sp.Abs(sp.Symbol("w^{(k)}", real=True)), sigma_prime(u[k])),
            **LETTERS,
            grad=grad,
            bound=Q ** sum_as_written(D, -i, 1),
            ten=sp.Pow(Q, 10, evaluate=False),
            weights=(c / 4) ** (D - i),
            small=sp.Lt(c, 4),
        )
    d.say(
        en="Only weights larger than 4 could offset the decay, and they push the units into "
        "saturation, where the slope is far below 1/4.",
        zh="只有大于 4 的权重才可能抵消这种衰减，但大权重会让单元饱和，此时斜率远小于 1/4。",
    )
