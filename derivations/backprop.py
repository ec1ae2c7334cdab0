"""Q1 — back-propagation in the 2–3–1 sigmoid network with cross-entropy loss.

The four gradients ∂L/∂W⁽²⁾ = (a⁽¹⁾)ᵀ(ŷ − y), ∂L/∂b⁽²⁾ = ŷ − y,
∂L/∂W⁽¹⁾ = xᵀ[((ŷ − y)(W⁽²⁾)ᵀ) ⊙ σ'(z⁽¹⁾)] and ∂L/∂b⁽¹⁾ = ((ŷ − y)(W⁽²⁾)ᵀ) ⊙ σ'(z⁽¹⁾) are
each proved equal, entry by entry, to SymPy's derivative of the fully
written-out scalar loss (rule ``derivative`` per entry, then ``entrywise``).
"""

from __future__ import annotations

import sympy as sp

from derivations.common import product_as_written, sum_as_written, y
from derivations.network import NAMES, Network, entrywise_fact, named, network, shown
from proofsheet import kernel
from proofsheet.kernel.notation import sigma, sigma_prime
from proofsheet.sheet.derivation import Derivation, Text

L = sp.Symbol("L", real=True)


def gradients(net: Network) -> dict[str, sp.ImmutableMatrix]:
    """The backward pass in matrix form: δ⁽²⁾, δ⁽¹⁾ and the four gradients."""
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
    d.define(shown(rf"\frac{{\partial L}}{{\partial {NAMES[key]}}}", parameter), formula)
    d.conclude(name, entrywise_fact(d, direct(net, parameter), gradients(net)[key], why))


def derive() -> Derivation:
    net = network()
    grads = gradients(net)
    x, W2, A1, A2 = (named(net, key) for key in ("x", "W2", "A1", "A2"))
    d2, d1 = shown(r"\delta^{(2)}", grads["b2"]), shown(r"\delta^{(1)}", grads["b1"])
    sig_p = shown(r"\sigma'\left(z^{(1)}\right)", net.Z1)
    z1j, a1j = sp.Symbol("z^{(1)}_{j}"), sp.Symbol("a^{(1)}_{j}")
    w1, w2, xi = sp.Symbol("w^{(1)}_{ij}"), sp.Symbol("w^{(2)}_{j}"), sp.Symbol("x_{i}")
    b1, b2 = sp.Symbol("b^{(1)}_{j}"), sp.Symbol("b^{(2)}")
    error = sum_as_written(sp.Symbol(r"\hat{y}"), -y)

    d = Derivation(
        "backprop-2-3-1",
        "Q1",
        Text(
            en="Back-propagation in the 2–3–1 network: the four gradients",
            zh="2–3–1 网络的反向传播：四个梯度",
        ),
    )
    d.say(
        en="Take the network of Q1.1 with one training example {x}, label y ∈ {0, 1}, prediction "
        "{yhat} and the cross-entropy loss of Q1.2. In terms of the output's weighted input "
        "{z2} the loss is:",
        zh="取 Q1.1 的网络，一个训练样本 {x}，标签 y ∈ {0, 1}，预测 {yhat}，损失为 Q1.2 的交叉熵。"
        "用输出单元的加权输入 {z2} 表示，损失为：",
        x=x,
        yhat=sp.Eq(A2, sigma(named(net, "Z2")), evaluate=False),
        z2=named(net, "Z2"),
    )
    d.abbreviate(L, net.loss(y))
    d.say(
        en="To keep the entries readable the sheet names the weighted inputs; the kernel checked "
        "every entry with them written out in full:",
        zh="为使各分量易读，下面给各加权输入命名；内核检查每个分量时用的是完全展开的式子：",
    )
    d.abbreviate(sp.Symbol("z^{(2)}", real=True), net.Z2[0])
    for j, z in enumerate(net.Z1):
        d.abbreviate(sp.Symbol(f"z^{{(1)}}_{{{j + 1}}}", real=True), z)
    # display only, no block: hidden outputs a⁽¹⁾ⱼ and the output error δ⁽²⁾ inside the entries
    d.abbreviations.extend(
        (sigma(z), sp.Symbol(f"a^{{(1)}}_{{{j + 1}}}", real=True)) for j, z in enumerate(net.Z1)
    )
    d.abbreviations.append((grads["b2"][0], sp.Symbol(r"\delta^{(2)}", real=True)))
    d.say(
        en="Back-propagation computes every gradient of L from two error signals, reusing the "
        "forward pass. Each result below is checked against the direct derivative of this "
        "written-out L, entry by entry; each gradient has the shape of its parameter.",
        zh="反向传播利用前向传播的结果，由两个误差信号算出 L 对每个参数的梯度。下面每个结果都与上面"
        "展开的 L 的直接求导逐元素比对；每个梯度的形状与对应参数相同。",
    )
    d.say(
        en="Output layer. By Q1.2 the error at the output's weighted input is {delta2} (1×1). "
        "Since {z2}, we have {dw2} and {db2}, so:",
        zh="输出层。由 Q1.2，输出单元加权输入处的误差为 {delta2}（1×1）。因为 {z2}，"
        "有 {dw2}，{db2}，所以：",
        delta2=sp.Eq(d2, error, evaluate=False),
        z2=sp.Eq(named(net, "Z2"), sp.MatAdd(sp.MatMul(A1, W2), named(net, "b2")), evaluate=False),
        dw2=sp.Eq(sp.Derivative(sp.Symbol("z^{(2)}"), w2), a1j, evaluate=False),
        db2=sp.Eq(sp.Derivative(sp.Symbol("z^{(2)}"), b2), 1, evaluate=False),
    )
    d.define(d2, sp.MatAdd(A2, -shown("y", grads["b2"])))
    result(
        d,
        net,
        "W2",
        sp.MatMul(A1.T, d2),
        "dL/dW2 = A1^T (A2 - y)",
        Text(
            en="(3×1)(1×1) = 3×1, the shape of {w}. Entry j: {entry}, the error at the output "
            "times the input that its weight carries.",
            zh="(3×1)(1×1) = 3×1，与 {w} 同形。第 j 个分量：{entry}，即输出处的误差乘以该权重"
            "所传递的输入。",
            math={
                "w": W2,
                "entry": sp.Eq(
                    sp.Derivative(L, w2), product_as_written(error, a1j), evaluate=False
                ),
            },
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
        en="Hidden layer. The error flows back through {w}: hidden unit j receives {back}. It then "
        "passes through the sigmoid of each unit, which multiplies by {slope} (Q3.2) entry by "
        "entry (⊙, written ∘ below):",
        zh="隐藏层。误差经 {w} 反向传回：第 j 个隐藏单元收到 {back}。再经过每个单元的 sigmoid，"
        "逐元素乘以 {slope}（Q3.2）（⊙，下文记作 ∘）：",
        w=W2,
        back=product_as_written(sp.Symbol(r"\delta^{(2)}"), w2),
        slope=sp.Eq(
            sigma_prime(z1j),
            product_as_written(sigma(z1j), 1 - sigma(z1j)),
            evaluate=False,
        ),
    )
    d.define(
        d1,
        sp.HadamardProduct(sp.MatMul(d2, W2.T), sig_p),
        Text(en="the error at the hidden weighted inputs, 1×3", zh="隐藏层加权输入处的误差，1×3"),
    )
    d.say(
        en="Since {z1}, we have {dw1} and {db1}, so the first layer's gradients are:",
        zh="因为 {z1}，有 {dw1}，{db1}，所以第一层的梯度为：",
        z1=sp.Eq(
            named(net, "Z1"),
            sp.MatAdd(sp.MatMul(x, named(net, "W1")), named(net, "b1")),
            evaluate=False,
        ),
        dw1=sp.Eq(sp.Derivative(z1j, w1), xi, evaluate=False),
        db1=sp.Eq(sp.Derivative(z1j, b1), 1, evaluate=False),
    )
    result(
        d,
        net,
        "W1",
        sp.MatMul(x.T, d1),
        "dL/dW1 = x^T [((A2 - y) W2^T) o sigma'(Z1)]",
        Text(
            en="(2×1)(1×3) = 2×3, the shape of {w}. Entry (i, j): {entry}: input i times the "
            "error that reached hidden unit j.",
            zh="(2×1)(1×3) = 2×3，与 {w} 同形。第 (i, j) 个分量：{entry}，即输入 i 乘以传到第 j 个"
            "隐藏单元的误差。",
            math={
                "w": named(net, "W1"),
                "entry": sp.Eq(
                    sp.Derivative(L, w1),
                    product_as_written(xi, error, w2, sigma_prime(z1j)),
                    evaluate=False,
                ),
            },
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
        en="The pattern for every layer: the gradient of a weight matrix is the layer's input, "
        "transposed, times the error δ at its weighted input; the bias gradient is δ itself; and "
        "the δ of the layer below is δ times the transposed weights, entrywise times σ' of its "
        "weighted input. The factor σ' ≤ 1/4 appears once per layer passed; Q3 shows why this "
        "makes the gradients of deep sigmoid networks vanish.",
        zh="每一层都遵循同一模式：权重矩阵的梯度是本层输入的转置乘以本层加权输入处的误差 δ；偏置的梯度"
        "就是 δ；下一层的 δ 是 δ 乘以权重的转置，再逐元素乘以该层加权输入处的 σ'。每向下经过一层就"
        "多一个因子 σ' ≤ 1/4；Q3 说明这为什么会使深层 sigmoid 网络的梯度消失。",
    )
    return d
