"""Q3.3 — the chain rule through depth: ∂y⁽ᴰ⁾/∂w⁽ⁱ⁾ = y⁽ⁱ⁻¹⁾σ'(u⁽ⁱ⁾) ∏_{k=i+1}^{D} w⁽ᵏ⁾σ'(u⁽ᵏ⁾).

(a) For every depth D ≤ 8 and every layer 1 ≤ i ≤ D, the formula is checked
against SymPy's derivative of the fully written-out network (rule
``derivative``); D ≤ 3 are shown, all 36 are named conclusions in the proof log.

(b) For general depth the network is a recursive definition
(``kernel.define_recursive``): Y(n, i, w⁽ⁱ⁾, y⁽ⁱ⁻¹⁾) = y⁽ⁱ⁺ⁿ⁾ is the output n
layers above layer i as a function of the weight w⁽ⁱ⁾, with the layers'
weights and biases w(k), b(k) unspecified functions of the layer.  The
definition's two equations are theorems (the second under 0 ≤ n), so the
base case and the step need no assumption beyond the induction hypothesis,
``kernel.induction`` proves the formula for every n ≥ 0, and the instance
n = D − i is the formula for every depth D ≥ i.  The pre-activations are
written out: u⁽ᵏ⁾ = w(k)·Y(k − 1 − i, …) + b(k).
"""

from __future__ import annotations

import sympy as sp

from derivations.common import product_as_written, proved
from derivations.deep_chain import HOLE, D, i, k, n
from proofsheet import kernel
from proofsheet.kernel import Prop, Theorem
from proofsheet.kernel.notation import sigma, sigma_prime
from proofsheet.search.decide import decide
from proofsheet.sheet.derivation import Derivation, Text

MAX_DEPTH, SHOWN_DEPTH = 8, 3
theta = sp.Symbol("w^{(i)}", real=True)  #: the weight we differentiate by
y_in = sp.Symbol("y^{(i-1)}", real=True)  #: the layer's input, independent of w⁽ⁱ⁾


def layer_symbol(letter: str, layer: int) -> sp.Symbol:
    return sp.Symbol(f"{letter}^{{({layer})}}", real=True)


def network(depth: int) -> tuple[list[sp.Expr], list[sp.Expr]]:
    """Outputs y⁽⁰⁾ … y⁽ᴰ⁾ and pre-activations u⁽¹⁾ … u⁽ᴰ⁾ (index 0 unused), written out."""
    ys, us = [layer_symbol("y", 0)], [sp.Integer(0)]
    for layer in range(1, depth + 1):
        us.append(layer_symbol("w", layer) * ys[-1] + layer_symbol("b", layer))
        ys.append(sigma(us[-1]))
    return ys, us


def formula(depth: int, layer: int, shown: bool) -> Prop:
    """∂y⁽ᴰ⁾/∂w⁽ⁱ⁾ = y⁽ⁱ⁻¹⁾σ'(u⁽ⁱ⁾) ∏ₖ₌ᵢ₊₁ᴰ w⁽ᵏ⁾σ'(u⁽ᵏ⁾) for explicit D and i."""
    ys, us = network(depth)
    factors = [ys[layer - 1], sigma_prime(us[layer])]
    for above in range(layer + 1, depth + 1):
        factors += [layer_symbol("w", above), sigma_prime(us[above])]
    rhs = product_as_written(*factors) if shown else sp.Mul(*factors)
    return Prop(sp.Derivative(ys[depth], layer_symbol("w", layer)), "=", rhs)


def explicit(d: Derivation) -> None:
    for depth in range(1, MAX_DEPTH + 1):
        for layer in range(1, depth + 1):
            name = f"D = {depth}, i = {layer}"
            if depth <= SHOWN_DEPTH:
                claim = d.claim(
                    formula(depth, layer, True),
                    seconds=60,
                    why=Text(
                        en=name + ": SymPy's derivative of the written-out network",
                        zh=name + "：对完整写出的网络用 SymPy 求导",
                    ),
                )
                d.conclude(name, claim.theorem)
            else:
                d.conclude(name, decide(formula(depth, layer, False), seconds=60).theorem)


# --- (b) any depth: the network as a recursive definition, then induction ---------------------

weight, bias = (
    sp.Function("w"),
    sp.Function("b"),
)  #: w(k) = w⁽ᵏ⁾, b(k) = b⁽ᵏ⁾: the layers' parameters, unspecified
_previous = sp.Symbol("v", real=True)  #: stands for Y(n, …) in the recursion step
ARGS = (i, theta, y_in)


def define_network() -> tuple[Theorem, Theorem]:
    """Y(n, i, w⁽ⁱ⁾, y⁽ⁱ⁻¹⁾) = y⁽ⁱ⁺ⁿ⁾, the output n layers above layer i, as a function of w⁽ⁱ⁾.

    Y(0, …) = σ(w⁽ⁱ⁾y⁽ⁱ⁻¹⁾ + b(i)) is layer i itself; Y(n + 1, …) = σ(w(i+n+1)·Y(n, …) + b(i+n+1))
    stacks one more layer.  The kernel returns the two equations as theorems, the second under 0 ≤ n.
    """
    top = i + n + 1
    return kernel.define_recursive(
        "Y",
        0,
        n,
        ARGS,
        sigma(theta * y_in + bias(i)),
        sigma(weight(top) * _previous + bias(top)),
        _previous,
    )


def Y(m: sp.Expr) -> sp.Expr:
    """y⁽ⁱ⁺ᵐ⁾ = Y(m, i, w⁽ⁱ⁾, y⁽ⁱ⁻¹⁾)."""
    return sp.Function("Y")(m, *ARGS)


def pre_activation(layer: sp.Expr) -> sp.Expr:
    """u⁽ᵏ⁾ = w(k)·y⁽ᵏ⁻¹⁾ + b(k) for a layer k > i, with y⁽ᵏ⁻¹⁾ = Y(k − 1 − i, …)."""
    return weight(layer) * Y(layer - 1 - i) + bias(layer)


def product_above(m: sp.Expr) -> sp.Product:
    """∏_{k=i+1}^{i+m} w(k) σ'(u⁽ᵏ⁾): the factors of the m layers above i."""
    return sp.Product(weight(k) * sigma_prime(pre_activation(k)), (k, i + 1, i + m))


FIRST = y_in * sigma_prime(theta * y_in + bias(i))  #: ∂y⁽ⁱ⁾/∂w⁽ⁱ⁾ = y⁽ⁱ⁻¹⁾σ'(u⁽ⁱ⁾)


def claim(m: sp.Expr) -> Prop:
    """∂y⁽ⁱ⁺ᵐ⁾/∂w⁽ⁱ⁾ = y⁽ⁱ⁻¹⁾σ'(u⁽ⁱ⁾) ∏_{k=i+1}^{i+m} w(k)σ'(u⁽ᵏ⁾)."""
    return Prop(sp.Derivative(Y(m), theta), "=", FIRST * product_above(m))


def base_case() -> Theorem:
    """n = 0: Y(0, …) is layer i alone, differentiated once; the product above i is empty, = 1."""
    first, _following = define_network()
    inside = kernel.congruence(first, sp.Derivative(HOLE, theta), HOLE)
    one_layer = proved(Prop(inside.prop.rhs, "=", FIRST))
    empty = kernel.congruence(kernel.product_empty(product_above(0)), FIRST * HOLE, HOLE)
    return kernel.chain(kernel.chain(inside, one_layer), kernel.symmetry(empty))


def step_case() -> Theorem:
    """claim(n) and the definition of Y(n + 1, …) give claim(n + 1), under 0 ≤ n."""
    top = i + n + 1
    _first, following = define_network()
    inside = kernel.congruence(following, sp.Derivative(HOLE, theta), HOLE)
    outer = proved(
        Prop(
            inside.prop.rhs,
            "=",
            weight(top) * sigma_prime(pre_activation(top)) * sp.Derivative(Y(n), theta),
        )
    )
    hypothesis = kernel.congruence(
        kernel.assume(claim(n)), weight(top) * sigma_prime(pre_activation(top)) * HOLE, HOLE
    )
    peel = kernel.congruence(kernel.product_peel(product_above(n + 1)), FIRST * HOLE, HOLE)
    return kernel.chain(
        kernel.chain(kernel.chain(inside, outer), hypothesis), kernel.symmetry(peel)
    )


def general_depth(d: Derivation) -> Theorem:
    """The induction over n, and its instance n = D − i: the formula for every depth D ≥ i."""
    d.define(
        Y(0),
        sigma(theta * y_in + bias(i)),
        Text(
            en="layer i: its output as a function of its own weight w⁽ⁱ⁾ (input y⁽ⁱ⁻¹⁾, bias b(i))",
            zh="第 i 层：它的输出作为自身权重 w⁽ⁱ⁾ 的函数（输入 y⁽ⁱ⁻¹⁾，偏置 b(i)）",
        ),
    )
    d.define(
        Y(n + 1),
        sigma(pre_activation(i + n + 1)),
        Text(
            en="one more layer on top, for every n ≥ 0; w(k), b(k) are the weight and bias of layer k",
            zh="在上面再加一层，对每个 n ≥ 0；w(k)、b(k) 是第 k 层的权重与偏置",
        ),
    )
    base, step = base_case(), step_case()
    d.fact(
        base,
        why=Text(
            en="base case n = 0: differentiate the one layer; the product above i "
            "(k from i + 1 to i) is empty, so it is 1",
            zh="基础情形 n = 0：对这一层求导；i 以上的乘积（k 从 i + 1 到 i）为空积，等于 1",
        ),
    )
    d.fact(
        step,
        why=Text(
            en="step n → n + 1 (for n ≥ 0): write Y(n + 1) by its definition, differentiate the outer sigmoid "
            "(chain rule, SymPy's derivative), use the formula for n (the induction hypothesis), and peel the "
            "last factor off ∏",
            zh="归纳步 n → n + 1（n ≥ 0）：按定义写出 Y(n + 1)，对外层 sigmoid 求导（链式法则，SymPy 求导），"
            "代入 n 时的公式（归纳假设），再从 ∏ 中剥出最后一个因子",
        ),
    )
    every_n = kernel.induction(claim(n), n, 0, base, step)
    d.fact(
        every_n,
        why=Text(
            en="induction on n: the formula holds for every n ≥ 0",
            zh="对 n 归纳：公式对每个 n ≥ 0 成立",
        ),
    )
    by_depth = kernel.instantiate(every_n, n, D - i)
    d.fact(
        by_depth,
        why=Text(
            en="the depth D = i + n: the instance n = D − i, for every D ≥ i",
            zh="深度 D = i + n：取 n = D − i，对每个 D ≥ i 成立",
        ),
    )
    d.conclude("general depth: base case", base)
    d.conclude("general depth: inductive step", step)
    d.conclude("general depth: every n >= 0, by induction", every_n)
    d.conclude("general depth: dy(D)/dw(i) for every D >= i", by_depth)
    return by_depth


def derive() -> Derivation:
    d = Derivation(
        "chain-rule-depth",
        "Q3.3",
        Text(en="The chain rule through D sigmoid layers", zh="穿过 D 个 sigmoid 层的链式法则"),
    )
    d.say(
        en="Consider a chain of sigmoid layers y⁽ᵏ⁾ = σ(u⁽ᵏ⁾) with pre-activations u⁽ᵏ⁾ = w⁽ᵏ⁾y⁽ᵏ⁻¹⁾ + b⁽ᵏ⁾ "
        "(k = 1, …, D; one unit per layer, so every quantity is a scalar). A weight w⁽ⁱ⁾ acts on the output "
        "y⁽ᴰ⁾ only through the layers i, i + 1, …, D, and the chain rule multiplies one local derivative per "
        "layer: ∂y⁽ⁱ⁾/∂w⁽ⁱ⁾ = y⁽ⁱ⁻¹⁾σ'(u⁽ⁱ⁾), then ∂y⁽ᵏ⁾/∂y⁽ᵏ⁻¹⁾ = w⁽ᵏ⁾σ'(u⁽ᵏ⁾) for each layer above. So "
        "∂y⁽ᴰ⁾/∂w⁽ⁱ⁾ = y⁽ⁱ⁻¹⁾σ'(u⁽ⁱ⁾) ∏ₖ₌ᵢ₊₁ᴰ w⁽ᵏ⁾σ'(u⁽ᵏ⁾), a product with D − i + 1 sigmoid slopes.",
        zh="考虑 sigmoid 层链 y⁽ᵏ⁾ = σ(u⁽ᵏ⁾)，预激活 u⁽ᵏ⁾ = w⁽ᵏ⁾y⁽ᵏ⁻¹⁾ + b⁽ᵏ⁾（k = 1, …, D；每层一个单元，"
        "所以各量都是标量）。权重 w⁽ⁱ⁾ 只通过第 i, i + 1, …, D 层影响输出 y⁽ᴰ⁾，链式法则对每层乘上一个局部导数："
        "∂y⁽ⁱ⁾/∂w⁽ⁱ⁾ = y⁽ⁱ⁻¹⁾σ'(u⁽ⁱ⁾)，其上每层 ∂y⁽ᵏ⁾/∂y⁽ᵏ⁻¹⁾ = w⁽ᵏ⁾σ'(u⁽ᵏ⁾)。于是 "
        "∂y⁽ᴰ⁾/∂w⁽ⁱ⁾ = y⁽ⁱ⁻¹⁾σ'(u⁽ⁱ⁾) ∏ₖ₌ᵢ₊₁ᴰ w⁽ᵏ⁾σ'(u⁽ᵏ⁾)，其中含 D − i + 1 个 sigmoid 斜率。",
    )
    d.say(
        en=f"(a) Explicit depths. Written out, the network is a nested expression, and the kernel compares the "
        f"formula with SymPy's derivative of it. The depths D ≤ {SHOWN_DEPTH} are shown; every pair "
        f"1 ≤ i ≤ D ≤ {MAX_DEPTH} (36 checks) is verified the same way and recorded in the proof log.",
        zh=f"(a) 具体深度。完整写出时网络是嵌套表达式，内核把公式与 SymPy 对它的求导结果比较。下面列出 "
        f"D ≤ {SHOWN_DEPTH} 的情形；所有 1 ≤ i ≤ D ≤ {MAX_DEPTH}（共 36 个）都以同样方式验证并记入证明日志。",
    )
    explicit(d)
    d.say(
        en="(b) Any depth, by induction on the number n = D − i of layers above i. The network is defined "
        "recursively, so that its definition is a theorem rather than an assumption: Y(n, i, w⁽ⁱ⁾, y⁽ⁱ⁻¹⁾) "
        "is the output y⁽ⁱ⁺ⁿ⁾ of the layer n above i, seen as a function of the weight w⁽ⁱ⁾ (the input "
        "y⁽ⁱ⁻¹⁾ of layer i does not depend on it). The layers above i have weights w(k) = w⁽ᵏ⁾ and biases "
        "b(k) = b⁽ᵏ⁾, arbitrary; their pre-activations are u⁽ᵏ⁾ = w(k)·Y(k − 1 − i, …) + b(k).",
        zh="(b) 任意深度：对第 i 层以上的层数 n = D − i 归纳。网络用递归定义给出，因此它的定义是定理而不是假设："
        "Y(n, i, w⁽ⁱ⁾, y⁽ⁱ⁻¹⁾) 是第 i 层往上第 n 层的输出 y⁽ⁱ⁺ⁿ⁾，看作权重 w⁽ⁱ⁾ 的函数（第 i 层的输入 "
        "y⁽ⁱ⁻¹⁾ 与它无关）。i 以上各层的权重 w(k) = w⁽ᵏ⁾、偏置 b(k) = b⁽ᵏ⁾ 任意；它们的预激活为 "
        "u⁽ᵏ⁾ = w(k)·Y(k − 1 − i, …) + b(k)。",
    )
    general_depth(d)
    d.say(
        en="So for every depth D ≥ i, ∂y⁽ᴰ⁾/∂w⁽ⁱ⁾ = y⁽ⁱ⁻¹⁾σ'(u⁽ⁱ⁾) ∏ₖ₌ᵢ₊₁ᴰ w⁽ᵏ⁾σ'(u⁽ᵏ⁾), one theorem whose "
        "only assumption is i ≤ D; the explicit depths in (a) check the same formula independently, on the "
        "written-out network. "
        "The gradient carries the D − i + 1 slopes σ'(u⁽ᵏ⁾) ≤ 1/4 that vanishing-gradient-bound multiplies "
        "out.",
        zh="所以对每个深度 D ≥ i，∂y⁽ᴰ⁾/∂w⁽ⁱ⁾ = y⁽ⁱ⁻¹⁾σ'(u⁽ⁱ⁾) ∏ₖ₌ᵢ₊₁ᴰ w⁽ᵏ⁾σ'(u⁽ᵏ⁾)，这是一个定理，唯一的假设是 "
        "i ≤ D；(a) 中的具体深度在完整写出的网络上独立验证了同一个公式。梯度带有 D − i + 1 个斜率 σ'(u⁽ᵏ⁾) ≤ 1/4，"
        "vanishing-gradient-bound 把它们乘起来估计。",
    )
    return d
