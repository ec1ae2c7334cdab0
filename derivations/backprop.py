"""Q1 — back-propagation in the 2–3–1 sigmoid network with cross-entropy loss.

The four gradients ∂L/∂W2 = A1ᵀ(A2 − y), ∂L/∂b2 = A2 − y,
∂L/∂W1 = xᵀ[((A2 − y)W2ᵀ) ⊙ σ'(Z1)] and ∂L/∂b1 = (A2 − y)W2ᵀ ⊙ σ'(Z1) are
each proved equal, entry by entry, to SymPy's derivative of the fully
written-out scalar loss (rule ``derivative`` per entry, then ``entrywise``).
"""

from __future__ import annotations

import sympy as sp

from derivations.common import y
from derivations.network import Network, entrywise_fact, network, shown
from proofsheet import kernel
from proofsheet.kernel.notation import sigma_prime
from proofsheet.sheet.derivation import Derivation, Text

L = sp.Symbol("L", real=True)


def gradients(net: Network) -> dict[str, sp.ImmutableMatrix]:
    """The backward pass in matrix form: δ2, δ1 and the four gradients."""
    delta2 = net.A2 - sp.ImmutableMatrix([[y]])
    delta1 = kernel.matmul(delta2, net.W2.T).multiply_elementwise(net.Z1.applyfunc(sigma_prime))
    return {
        "W2": kernel.matmul(net.A1.T, delta2),
        "b2": delta2,
        "W1": kernel.matmul(net.x.T, delta1),
        "b1": sp.ImmutableMatrix(delta1),
    }


def direct(net: Network, parameter: sp.MatrixBase) -> sp.ImmutableMatrix:
    """∂L/∂p for every entry p of a parameter matrix: unevaluated derivatives of the scalar loss."""
    loss = net.loss(y)
    return parameter.applyfunc(lambda p: sp.Derivative(loss, p))


def result(
    d: Derivation, net: Network, key: str, formula: sp.MatrixExpr, name: str, why: Text
) -> None:
    """Show ∂L/∂key = formula, prove it entry by entry against the direct derivative, record it."""
    parameter = getattr(net, key)
    d.define(shown(rf"\frac{{\partial L}}{{\partial {key[0]}_{{{key[1]}}}}}", parameter), formula)
    d.conclude(name, entrywise_fact(d, direct(net, parameter), gradients(net)[key], why))


def derive() -> Derivation:
    net = network()
    grads = gradients(net)
    x, W2, A1, A2 = (
        shown(n, m) for n, m in (("x", net.x), ("W_2", net.W2), ("A_1", net.A1), ("A_2", net.A2))
    )
    d2, d1 = shown(r"\delta_{2}", grads["b2"]), shown(r"\delta_{1}", grads["b1"])
    sig_p = shown(r"\sigma'\left(Z_{1}\right)", net.Z1)

    d = Derivation(
        "backprop-2-3-1",
        "Q1",
        Text(
            en="Back-propagation in the 2–3–1 network: the four gradients",
            zh="2–3–1 网络的反向传播：四个梯度",
        ),
    )
    d.say(
        en="Take the network of Q1.1 with one training example x = [x1, x2], label y ∈ {0, 1}, prediction "
        "A2 = σ(σ(xW1 + b1)W2 + b2) and the cross-entropy loss of Q1.2. In terms of the output's "
        "weighted input z⁽²⁾ the loss is:",
        zh="取 Q1.1 的网络，一个训练样本 x = [x1, x2]，标签 y ∈ {0, 1}，预测 A2 = σ(σ(xW1 + b1)W2 + b2)，"
        "损失为 Q1.2 的交叉熵。用输出单元的加权输入 z⁽²⁾ 表示，损失为：",
    )
    d.abbreviate(L, net.loss(y))
    d.say(
        en="To keep the entries readable the sheet names the weighted inputs; the kernel checked every entry "
        "with them written out in full:",
        zh="为使各分量易读，下面给各加权输入命名；内核检查每个分量时用的是完全展开的式子：",
    )
    d.abbreviate(sp.Symbol("z^{(2)}", real=True), net.Z2[0])
    for j, z in enumerate(net.Z1):
        d.abbreviate(sp.Symbol(f"z^{{(1)}}_{{{j + 1}}}", real=True), z)
    d.say(
        en="Back-propagation computes every ∂L/∂parameter from two error signals, reusing the forward pass. "
        "Each result below is checked against the direct derivative of this written-out L, entry by "
        "entry; each gradient has the shape of its parameter.",
        zh="反向传播利用前向传播的结果，由两个误差信号算出每个 ∂L/∂参数。下面每个结果都与上面展开的 L "
        "的直接求导逐元素比对；每个梯度的形状与对应参数相同。",
    )
    d.say(
        en="Output layer. By Q1.2, the error at the output's weighted input is δ2 = ∂L/∂Z2 = A2 − y (1×1). "
        "Since Z2 = A1W2 + b2, ∂Z2/∂w2_j = a1_j and ∂Z2/∂b2 = 1, so:",
        zh="输出层。由 Q1.2，输出单元加权输入处的误差为 δ2 = ∂L/∂Z2 = A2 − y（1×1）。"
        "因为 Z2 = A1W2 + b2，∂Z2/∂w2_j = a1_j，∂Z2/∂b2 = 1，所以：",
    )
    d.define(d2, sp.MatAdd(A2, -shown("y", grads["b2"])))
    result(
        d,
        net,
        "W2",
        sp.MatMul(A1.T, d2),
        "dL/dW2 = A1^T (A2 - y)",
        Text(
            en="(3×1)(1×1) = 3×1, the shape of W2. Entry j: ∂L/∂w2_j = (A2 − y)·σ(z_j), the error at the output "
            "times the input that w2_j carries.",
            zh="(3×1)(1×1) = 3×1，与 W2 同形。第 j 个分量：∂L/∂w2_j = (A2 − y)·σ(z_j)，即输出处的误差乘以 "
            "w2_j 所传递的输入。",
        ),
    )
    result(
        d,
        net,
        "b2",
        d2,
        "dL/db2 = A2 - y",
        Text(
            en="The bias's input is the constant 1, so its gradient is the error itself.",
            zh="偏置的输入恒为 1，所以它的梯度就是误差本身。",
        ),
    )
    d.say(
        en="Hidden layer. The error flows back through W2: ∂L/∂A1 = δ2W2ᵀ (1×3), hidden unit j receiving "
        "δ2·w2_j. It then passes through the sigmoid of each unit, which multiplies by σ'(z_j) = "
        "σ(z_j)(1 − σ(z_j)) (Q3.2) entry by entry (⊙, written ∘ below):",
        zh="隐藏层。误差经 W2 反向传回：∂L/∂A1 = δ2W2ᵀ（1×3），第 j 个隐藏单元收到 δ2·w2_j。"
        "再经过每个单元的 sigmoid，逐元素乘以 σ'(z_j) = σ(z_j)(1 − σ(z_j))（Q3.2）（⊙，下文记作 ∘）：",
    )
    d.define(
        d1,
        sp.HadamardProduct(sp.MatMul(d2, W2.T), sig_p),
        Text(en="δ1 = ∂L/∂Z1, 1×3", zh="δ1 = ∂L/∂Z1，1×3"),
    )
    d.say(
        en="Since Z1 = xW1 + b1, ∂z_j/∂w1_ij = x_i and ∂z_j/∂b1_j = 1, so the first layer's gradients are:",
        zh="因为 Z1 = xW1 + b1，∂z_j/∂w1_ij = x_i，∂z_j/∂b1_j = 1，所以第一层的梯度为：",
    )
    result(
        d,
        net,
        "W1",
        sp.MatMul(x.T, d1),
        "dL/dW1 = x^T [((A2 - y) W2^T) o sigma'(Z1)]",
        Text(
            en="(2×1)(1×3) = 2×3, the shape of W1. Entry (i, j): ∂L/∂w1_ij = x_i·(A2 − y)·w2_j·σ'(z_j): input i, "
            "times the error that reached hidden unit j.",
            zh="(2×1)(1×3) = 2×3，与 W1 同形。第 (i, j) 个分量：∂L/∂w1_ij = x_i·(A2 − y)·w2_j·σ'(z_j)，"
            "即输入 i 乘以传到第 j 个隐藏单元的误差。",
        ),
    )
    result(
        d,
        net,
        "b1",
        d1,
        "dL/db1 = ((A2 - y) W2^T) o sigma'(Z1)",
        Text(
            en="Again the bias gradient is the error at the layer's weighted input.",
            zh="同样，偏置的梯度就是该层加权输入处的误差。",
        ),
    )
    d.say(
        en="The pattern for every layer: the gradient of a weight matrix is (the layer's input)ᵀ times (the "
        "error δ at its weighted input), the bias gradient is δ itself, and δ of the layer below is "
        "δWᵀ ⊙ σ'(Z). The factor σ'(Z) ≤ 1/4 appears once per layer passed; Q3 shows why this makes "
        "the gradients of deep sigmoid networks vanish.",
        zh="每一层都遵循同一模式：权重矩阵的梯度是（本层输入）ᵀ 乘以（本层加权输入处的误差 δ），偏置的梯度"
        "就是 δ，下一层的 δ 为 δWᵀ ⊙ σ'(Z)。每向下经过一层就多一个因子 σ'(Z) ≤ 1/4；Q3 说明这为什么会"
        "使深层 sigmoid 网络的梯度消失。",
    )
    return d
