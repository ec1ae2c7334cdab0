"""Q1.2 / Q3 — the gradient of the binary cross-entropy through a sigmoid: ∂L/∂z = σ(z) − y.

With ŷ = σ(z) and L = −(y log ŷ + (1 − y) log(1 − ŷ)), the chain rule
∂L/∂z = ∂L/∂ŷ · ∂ŷ/∂z is carried out step by step; every link is checked
by the kernel (rules ``derivative`` and ``rational-identity``).
"""

from __future__ import annotations

import sympy as sp

from derivations.common import product_as_written, shown, sum_as_written, y, z
from derivations.network import bce
from proofsheet.kernel.notation import sigma, sigma_prime
from proofsheet.sheet.derivation import Derivation, Text

yhat = sp.Symbol("yhat", real=True)  #: the prediction ŷ
L = sp.Symbol("L", real=True)


def minus(*factors: sp.Expr) -> sp.Expr:
    """``−a·b·…`` as written (SymPy would fold the sign into the first factor)."""
    return sp.Mul(-1, *factors, evaluate=False)


def loss_in_z() -> sp.Expr:
    """L written in terms of the pre-activation z: −(y log σ(z) + (1 − y) log(1 − σ(z)))."""
    return bce(y, sigma(z))


def derive() -> Derivation:
    d = Derivation(
        "bce-gradient",
        "Q1.2",
        Text(
            en="Cross-entropy through a sigmoid: ∂L/∂z = σ(z) − y (used again in Q1 back-propagation "
            "and in Q3)",
            zh="经过 sigmoid 的交叉熵：∂L/∂z = σ(z) − y（在 Q1 反向传播和 Q3 中再次用到）",
        ),
    )
    d.say(
        en="A sigmoid output unit turns its weighted input z into the predicted probability {yhat} "
        "of class 1, and the binary cross-entropy compares it with the true label {label}: it is "
        "small when ŷ puts high probability on the true class and grows without bound as that "
        "probability goes to 0.",
        zh="sigmoid 输出单元把加权输入 z 变成属于第 1 类的预测概率 {yhat}，二分类交叉熵把它与真实标签 "
        "{label} 比较：ŷ 给真实类别的概率越高，损失越小；这个概率趋于 0 时，损失无界增大。",
        yhat=sp.Eq(yhat, sigma(z), evaluate=False),
        label=sp.Contains(y, sp.FiniteSet(0, 1), evaluate=False),
    )
    d.define(yhat, sigma(z), Text(en="the prediction", zh="预测值"))
    d.define(L, bce(y, yhat), Text(en="the binary cross-entropy", zh="二分类交叉熵"))
    d.say(
        en="Back-propagation needs {grad}. By the chain rule {chain}, so we first find the two "
        "factors. The outer one, with ŷ treated as a variable:",
        zh="反向传播需要 {grad}。由链式法则 {chain}，先求两个因子。外层因子（把 ŷ 看作自变量）：",
        grad=sp.Derivative(L, z),
        chain=sp.Eq(
            sp.Derivative(L, z),
            product_as_written(sp.Derivative(L, yhat), sp.Derivative(yhat, z)),
            evaluate=False,
        ),
    )
    outer = d.chain(sp.Derivative(bce(y, yhat), yhat))
    outer.eq(
        sum_as_written(-y / yhat, (1 - y) / (1 - yhat)),
        why=Text(
            en="d/dŷ log ŷ = 1/ŷ and d/dŷ log(1 − ŷ) = −1/(1 − ŷ)",
            zh="d/dŷ log ŷ = 1/ŷ，d/dŷ log(1 − ŷ) = −1/(1 − ŷ)",
        ),
    )
    d.conclude("dL/dyhat = -y/yhat + (1 - y)/(1 - yhat)", outer.theorem)
    d.say(
        en="The inner one is the sigmoid's derivative (Q3.2):",
        zh="内层因子是 sigmoid 的导数（Q3.2）：",
    )
    inner = d.chain(sp.Derivative(sigma(z), z))
    inner.eq(
        product_as_written(sigma(z), 1 - sigma(z)),
        why=Text(en="σ' = σ(1 − σ), proved in Q3.2", zh="σ' = σ(1 − σ)，已在 Q3.2 证明"),
    )
    d.conclude("dyhat/dz = sigma(z)(1 - sigma(z))", inner.theorem)
    with d.answer(brief=True):
        d.say(
            en="The gradient at the output's weighted input z, where {yhat}: by the chain rule, "
            "with {slope} (Q3.2), the factor {factor} cancels:",
            zh="输出单元加权输入 z 处的梯度（{yhat}）：由链式法则并用 {slope}（Q3.2），"
            "因子 {factor} 约去：",
            yhat=sp.Eq(yhat, sigma(z), evaluate=False),
            slope=sp.Eq(sigma_prime(z), product_as_written(sigma(z), 1 - sigma(z)), evaluate=False),
            factor=sigma_prime(z),
        )
        s, ds = sigma(z), sp.Derivative(sigma(z), z)
        c = d.chain(sp.Derivative(loss_in_z(), z))
        c.eq(
            sum_as_written(
                -y * sp.Derivative(sp.log(s), z),
                minus(shown(1 - y), sp.Derivative(sp.log(1 - s), z)),
            ),
            why=Text(
                en="the derivative of a sum is the sum of the derivatives; y does not depend on z",
                zh="和的导数等于导数之和；y 与 z 无关",
            ),
        )
        c.eq(
            sum_as_written(minus(y / s, ds), sp.Mul((1 - y) / (1 - s), ds, evaluate=False)),
            why=Text(
                en="d/dz log u = (1/u)·du/dz: for u = σ(z) this gives the first term; for u = 1 − σ(z), "
                "du/dz = −dσ(z)/dz and the two minus signs cancel",
                zh="d/dz log u = (1/u)·du/dz：u = σ(z) 时得第一项；u = 1 − σ(z) 时 du/dz = −dσ(z)/dz，"
                "两个负号相消",
            ),
        )
        c.eq(
            product_as_written(sum_as_written(-y / s, (1 - y) / (1 - s)), ds),
            why=Text(
                en="factor out dσ(z)/dz: this is ∂L/∂ŷ at ŷ = σ(z) times ∂ŷ/∂z, the chain rule",
                zh="提出 dσ(z)/dz：这正是 ŷ = σ(z) 处的 ∂L/∂ŷ 乘以 ∂ŷ/∂z，即链式法则",
            ),
        )
        c.eq(
            product_as_written(sum_as_written(-y / s, (1 - y) / (1 - s)), s, 1 - s),
            why=Text(en="σ'(z) = σ(z)(1 − σ(z)) (Q3.2)", zh="σ'(z) = σ(z)(1 − σ(z))（Q3.2）"),
        )
        c.eq(
            sum_as_written(minus(y, shown(1 - s)), product_as_written(1 - y, s)),
            why=Text(
                en="σ(z) cancels in the first term and 1 − σ(z) in the second",
                zh="第一项中 σ(z) 约去，第二项中 1 − σ(z) 约去",
            ),
        )
        c.eq(sum_as_written(-y, y * s, s, -y * s), why=Text(en="multiply out", zh="展开"))
        c.eq(
            sum_as_written(s, -y),
            why=Text(en="the two y·σ(z) terms cancel", zh="两个 y·σ(z) 项相消"),
        )
        d.say(
            en="So {gradient}: the prediction minus the target.",
            zh="所以 {gradient}：预测值减去目标值。",
            gradient=sp.Eq(sp.Derivative(L, z), sum_as_written(yhat, -y), evaluate=False),
        )
    d.conclude("dL/dz = sigma(z) - y", c.theorem)
    d.say(
        en="The sign of this gradient tells gradient descent "
        "which way to move z: down when ŷ is too large, up when it is too small, by an amount "
        "proportional to the error, which is always in (−1, 1). The factor σ'(z), which is tiny when "
        "the sigmoid saturates, has cancelled: a confidently wrong prediction (ŷ ≈ 0 with y = 1) still "
        "gets a gradient close to −1, whereas with the squared error (ŷ − y)² the gradient would carry "
        "σ'(z) ≈ 0 and learning would stall. This is why a sigmoid output is paired with cross-entropy; "
        "the same δ = ŷ − y starts the backward pass in Q1 and the depth analysis in Q3.",
        zh="这个梯度的符号告诉梯度下降 z 应往哪个方向走："
        "ŷ 偏大就减小 z，偏小就增大 z，步幅与误差成正比，且误差总在 (−1, 1) 内。sigmoid 饱和时很小的"
        "因子 σ'(z) 已经约去：即使预测错得很自信（y = 1 而 ŷ ≈ 0），梯度仍接近 −1；若用平方误差 "
        "(ŷ − y)²，梯度会带着 σ'(z) ≈ 0 的因子，学习就会停滞。这就是 sigmoid 输出配合交叉熵的原因；"
        "同一个 δ = ŷ − y 也是 Q1 反向传播和 Q3 深度分析的起点。",
    )
    return d
