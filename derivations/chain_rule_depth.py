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

from derivations.common import product_as_written, proved, sum_as_written
from derivations.deep_chain import HOLE, D, i, k, n
from proofsheet import kernel
from proofsheet.kernel import Prop, Theorem
from proofsheet.kernel.notation import sigma, sigma_prime
from proofsheet.search.decide import decide
from proofsheet.sheet.derivation import Derivation, Text

MAX_DEPTH, SHOWN_DEPTH = 8, 3
#: single letters the prose names, printed as math
LETTERS = {"i": i, "k": k, "D": D, "L": sp.Symbol("L")}
theta = sp.Symbol("w^{(i)}", real=True)  #: the weight we differentiate by
y_in = sp.Symbol("y^{(i-1)}", real=True)  #: the layer's input, independent of w⁽ⁱ⁾


def layer_symbol(letter: str, layer: int | str) -> sp.Symbol:
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
                where = {
                    "depth": sp.Eq(D, depth, evaluate=False),
                    "layer": sp.Eq(i, layer, evaluate=False),
                }
                claim = d.claim(
                    formula(depth, layer, True),
                    seconds=60,
                    why=Text(
                        en="{depth}, {layer}: the derivative of the written-out network",
                        zh="{depth}，{layer}：对完整写出的网络直接求导",
                        math=where,
                    ),
                )
                d.conclude(name, claim.theorem)
            else:
                d.conclude(
                    name, decide(formula(depth, layer, False), seconds=60, proof_first=True).theorem
                )


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
            en="layer i: its output as a function of its own weight {w} (input {y}, bias {b})",
            zh="第 i 层：它的输出作为自身权重 {w} 的函数（输入 {y}，偏置 {b}）",
            math={"w": theta, "y": y_in, "b": bias(i)},
        ),
    )
    d.define(
        Y(n + 1),
        sigma(pre_activation(i + n + 1)),
        Text(
            en="one more layer on top, for every {n}; {w} and {b} are the weight and bias of "
            "layer k",
            zh="在上面再加一层，对每个 {n}；{w} 与 {b} 是第 k 层的权重与偏置",
            math={"n": sp.Ge(n, 0), "w": weight(k), "b": bias(k)},
        ),
    )
    base, step = base_case(), step_case()
    d.fact(
        base,
        why=Text(
            en="base case {n}: differentiate the one layer; the product from {low} up to {i} "
            "is empty, so it is 1",
            zh="基础情形 {n}：对这一层求导；从 {low} 到 {i} 的乘积为空积，等于 1",
            math={"n": sp.Eq(n, 0, evaluate=False), "low": sum_as_written(i, 1), "i": i},
        ),
    )
    d.fact(
        step,
        why=Text(
            en="step from n to {next} (for {n}): write {outer} by its definition, differentiate "
            "the outer sigmoid (chain rule), use the formula for n (the induction hypothesis), "
            "and peel the last factor off the product",
            zh="归纳步，从 n 到 {next}（{n}）：按定义写出 {outer}，对外层 sigmoid 求导（链式法则），"
            "代入 n 时的公式（归纳假设），再从乘积中剥出最后一个因子",
            math={"next": n + 1, "n": sp.Ge(n, 0), "outer": Y(n + 1)},
        ),
    )
    every_n = kernel.induction(claim(n), n, 0, base, step)
    d.fact(
        every_n,
        why=Text(
            en="induction on n: the formula holds for every {n}",
            zh="对 n 归纳：公式对每个 {n} 成立",
            math={"n": sp.Ge(n, 0)},
        ),
    )
    by_depth = kernel.instantiate(every_n, n, D - i)
    d.conclude("general depth: base case", base)
    d.conclude("general depth: inductive step", step)
    d.conclude("general depth: every n >= 0, by induction", every_n)
    return kernel.discharge(by_depth, proved(Prop(0, "<=", D - i), Prop(i, "<=", D)))


def abbreviations(d: Derivation) -> None:
    """Show the general network in the layers' notation: y⁽ᴰ⁾, u⁽ⁱ⁾, u⁽ᵏ⁾, w⁽ᵏ⁾."""
    d.abbreviate(layer_symbol("y", "D"), Y(D - i))
    d.abbreviate(layer_symbol("u", "i"), theta * y_in + bias(i))
    d.abbreviate(layer_symbol("u", "k"), pre_activation(k))
    d.abbreviate(layer_symbol("w", "k"), weight(k))
    d.abbreviate(layer_symbol("b", "k"), bias(k))


#: ∂y⁽ᴰ⁾/∂w⁽ⁱ⁾ as a person writes it: the factors in the layers' order, k from i + 1
AS_WRITTEN = product_as_written(
    y_in,
    sigma_prime(theta * y_in + bias(i)),
    sp.Product(
        product_as_written(weight(k), sigma_prime(pre_activation(k))), (k, sum_as_written(i, 1), D)
    ),
)


def depth_answer(d: Derivation, by_depth: Theorem) -> Theorem | None:
    """The hand-out's display: ∂y⁽ᴰ⁾/∂w⁽ⁱ⁾ for every depth D ≥ i, as one brief chain."""
    with d.answer(brief=True):
        d.say(
            en="By induction on the number of layers above layer {i}:",
            zh="对第 {i} 层以上的层数归纳，得：",
            **LETTERS,
        )
        c = d.chain(by_depth.prop.lhs, assumptions=(Prop(i, "<=", D),))
        c.eq(
            by_depth.prop.rhs,
            by=by_depth,
            why=Text(
                en="the formula for every {n}, at {depth}; it needs {order}",
                zh="对每个 {n} 成立的公式，取 {depth}；要求 {order}",
                math={
                    "n": sp.Ge(n, 0),
                    "depth": sp.Eq(n, D - i, evaluate=False),
                    "order": sp.Le(i, D),
                },
            ),
        )
        c.eq(
            AS_WRITTEN,
            why=Text(
                en="the same factors, in the order of the layers",
                zh="同样的因子，按层的顺序排列",
            ),
        )
    return c.theorem


def derive() -> Derivation:
    d = Derivation(
        "chain-rule-depth",
        "Q3.3",
        Text(
            en="The chain rule through {D} sigmoid layers",
            zh="穿过 {D} 个 sigmoid 层的链式法则",
            math={"D": D},
        ),
    )
    y, u, w = (layer_symbol(letter, "k") for letter in "yuw")
    with d.answer():
        d.say(
            en="Take one unit per layer, {layer} with {pre} for {k} = 1, …, {D}, and the loss {L} "
            "of the output {out}. The weight {wi} reaches the output only through the layers "
            "{i}, …, {D}, so {loss}, and the chain rule multiplies one local derivative per layer: "
            "{first} for layer {i}, then {step} for each layer above it.",
            zh="每层取一个单元：{layer}，其中 {pre}，{k} 从 1 到 {D}；损失 {L} 是输出 {out} 的函数。"
            "权重 {wi} 只通过第 {i} 至 {D} 层影响输出，所以 {loss}；链式法则对每层乘上一个局部导数："
            "第 {i} 层是 {first}，其上每层是 {step}。",
            **LETTERS,
            layer=sp.Eq(y, sigma(u), evaluate=False),
            pre=sp.Eq(
                u,
                sum_as_written(w * layer_symbol("y", "k-1"), layer_symbol("b", "k")),
                evaluate=False,
            ),
            out=layer_symbol("y", "D"),
            wi=theta,
            loss=sp.Eq(
                sp.Derivative(sp.Symbol("L"), theta),
                product_as_written(
                    sp.Derivative(sp.Symbol("L"), layer_symbol("y", "D")),
                    sp.Derivative(layer_symbol("y", "D"), theta),
                ),
                evaluate=False,
            ),
            first=sp.Eq(
                sp.Derivative(layer_symbol("y", "i"), theta),
                product_as_written(y_in, sigma_prime(layer_symbol("u", "i"))),
                evaluate=False,
            ),
            step=sp.Eq(
                sp.Derivative(y, layer_symbol("y", "k-1")),
                product_as_written(w, sigma_prime(u)),
                evaluate=False,
            ),
        )
    d.say(
        en="(a) Explicit depths. Written out, the network is a nested expression, and the kernel "
        "compares the formula with the derivative of it. The depths {shown} are shown; every depth "
        "{depth} and layer {layer} (36 checks) is verified the same way and recorded in the proof "
        "log.",
        zh="(a) 具体深度。完整写出时网络是嵌套表达式，内核把公式与它的导数比较。下面列出 {shown} 的情形；"
        "所有深度 {depth} 与层 {layer}（共 36 个）都以同样方式验证并记入证明日志。",
        shown=sp.Le(D, SHOWN_DEPTH),
        depth=sp.Le(D, MAX_DEPTH),
        layer=sp.Le(i, D),
    )
    explicit(d)
    d.say(
        en="(b) Any depth, by induction on the number {n} of layers above {i}. The network is "
        "defined recursively, so that its definition is a theorem rather than an assumption: "
        "{Y} is the output {out} of the layer {m} above {i}, seen as a function of the weight "
        "{wi} (the input {yin} of layer {i} does not depend on it). The layers above {i} have "
        "arbitrary weights {w} and biases {b}; the sheet writes {uk} for their pre-activations.",
        zh="(b) 任意深度：对第 {i} 层以上的层数 {n} 归纳。网络用递归定义给出，因此它的定义是定理而不是"
        "假设：{Y} 是第 {i} 层往上第 {m} 层的输出 {out}，看作权重 {wi} 的函数（第 {i} 层的输入 {yin} "
        "与它无关）。第 {i} 层以上各层的权重 {w}、偏置 {b} 任意；它们的预激活记作 {uk}。",
        i=i,
        m=n,
        n=sp.Eq(n, D - i, evaluate=False),
        Y=Y(n),
        out=layer_symbol("y", "i+n"),
        wi=theta,
        yin=y_in,
        w=weight(k),
        b=bias(k),
        uk=u,
    )
    abbreviations(d)
    by_depth = general_depth(d)
    d.conclude("general depth: dy(D)/dw(i) for every D >= i", by_depth)
    d.conclude("general depth, in the layers' order", depth_answer(d, by_depth))
    with d.answer():
        d.say(
            en="The product holds one slope for each of the layers {i}, …, {D}: {count} factors "
            "{slope}.",
            zh="乘积中第 {i} 至 {D} 层各有一个斜率：共 {count} 个因子 {slope}。",
            **LETTERS,
            count=sum_as_written(D, -i, 1),
            slope=sigma_prime(u),
        )
    return d
