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

from derivations.common import proved
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
        "n = 1: the product is its one factor, which is ≥ 0",
        "n = 1：乘积就是唯一的因子，它 ≥ 0",
    ),
    "step0": (
        "step: P(n+1) = P(n)·(next factor), a product of two non-negative numbers",
        "归纳步：P(n+1) = P(n)·(下一个因子)，两个非负数之积",
    ),
    "nonneg": ("induction on n: every such product is ≥ 0", "对 n 归纳：这样的乘积都 ≥ 0"),
    "base": ("n = 1: the one factor is at most the bound", "n = 1：唯一的因子不超过上界"),
    "step": (
        "step: P(n+1) = P(n)·(next factor) ≤ Aⁿ·A by the monotone-product rule "
        "(0 ≤ P(n) ≤ Aⁿ and 0 ≤ next factor ≤ A), and Aⁿ·A = Aⁿ⁺¹",
        "归纳步：由单调乘积规则（0 ≤ P(n) ≤ Aⁿ，0 ≤ 下一个因子 ≤ A），P(n+1) = P(n)·(下一个因子) "
        "≤ Aⁿ·A = Aⁿ⁺¹",
    ),
    "bound": (
        "induction on n: the bound holds for every number n ≥ 1 of factors",
        "对 n 归纳：上界对任意因子个数 n ≥ 1 成立",
    ),
}


def show(d: Derivation, theorems: list[tuple[str, Theorem]], factor: str, zh_factor: str) -> None:
    for key, theorem in theorems:
        en, zh = WHY[key]
        d.fact(theorem, why=Text(en=f"{en} (factors {factor})", zh=f"{zh}（因子 {zh_factor}）"))


def derive() -> Derivation:
    d = Derivation(
        "vanishing-gradient-bound",
        "Q3.3",
        Text(
            en="Vanishing gradients: ∏ₖ₌ᵢᴰ σ'(u⁽ᵏ⁾) ≤ (1/4)ᴰ⁻ⁱ⁺¹",
            zh="梯度消失：∏ₖ₌ᵢᴰ σ'(u⁽ᵏ⁾) ≤ (1/4)ᴰ⁻ⁱ⁺¹",
        ),
    )
    d.say(
        en="By the chain rule (chain-rule-depth), ∂L/∂w⁽ⁱ⁾ = ∂L/∂y⁽ᴰ⁾ · y⁽ⁱ⁻¹⁾σ'(u⁽ⁱ⁾) · ∏ₖ₌ᵢ₊₁ᴰ "
        "w⁽ᵏ⁾σ'(u⁽ᵏ⁾): the gradient for layer i carries one sigmoid slope for each of the layers i, …, D, "
        "that is D − i + 1 factors σ'(u⁽ᵏ⁾) (written uₖ below). Each lies in (0, 1/4] "
        "(sigmoid-derivative-bound):",
        zh="由链式法则（chain-rule-depth），∂L/∂w⁽ⁱ⁾ = ∂L/∂y⁽ᴰ⁾ · y⁽ⁱ⁻¹⁾σ'(u⁽ⁱ⁾) · ∏ₖ₌ᵢ₊₁ᴰ "
        "w⁽ᵏ⁾σ'(u⁽ᵏ⁾)：第 i 层的梯度对第 i, …, D 层各带一个 sigmoid 斜率，共 D − i + 1 个因子 σ'(u⁽ᵏ⁾)"
        "（下文记作 uₖ）。每个因子都在 (0, 1/4] 内（sigmoid-derivative-bound）：",
    )
    nonneg, upper = bounds()  # about x, a real symbol
    for theorem in (nonneg, upper):
        d.fact(
            theorem,
            why=Text(
                en="certified sign, as in sigmoid-derivative-bound",
                zh="符号证书，同 sigmoid-derivative-bound",
            ),
        )
    d.say(
        en="Let P(n) = ∏ₖ₌ᵢ^(i+n−1) σ'(uₖ) be the product of n consecutive slopes starting at layer i. We "
        "prove P(n) ≤ (1/4)ⁿ for every n ≥ 1 by induction on n. The step multiplies two inequalities, "
        "which is only valid for non-negative numbers, so we first prove 0 ≤ P(n) by its own induction. "
        "A one-factor product is its factor by the definition of ∏ (peel the factor off, and the empty "
        "product that remains is 1; both halves of the definition are kernel rules).",
        zh="令 P(n) = ∏ₖ₌ᵢ^(i+n−1) σ'(uₖ) 为从第 i 层起连续 n 个斜率之积。我们对 n 归纳证明对任意 "
        "n ≥ 1 有 P(n) ≤ (1/4)ⁿ。归纳步要把两个不等式相乘，这只对非负数成立，所以先用另一个归纳证明 "
        "0 ≤ P(n)。由 ∏ 的定义，只有一个因子的乘积就是该因子（剥出这个因子后剩下空积，空积为 1；定义的这两半都是内核规则）。",
    )
    slopes = product_induction(sigma_prime(u[k]), Q, at_layer(nonneg), at_layer(upper))
    show(d, slopes, "σ'(uₖ), A = 1/4", "σ'(uₖ)，A = 1/4")
    by_depth = kernel.instantiate(dict(slopes)["bound"], n, D - i + 1)
    d.say(
        en="The layers i, …, D are n = D − i + 1 consecutive layers, so:",
        zh="第 i, …, D 层是连续的 n = D − i + 1 层，所以：",
    )
    d.fact(
        by_depth,
        why=Text(
            en="the instance n = D − i + 1 (which needs i ≤ D)", zh="取 n = D − i + 1（要求 i ≤ D）"
        ),
    )
    d.conclude("prod_{k=i}^{D} sigma'(u_k) <= (1/4)^(D-i+1)", by_depth)
    d.say(
        en="The exponent counts the factors, D − i + 1, in terms of the depth D and the layer i; an exponent "
        "in any other letter (the student's sheet writes L − i + 1) is a different, unproved statement, and "
        "(1/4)ᴰ⁻ⁱ⁺² is simply false (take every uₖ = 0).",
        zh="指数数的是因子个数 D − i + 1，用深度 D 和层号 i 表示；换成别的字母（学生答卷写成 L − i + 1）"
        "就是另一个未经证明的命题，而 (1/4)ᴰ⁻ⁱ⁺² 是错的（取所有 uₖ = 0 即可）。",
    )
    d.say(
        en="The weights enter too: for layers above i the factor is w⁽ᵏ⁾σ'(u⁽ᵏ⁾). Suppose every weight "
        "satisfies |w⁽ᵏ⁾| < c. Any magnitude in (0, c) can be written |w⁽ᵏ⁾| = c·σ(vₖ) (take "
        "vₖ = log(|w⁽ᵏ⁾|/(c − |w⁽ᵏ⁾|))), so the statement about all bounded weights needs no hypothesis "
        "per layer. Each factor is then between 0 and c/4:",
        zh="权重也在其中：第 i 层以上每层的因子是 w⁽ᵏ⁾σ'(u⁽ᵏ⁾)。设所有权重满足 |w⁽ᵏ⁾| < c。(0, c) "
        "内的任何大小都可写成 |w⁽ᵏ⁾| = c·σ(vₖ)（取 vₖ = log(|w⁽ᵏ⁾|/(c − |w⁽ᵏ⁾|))），于是关于所有有界权重"
        "的命题不需要逐层的假设。这样每个因子都在 0 与 c/4 之间：",
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
            en="monotone product of 0 ≤ c·σ(x) ≤ c and 0 ≤ σ'(y) ≤ 1/4",
            zh="由 0 ≤ c·σ(x) ≤ c 与 0 ≤ σ'(y) ≤ 1/4 的单调乘积",
        ),
    )
    weighted = product_induction(
        c * sigma(v[k]) * sigma_prime(u[k]),
        c / 4,
        at_layer(factor_nonneg, ys),
        at_layer(factor_le, ys),
    )
    show(d, weighted, "c·σ(vₖ)·σ'(uₖ), A = c/4", "c·σ(vₖ)·σ'(uₖ)，A = c/4")
    above = kernel.instantiate(kernel.instantiate(dict(weighted)["bound"], i, i + 1), n, D - i)
    d.fact(
        above,
        why=Text(
            en="the layers i + 1, …, D: start at i + 1 and take n = D − i",
            zh="第 i + 1, …, D 层：从 i + 1 开始，取 n = D − i",
        ),
    )
    d.conclude("prod_{k=i+1}^{D} |w_k| sigma'(u_k) <= (c/4)^(D-i)", above)
    d.say(
        en="Consequence for the gradient. From the two theorems, with |y⁽ⁱ⁻¹⁾| ≤ 1 (a sigmoid output, or a "
        "bounded input) and σ'(u⁽ⁱ⁾) ≤ 1/4, |∂L/∂w⁽ⁱ⁾| ≤ |∂L/∂y⁽ᴰ⁾| · (1/4) · (c/4)ᴰ⁻ⁱ. When c < 4 the factor (c/4)ᴰ⁻ⁱ "
        "decays exponentially in the distance D − i from the output: with c = 1 every layer costs at least a "
        "factor 4, so ten layers down the gradient is below 4⁻¹⁰ ≈ 10⁻⁶ of the output's. The layers "
        "nearest the input learn slowest; this is the vanishing-gradient problem. Only weights larger than 4 "
        "(which push units into saturation, where σ' is far below 1/4) could offset it.",
        zh="对梯度的推论。由上面两个定理及 |y⁽ⁱ⁻¹⁾| ≤ 1（sigmoid 输出或有界输入）及 σ'(u⁽ⁱ⁾) ≤ 1/4，得 |∂L/∂w⁽ⁱ⁾| ≤ "
        "|∂L/∂y⁽ᴰ⁾| · (1/4) · (c/4)ᴰ⁻ⁱ。当 c < 4 时，因子 (c/4)ᴰ⁻ⁱ 随与输出层的距离 D − i 指数衰减："
        "c = 1 时每层至少缩小 4 倍，往下十层梯度不到输出层的 4⁻¹⁰ ≈ 10⁻⁶。越靠近输入的层学得越慢，"
        "这就是梯度消失问题。只有大于 4 的权重才可能抵消它，但大权重会让单元饱和，使 σ' 远小于 1/4。",
    )
    d.figure(
        "vanishing-gradient",
        en="The bound (1/4)ⁿ against the number n of sigmoid layers (log scale), beside the measured "
        "gradient norm of a random deep sigmoid chain.",
        zh="上界 (1/4)ⁿ 随 sigmoid 层数 n 的变化（对数坐标），旁边是随机深层 sigmoid 链实测的梯度范数。",
    )
    return d
