"""Q1.1 — forward propagation in matrix form for the 2–3–1 sigmoid network.

States the notation and shapes (W⁽¹⁾ 2×3, b⁽¹⁾ 1×3, W⁽²⁾ 3×1, b⁽²⁾ 1×1; the kernel's
``matmul`` checks them) and proves entry by entry that xW⁽¹⁾ + b⁽¹⁾, σ(z⁽¹⁾), a⁽¹⁾W⁽²⁾ + b⁽²⁾
and ŷ = σ(z⁽²⁾) are the written-out sums.
"""

from __future__ import annotations

import sympy as sp

from derivations.common import shown as as_written
from derivations.network import NAMES, Network, entrywise_fact, named, network
from proofsheet import kernel
from proofsheet.kernel.errors import ShapeError
from proofsheet.kernel.notation import sigma
from proofsheet.sheet.derivation import Derivation, Text


def written_z1(net: Network) -> sp.ImmutableMatrix:
    """Entry j is x₁w⁽¹⁾₁ⱼ + x₂w⁽¹⁾₂ⱼ + b⁽¹⁾ⱼ, in the order a student writes it."""
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
    """a⁽¹⁾₁w⁽²⁾₁ + a⁽¹⁾₂w⁽²⁾₂ + a⁽¹⁾₃w⁽²⁾₃ + b⁽²⁾, with a⁽¹⁾ⱼ = σ(z⁽¹⁾ⱼ)."""
    return sp.Add(
        *(sp.Mul(net.A1[j], net.W2[j], evaluate=False) for j in range(net.W2.rows)),
        net.b2[0],
        evaluate=False,
    )


def entry_names(net: Network) -> list[tuple[sp.Expr, sp.Symbol]]:
    """(entry, name): z⁽¹⁾ⱼ, a⁽¹⁾ⱼ and z⁽²⁾ for the entries of the forward pass (display only)."""
    pairs = []
    for j in range(net.Z1.cols):
        pairs.append((net.Z1[j], sp.Symbol(f"z^{{(1)}}_{{{j + 1}}}", real=True)))
        pairs.append((net.A1[j], sp.Symbol(f"a^{{(1)}}_{{{j + 1}}}", real=True)))
    pairs.append((net.Z2[0], sp.Symbol("z^{(2)}", real=True)))
    return pairs


def shape_refusal(net: Network) -> str:
    """The kernel's own message when W1 is given the wrong shape (3×2)."""
    try:
        kernel.matmul(net.x, net.W1.T)
    except ShapeError as err:
        return str(err)
    raise AssertionError("the kernel multiplied a 1×2 row by a 3×2 matrix")


def notation_table(d: Derivation, net: Network, n: dict[str, sp.MatrixSymbol]) -> None:
    """Symbol, shape and meaning of each matrix of the forward pass."""
    rows = (
        ("x", net.x, "the input, one example as a row vector", "输入：一个样本，写成行向量"),
        (
            "W1",
            net.W1,
            "column j: the weights into hidden unit j",
            "第 j 列：进入第 j 个隐藏单元的权重",
        ),
        ("b1", net.b1, "one bias per hidden unit", "每个隐藏单元一个偏置"),
        ("W2", net.W2, "one weight from each hidden unit", "每个隐藏单元到输出各一个权重"),
        ("b2", net.b2, "the output unit's bias", "输出单元的偏置"),
        (
            "Z1",
            sp.MatAdd(sp.MatMul(n["x"], n["W1"]), n["b1"]),
            "weighted inputs",
            "隐藏层的加权输入",
        ),
        ("A1", sigma(n["Z1"]), "hidden outputs, σ on each entry", "隐藏层输出，σ 逐元素作用"),
        (
            "Z2",
            sp.MatAdd(sp.MatMul(n["A1"], n["W2"]), n["b2"]),
            "the output's weighted input",
            "输出单元的加权输入",
        ),
        ("A2", sigma(n["Z2"]), "the prediction {a2}, in (0, 1)", "预测值 {a2}，在 (0, 1) 内"),
    )
    for key, value, en, zh in rows:
        size = "{}×{}".format(*getattr(net, key).shape)
        math = {"a2": sp.MatrixSymbol("a^{(2)}", 1, 1)} if key == "A2" else {}
        note = Text(en=f"{size}: {en}", zh=f"{size}：{zh}", math=math)
        if isinstance(value, sp.ImmutableMatrix):  # a parameter: its name stands for its entries
            d.abbreviate(n[key], value, note)
        else:
            d.define(n[key], value, note)


def derive() -> Derivation:
    net = network()
    n = {key: named(net, key) for key in NAMES}
    d = Derivation(
        "forward-matrix-form",
        "Q1.1",
        Text(
            en="Forward propagation in matrix form (2 inputs, 3 hidden sigmoid units, "
            "1 sigmoid output)",
            zh="前向传播的矩阵形式（2 个输入，3 个 sigmoid 隐藏单元，1 个 sigmoid 输出）",
        ),
    )
    # display only: the sheet names these matrices and entries; the kernel sees them in full
    d.abbreviations.extend(entry_names(net))
    with d.answer():
        d.say(
            en="Notation. One example is the row vector {x}. A layer multiplies its input on the "
            "right by a weight matrix with one row per input and one column per unit, adds a bias "
            "row with one entry per unit, and applies σ to every entry:",
            zh="记号。一个样本是行向量 {x}。每一层把输入右乘一个权重矩阵（每个输入一行，每个单元一列），"
            "加上偏置行向量（每个单元一个分量），再对每个分量作用 σ：",
            x=n["x"],
        )
        notation_table(d, net, n)
        d.say(
            en="The shapes fit: (1×2)(2×3) + (1×3) = 1×3 and (1×3)(3×1) + (1×1) = 1×1. Entry by "
            "entry, with {a} for the hidden outputs:",
            zh="形状相容：(1×2)(2×3) + (1×3) = 1×3，(1×3)(3×1) + (1×1) = 1×1。逐分量写出（{z} "
            "写成列向量，隐藏层输出记为 {a}）：",
            z=n["Z1"],
            a=sp.Eq(sp.Symbol("a^{(1)}_{j}"), sigma(sp.Symbol("z^{(1)}_{j}")), evaluate=False),
        )
        facts = forward_facts(d, net)
    for name, theorem in zip(
        (
            "Z1 = x W1 + b1, entry by entry",
            "A1 = sigma(Z1), entry by entry",
            "Z2 = A1 W2 + b2",
            "A2 = sigma(sigma(x W1 + b1) W2 + b2)",
        ),
        facts,
    ):
        d.conclude(name, theorem)
    refusal = shape_refusal(net)
    d.say(
        en="The kernel multiplies only matrices whose inner sizes agree; given {w} as a 3×2 matrix "
        f"it refuses: “{refusal}”. For a batch of m examples, stack them as the rows of an m×2 "
        "matrix: the same formulas hold, with {b1} and {b2} added to every row.",
        zh="内核只乘内侧维数相同的矩阵；若把 {w} 写成 3×2 矩阵，它会拒绝相乘（1×2 乘 3×2）。"
        "若有 m 个样本，把它们按行堆成 m×2 矩阵，公式不变，只是 {b1}、{b2} 加到每一行上。",
        w=n["W1"],
        b1=n["b1"],
        b2=n["b2"],
    )
    return d


def forward_facts(d: Derivation, net: Network) -> list:
    """The four layers' formulas, each proved entry by entry (tactics search, kernel checks)."""
    hidden = sp.ImmutableMatrix(1, net.Z1.cols, lambda _i, j: sigma(as_written(net.Z1[j])))
    return [
        entrywise_fact(  # as a column, so that each entry fits on its line
            d,
            net.Z1.T,
            written_z1(net).T,
            Text(
                en="row times column: entry j is input 1 times its weight into unit j, plus "
                "input 2 times its weight, plus the bias of unit j",
                zh="行乘列：第 j 个分量是输入 1 乘它进入单元 j 的权重，加输入 2 乘它的权重，"
                "再加单元 j 的偏置",
            ),
        ),
        entrywise_fact(
            d,
            net.A1,
            hidden,
            Text(en="σ acts on each entry", zh="σ 逐分量作用"),
        ),
        entrywise_fact(
            d,
            net.Z2,
            sp.ImmutableMatrix([[written_z2(net)]]),
            Text(
                en="each hidden output times its weight, summed, plus the output bias",
                zh="每个隐藏输出乘以各自的权重，求和，再加输出偏置",
            ),
        ),
        entrywise_fact(
            d,
            net.A2,
            sp.ImmutableMatrix([[sigma(written_z2(net))]]),
            Text(en="the whole forward pass", zh="整个前向传播"),
        ),
    ]
