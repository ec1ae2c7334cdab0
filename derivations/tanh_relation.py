"""Q3 (beyond the assignment) — tanh x = 2σ(2x) − 1, and tanh' = 1 − tanh² ≤ 1 with tanh'(0) = 1.

The kernel unfolds tanh u = (e^u − e^(−u))/(e^u + e^(−u)) like σ, so the
relation is a rational identity in t = e^(−x); the derivative is SymPy's,
the bound a certified sign (a square), and the value at 0 an instance of the
derivative identity.  The prose explains why this makes tanh networks lose
gradient more slowly than sigmoid ones.
"""

from __future__ import annotations

import sympy as sp

from derivations.common import product_as_written, shown, sum_as_written, x
from proofsheet import kernel
from proofsheet.kernel import Prop
from proofsheet.kernel.notation import sigma, sigma_prime
from proofsheet.sheet.derivation import Derivation, Text

_D, _i = sp.symbols("D i", integer=True)  #: the depth and the layer, for the prose

E2 = sp.exp(-2 * x)


def derive() -> Derivation:
    d = Derivation(
        "tanh-relation",
        "Q3",
        Text(
            en="tanh is a rescaled sigmoid, with a slope up to 1 instead of 1/4",
            zh="tanh 是伸缩后的 sigmoid，斜率最大为 1 而不是 1/4",
        ),
    )
    d.say(
        en="The hyperbolic tangent {tanh} is the other classic squashing function. "
        "It is the sigmoid stretched to the range (−1, 1) and compressed horizontally by a factor 2:",
        zh="双曲正切 {tanh} 是另一个经典的挤压函数。它就是把 sigmoid 拉伸到区间 "
        "(−1, 1)、并在水平方向压缩一半：",
        tanh=sp.Eq(sp.tanh(x), (sp.exp(x) - sp.exp(-x)) / (sp.exp(x) + sp.exp(-x)), evaluate=False),
    )
    rel = d.chain(sp.tanh(x))
    rel.eq(
        (sp.exp(x) - sp.exp(-x)) / (sp.exp(x) + sp.exp(-x)),
        why=Text(en="definition of tanh", zh="tanh 的定义"),
    )
    rel.eq(
        (1 - E2) / (1 + E2),
        why=Text(
            en="multiply numerator and denominator by {e}",
            zh="分子分母同乘 {e}",
            math={"e": sp.exp(-x)},
        ),
    )
    rel.eq(
        sum_as_written(2 / (1 + E2), -1),
        why=Text(
            en="{split}",
            zh="{split}",
            math={"split": sp.Eq(1 - E2, sum_as_written(2, -shown(1 + E2)), evaluate=False)},
        ),
    )
    rel.eq(
        sum_as_written(2 * sigma(2 * x), -1),
        why=Text(en="definition of σ at 2x", zh="σ 在 2x 处的定义"),
    )
    d.conclude("tanh(x) = 2 sigma(2x) - 1", rel.theorem)
    d.say(
        en="Differentiating, the chain rule brings out the inner factor 2 twice over:",
        zh="求导时，链式法则带出内层的因子 2，再乘以外面的 2：",
    )
    slope = d.chain(sp.Derivative(sp.tanh(x), x))
    slope.eq(
        sum_as_written(1, -shown(sp.tanh(x) ** 2)),
        why=Text(en="SymPy's derivative of tanh", zh="SymPy 对 tanh 求导"),
    )
    slope.eq(
        product_as_written(4, sigma(2 * x), 1 - sigma(2 * x)),
        why=Text(
            en="tanh = 2σ(2x) − 1, so 1 − tanh² = (1 − tanh)(1 + tanh) = 2(1 − σ(2x))·2σ(2x)",
            zh="tanh = 2σ(2x) − 1，所以 1 − tanh² = (1 − tanh)(1 + tanh) = 2(1 − σ(2x))·2σ(2x)",
        ),
    )
    slope.eq(
        4 * sigma_prime(2 * x), why=Text(en="σ' = σ(1 − σ) (Q3.2)", zh="σ' = σ(1 − σ)（Q3.2）")
    )
    d.conclude("tanh'(x) = 1 - tanh(x)^2 = 4 sigma'(2x)", slope.theorem)
    d.say(
        en="Since σ' ≤ 1/4, this is at most 1; directly, a square is never negative:",
        zh="由于 σ' ≤ 1/4，它至多为 1；直接地，平方永远非负：",
    )
    one_minus_square = slope.steps[0].prop.rhs  # 1 − tanh² x, as displayed
    square = d.claim(Prop(one_minus_square, "<=", 1), why=Text(en="tanh² x ≥ 0", zh="tanh² x ≥ 0"))
    bound = square.theorem and kernel.chain(slope.steps[0].verdict.theorem, square.theorem)
    if bound is not None:
        d.fact(
            bound,
            why=Text(en="so tanh'(x) = 1 − tanh² x ≤ 1", zh="所以 tanh'(x) = 1 − tanh² x ≤ 1"),
        )
    d.conclude("tanh'(x) <= 1", bound)
    at_zero = d.claim(
        Prop(4 * sigma_prime(0), "=", 1),
        why=Text(
            en="at x = 0 the slope 4σ'(2x) is 4σ'(0) = 4 · 1/4 = 1, the maximum (tanh 0 = 0)",
            zh="在 x = 0 处斜率 4σ'(2x) 为 4σ'(0) = 4 · 1/4 = 1，即最大值（tanh 0 = 0）",
        ),
    )
    d.conclude("tanh'(0) = 4 sigma'(0) = 1", at_zero.theorem)
    d.say(
        en="Why tanh vanishes more slowly. In a deep chain each layer multiplies the gradient by "
        "its weight times the slope of its activation (the chain rule through D layers, Q3.3). "
        "For the sigmoid that slope is at most 1/4, so the product of {factors} slopes is at most "
        "{bound} (Q3.3); for tanh it is at most 1, so the slopes alone impose no exponential "
        "decay at all — near 0, where tanh'(x) ≈ 1, a gradient can pass through many layers with "
        "weights of size about 1. Tanh is also centred at 0, so the next layer's inputs are not "
        "all positive. It does not cure vanishing gradients: tanh saturates too ({saturates} for "
        "large |x|), and the weights still multiply in, which is why careful initialisation, "
        "ReLU-type activations and residual connections are used in practice.",
        zh="为什么 tanh 的梯度消失得更慢。在深层链中，每一层把梯度乘以该层权重与激活函数斜率之积"
        "（D 层的链式法则，Q3.3）。sigmoid 的斜率至多 1/4，所以 {factors} 个斜率之积至多 {bound}"
        "（Q3.3）；tanh 的斜率至多为 1，仅斜率本身不会带来指数衰减——在 0 附近 "
        "tanh'(x) ≈ 1，权重约为 1 时梯度可以穿过很多层。tanh 还以 0 为中心，下一层的输入不会全为正。但它并"
        "不能根治梯度消失：tanh 也会饱和（|x| 很大时 {saturates}），而且权重仍然相乘，"
        "所以实践中还要靠精心的初始化、ReLU 类激活函数和残差连接。",
        factors=_D - _i + 1,
        bound=sp.Pow(sp.Rational(1, 4), _D - _i + 1, evaluate=False),
        saturates=sp.Eq(
            sp.Derivative(sp.tanh(x), x),
            4 * sigma_prime(2 * x),
            evaluate=False,
        ),
    )
    return d
