"""Q1.1 — forward propagation in matrix form for the 2–3–1 sigmoid network.

States the shapes W1 2×3, b1 1×3, W2 3×1, b2 1×1 (the kernel's ``matmul``
checks them), and proves entry by entry that Z1 = xW1 + b1, A1 = σ(Z1),
Z2 = A1W2 + b2 and A2 = σ(σ(xW1 + b1)W2 + b2) are the written-out sums.
"""

from __future__ import annotations

import sympy as sp

from derivations.network import Network, entrywise_fact, network, shown
from proofsheet import kernel
from proofsheet.kernel.errors import ShapeError
from proofsheet.kernel.notation import sigma
from proofsheet.sheet.derivation import Derivation, Text


def written_z1(net: Network) -> sp.ImmutableMatrix:
    """z_j = x1·w_1j + x2·w_2j + b_j, in the order a student writes it."""
    x = net.x
    return sp.ImmutableMatrix(
        1,
        net.W1.cols,
        lambda _i, j: sp.Add(
            *(sp.Mul(x[k], net.W1[k, j], evaluate=False) for k in range(x.cols)),
            net.b1[j],
            evaluate=False,
        ),
    )


def written_z2(net: Network) -> sp.Expr:
    """z2 = Σ_j w2_j·σ(z_j) + b2, with each z_j written out."""
    hidden = written_z1(net)
    return sp.Add(
        *(sp.Mul(net.W2[j], sigma(hidden[j]), evaluate=False) for j in range(net.W2.rows)),
        net.b2[0],
        evaluate=False,
    )


def shape_refusal(net: Network) -> str:
    """The kernel's own message when W1 is given the wrong shape (3×2)."""
    try:
        kernel.matmul(net.x, net.W1.T)
    except ShapeError as err:
        return str(err)
    raise AssertionError("the kernel multiplied a 1×2 row by a 3×2 matrix")


def derive() -> Derivation:
    net = network()
    x, W1, b1, W2, b2 = (
        shown(n, m)
        for n, m in (
            ("x", net.x),
            ("W_1", net.W1),
            ("b_1", net.b1),
            ("W_2", net.W2),
            ("b_2", net.b2),
        )
    )
    Z1, A1, Z2, A2 = (
        shown(n, m) for n, m in (("Z_1", net.Z1), ("A_1", net.A1), ("Z_2", net.Z2), ("A_2", net.A2))
    )
    d = Derivation(
        "forward-matrix-form",
        "Q1.1",
        Text(
            en="Forward propagation in matrix form (2 inputs, 3 hidden sigmoid units, 1 sigmoid output)",
            zh="前向传播的矩阵形式（2 个输入，3 个 sigmoid 隐藏单元，1 个 sigmoid 输出）",
        ),
    )
    d.say(
        en="The input is the row vector x = [x1, x2], of shape 1×2. With row vectors, a layer multiplies its "
        "input on the right by a weight matrix with one row per input and one column per unit of the "
        "layer, adds a bias row with one entry per unit, and applies σ to every entry. So W1 is 2×3 "
        "(2 inputs, 3 hidden units), b1 is 1×3, W2 is 3×1 (3 hidden units, 1 output) and b2 is 1×1.",
        zh="输入是行向量 x = [x1, x2]，形状为 1×2。采用行向量约定时，每一层把输入右乘一个权重矩阵"
        "（每个输入对应一行，本层每个单元对应一列），加上每个单元一个分量的偏置行向量，再对每个分量"
        "作用 σ。因此 W1 是 2×3（2 个输入、3 个隐藏单元），b1 是 1×3，W2 是 3×1（3 个隐藏单元、"
        "1 个输出），b2 是 1×1。",
    )
    d.define(x, net.x, Text(en="the input, 1×2", zh="输入，1×2"))
    d.define(
        W1,
        net.W1,
        Text(
            en="2×3: column j holds the two weights entering hidden unit j",
            zh="2×3：第 j 列是进入第 j 个隐藏单元的两个权重",
        ),
    )
    d.define(b1, net.b1, Text(en="1×3: one bias per hidden unit", zh="1×3：每个隐藏单元一个偏置"))
    d.define(
        W2,
        net.W2,
        Text(
            en="3×1: one weight from each hidden unit to the output",
            zh="3×1：每个隐藏单元到输出各有一个权重",
        ),
    )
    d.define(b2, net.b2, Text(en="1×1: the output unit's bias", zh="1×1：输出单元的偏置"))
    d.say(
        en=f"These shapes fit together: (1×2)(2×3) = 1×3, plus b1 (1×3), then (1×3)(3×1) = 1×1, plus b2 "
        f"(1×1). The kernel multiplies only matrices whose inner sizes agree; given W1 as 3×2 it "
        f"refuses: “{shape_refusal(net)}”.",
        zh=f"这些形状彼此相容：(1×2)(2×3) = 1×3，加上 b1（1×3）；再 (1×3)(3×1) = 1×1，加上 b2（1×1）。"
        f"内核只乘内侧维数相同的矩阵；若把 W1 写成 3×2，它会拒绝：“{shape_refusal(net)}”。",
    )
    d.define(
        Z1,
        sp.MatAdd(sp.MatMul(x, W1), b1),
        Text(
            en="input to hidden layer: the pre-activations, 1×3",
            zh="输入层到隐藏层：隐藏层的净输入，1×3",
        ),
    )
    d.define(Z1, sp.MatAdd(sp.MatMul(net.x, net.W1, evaluate=False), net.b1, evaluate=False))
    z1 = entrywise_fact(
        d,
        net.Z1,
        written_z1(net),
        Text(
            en="Entry j of xW1 is the row x times column j of W1, x1·w_1j + x2·w_2j; adding b_j gives "
            "z_j, the weighted input of hidden unit j.",
            zh="xW1 的第 j 个分量是行 x 乘 W1 的第 j 列，即 x1·w_1j + x2·w_2j；再加 b_j 得到 z_j，"
            "即第 j 个隐藏单元的加权输入。",
        ),
    )
    d.conclude("Z1 = x W1 + b1, entry by entry", z1)
    d.define(
        A1,
        shown(r"\sigma\left(Z_{1}\right)", net.Z1),
        Text(
            en="the hidden activations: σ applied to each entry, still 1×3",
            zh="隐藏层输出：对每个分量作用 σ，仍为 1×3",
        ),
    )
    a1 = entrywise_fact(
        d,
        net.A1,
        written_z1(net).applyfunc(sigma),
        Text(en="Hidden unit j outputs σ(z_j).", zh="第 j 个隐藏单元输出 σ(z_j)。"),
    )
    d.conclude("A1 = sigma(Z1), entry by entry", a1)
    d.define(
        Z2,
        sp.MatAdd(sp.MatMul(A1, W2), b2),
        Text(
            en="hidden to output layer: (1×3)(3×1) + 1×1 = 1×1",
            zh="隐藏层到输出层：(1×3)(3×1) + 1×1 = 1×1",
        ),
    )
    z2 = entrywise_fact(
        d,
        net.Z2,
        sp.ImmutableMatrix([[written_z2(net)]]),
        Text(
            en="The output's weighted input sums the three hidden outputs, each times its weight, plus b2.",
            zh="输出单元的加权输入是三个隐藏输出分别乘以各自权重之和，再加 b2。",
        ),
    )
    d.conclude("Z2 = A1 W2 + b2", z2)
    d.define(
        A2,
        shown(r"\sigma\left(Z_{2}\right)", net.Z2),
        Text(en="the prediction ŷ = A2, a number in (0, 1)", zh="预测值 ŷ = A2，取值在 (0, 1) 内"),
    )
    a2 = entrywise_fact(
        d,
        net.A2,
        sp.ImmutableMatrix([[sigma(written_z2(net))]]),
        Text(
            en="Written out, the network's output is σ(Σ_j w2_j σ(x1 w_1j + x2 w_2j + b_j) + b2).",
            zh="完全展开后，网络的输出为 σ(Σ_j w2_j σ(x1 w_1j + x2 w_2j + b_j) + b2)。",
        ),
    )
    d.conclude("A2 = sigma(sigma(x W1 + b1) W2 + b2)", a2)
    d.define(
        A2, shown(r"\sigma\left(\sigma\left(x W_{1} + b_{1}\right) W_{2} + b_{2}\right)", net.A2)
    )
    d.say(
        en="In short: Z1 = xW1 + b1 (1×3), A1 = σ(Z1) (1×3), Z2 = A1W2 + b2 (1×1), A2 = σ(Z2) (1×1), "
        "and the whole forward pass is A2 = σ(σ(xW1 + b1)W2 + b2). For a batch of m examples, stack "
        "them as the rows of an m×2 matrix X: the same formulas hold with b1 and b2 added to every row.",
        zh="总结：Z1 = xW1 + b1（1×3），A1 = σ(Z1)（1×3），Z2 = A1W2 + b2（1×1），A2 = σ(Z2)（1×1），"
        "整个前向传播就是 A2 = σ(σ(xW1 + b1)W2 + b2)。若有 m 个样本，把它们按行堆成 m×2 矩阵 X，"
        "公式不变，只是 b1、b2 加到每一行上。",
    )
    return d
