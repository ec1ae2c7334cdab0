"""Q2.1 — why the weights must not all start equal: equal hidden units stay equal for ever.

On the 2–3–1 network of :mod:`derivations.network`: if the three hidden units
start with the same incoming weights, bias and outgoing weight (all zero is
one case), they compute the same activation, receive the same gradient, and a
gradient step W ← W − η∇L leaves them equal again.  The gradients are SymPy's
derivatives of the written-out loss, checked entry by entry by the kernel.

"For ever" is a kernel induction over the step count t.  The training
sequence is defined by one simultaneous recursion
(``kernel.define_simultaneous``), one function
of t per parameter of the network (13 of them), each named like the
parameter and taking the data and the initial values as further arguments:
p(0) is p's initial value, and p(t + 1) = p(t) − η·∂L/∂p evaluated at the
parameters' values at t.  The 13 definitions are one simultaneous
recursion: each right side reads the other parameters only at the previous
step t, never at t + 1, so they define exactly one sequence (the kernel
checks this).  The claim for unit j is one
matrix equation, (w1_1j, w1_2j, b1_j, w2_j)(t) = (w1_11, w1_21, b1_1, w2_1)(t);
the step uses the hypothesis claim(t) inside the update through congruence,
with a context that reads the parameters out of the matrix by their index.
"""

from __future__ import annotations

import sympy as sp

from derivations.common import product_as_written, proved, sum_as_written, y
from derivations.network import Network, network, shown
from proofsheet import kernel
from proofsheet.kernel import Prop, Theorem
from proofsheet.kernel.notation import sigma, sigma_prime
from proofsheet.sheet.derivation import Derivation, Text

NET = network()
a1, a2, c, v = sp.symbols(
    "a_1 a_2 c v", real=True
)  #: the shared incoming weights, bias, outgoing weight
eta = sp.Symbol("eta", positive=True)
BLOCKS = (("W_1", NET.W1), ("b_1", NET.b1), ("W_2", NET.W2))
_HOLE = sp.Symbol("h", real=True)


def symmetric(net: Network, shared: tuple[sp.Expr, sp.Expr, sp.Expr, sp.Expr]) -> dict:
    """Every hidden unit j gets the same (w1_1j, w1_2j, b1_j, w2_j) = shared."""
    values, shared = {}, tuple(sp.sympify(e) for e in shared)
    for j in range(net.W1.cols):
        values.update(
            {
                net.W1[0, j]: shared[0],
                net.W1[1, j]: shared[1],
                net.b1[j]: shared[2],
                net.W2[j]: shared[3],
            }
        )
    return values


def gradient(net: Network, block: sp.MatrixBase) -> sp.ImmutableMatrix:
    """∂L/∂block: SymPy's derivative of the written-out loss, entry by entry."""
    loss = net.loss(y)
    return block.applyfunc(lambda p: sp.diff(loss, p))


def same_entries(lhs: sp.MatrixBase, rhs: sp.MatrixBase) -> Theorem:
    """lhs = rhs entry by entry; an entry that repeats an earlier one reuses its theorem."""
    done: dict[Prop, Theorem] = {}
    for l, r in zip(lhs, rhs):
        prop = Prop(l, "=", r)
        if prop not in done:
            done[prop] = proved(prop)
    return kernel.entrywise(lhs, rhs, tuple(done[Prop(l, "=", r)] for l, r in zip(lhs, rhs)))


def activations(d: Derivation) -> Theorem | None:
    """σ(z_2) = σ(z_1) when unit 2's incoming weights and bias equal unit 1's, by equals for equals."""
    pairs = [(NET.W1[0, 1], NET.W1[0, 0]), (NET.W1[1, 1], NET.W1[1, 0]), (NET.b1[1], NET.b1[0])]
    hypotheses = tuple(Prop(two, "=", one) for two, one in pairs)
    words = (
        ("weight from x1", "来自 x1 的权重"),
        ("weight from x2", "来自 x2 的权重"),
        ("bias", "偏置"),
    )
    c_ = d.chain(NET.A1[1], hypotheses)
    for (two, _one), hypothesis, (en, zh) in zip(pairs, hypotheses, words):
        step = kernel.congruence(kernel.assume(hypothesis), c_.last.xreplace({two: _HOLE}), _HOLE)
        c_.eq(
            step.prop.rhs,
            by=step,
            why=Text(en=f"unit 2's {en} equals unit 1's", zh=f"单元 2 的{zh}等于单元 1 的"),
        )
    return c_.theorem


# --- for ever: the training sequence by recursion, and induction over the step count t -------------

t = sp.Symbol("t", integer=True)  #: the number of gradient steps taken
b0 = sp.Symbol("b", real=True)  #: the output bias at t = 0
PARAMETERS = (*NET.W1, *NET.b1, *NET.W2, *NET.b2)
ARGS = (*NET.x, y, eta, a1, a2, c, v, b0)  #: what the training sequence depends on besides t
_now = sp.Symbol("p", real=True)  #: a parameter's own value at t, in its recursion step


def trained(parameter: sp.Symbol, step: sp.Expr) -> sp.Expr:
    """The parameter's value after ``step`` gradient steps: a function named like it."""
    return sp.Function(parameter.name)(step, *ARGS)


def unit(j: int) -> tuple[sp.Symbol, ...]:
    """Hidden unit j's parameters (0-based): its two incoming weights, its bias, its outgoing weight."""
    return NET.W1[0, j], NET.W1[1, j], NET.b1[j], NET.W2[j]


def define_training() -> dict[sp.Symbol, tuple[Theorem, Theorem]]:
    """p(0) = the symmetric start, p(t + 1) = p(t) − η·∂L/∂p(θ(t)), for each of the 13 parameters."""
    start = symmetric(NET, (a1, a2, c, v)) | {NET.b2[0]: b0}
    loss, at_t = NET.loss(y), {p: trained(p, t) for p in PARAMETERS}
    updates = tuple((p - eta * sp.diff(loss, p)).xreplace({**at_t, p: _now}) for p in PARAMETERS)
    equations = kernel.define_simultaneous(
        tuple(p.name for p in PARAMETERS),
        0,
        t,
        ARGS,
        tuple(start[p] for p in PARAMETERS),
        updates,
        _now,
    )
    return {p: equations[p.name] for p in PARAMETERS}


def same_unit(j: int, step: sp.Expr) -> Prop:
    """claim(t) for unit j: its four parameters after ``step`` steps equal unit 1's."""
    return Prop(
        sp.ImmutableMatrix([trained(p, step) for p in unit(j)]),
        "=",
        sp.ImmutableMatrix([trained(p, step) for p in unit(0)]),
    )


def stays_equal(j: int) -> tuple[Theorem, Theorem, Theorem]:
    """Base case, step and induction: unit j's parameters equal unit 1's after every number of steps."""
    definitions = define_training()
    base = kernel.entrywise(
        *_sides(same_unit(j, 0)),
        tuple(
            kernel.chain(definitions[p][0], kernel.symmetry(definitions[q][0]))
            for p, q in zip(unit(j), unit(0))
        ),
    )
    hypothesis = kernel.assume(same_unit(j, t))
    # a context that reads unit j's parameters at t out of the hypothesis' matrix: C[unit j] = the update,
    # C[unit 1] = the same update with unit j's values replaced by unit 1's
    read = {trained(p, t): sp.Indexed(_HOLE, row) for row, p in enumerate(unit(j))}
    entries = []
    for p, q in zip(unit(j), unit(0)):
        mine, ones = definitions[p][1], definitions[q][1]  # p(t + 1) = …, q(t + 1) = …
        mine_equal = kernel.congruence(hypothesis, mine.prop.rhs.xreplace(read), _HOLE)
        ones_equal = kernel.congruence(hypothesis, ones.prop.rhs.xreplace(read), _HOLE)
        entries.append(
            kernel.chain(
                kernel.chain(kernel.chain(mine, mine_equal), kernel.symmetry(ones_equal)),
                kernel.symmetry(ones),
            )
        )
    step = kernel.entrywise(*_sides(same_unit(j, t + 1)), tuple(entries))
    return base, step, kernel.induction(same_unit(j, t), t, 0, base, step)


def _sides(prop: Prop) -> tuple[sp.Basic, sp.Basic]:
    return prop.lhs, prop.rhs


def for_ever(d: Derivation) -> None:
    theta, grad = sp.Function(r"\theta"), sp.Function(r"\nabla L")
    d.say(
        en="Now the training sequence itself. Write p(t) for a parameter's value after t gradient steps; every "
        "parameter of the network, including unit 3's and the output bias, is a function of t defined by "
        "recursion, so its definition is a theorem of the kernel:",
        zh="现在来看训练序列本身。记 p(t) 为某个参数在 t 步梯度下降之后的值；网络的每个参数（包括单元 3 的参数和输出"
        "偏置）都是 t 的函数，用递归定义，所以它的定义是内核中的定理：",
    )
    d.define(
        theta(0),
        sp.Symbol(r"\theta_{0}"),
        Text(
            en="the start: every hidden unit has incoming weights a1, a2, bias c and outgoing weight v; the output "
            "bias is b",
            zh="起点：每个隐藏单元的输入权重为 a1、a2，偏置为 c，输出权重为 v；输出偏置为 b",
        ),
    )
    d.define(
        theta(t + 1),
        sum_as_written(theta(t), -eta * grad(theta(t))),
        Text(
            en="one step, for every t ≥ 0: each parameter p moves by −η·∂L/∂p, evaluated at all the parameters' "
            "values at t. Each p(t) also takes the data and the start as arguments: p(t, x1, x2, y, η, a1, a2, c, "
            "v, b)",
            zh="一步，对每个 t ≥ 0：每个参数 p 移动 −η·∂L/∂p，在所有参数第 t 步的值处求值。每个 p(t) 还以数据和起点为"
            "参数：p(t, x1, x2, y, η, a1, a2, c, v, b)",
        ),
    )
    d.say(
        en="Claim(t): unit 2's four parameters after t steps equal unit 1's, one matrix equation. Induction "
        "on t. Base case: both are the start. Step: by definition, unit 2's parameters at t + 1 are an "
        "update expression in the values at t; replacing unit 2's values at t by unit 1's (equals for "
        "equals, by the hypothesis claim(t)) turns it into exactly the expression that unit 1's update "
        "becomes under the same replacement, because a unit's update depends on the other units only "
        "through the shared output error. Nothing about unit 3 or the output layer is assumed: they are "
        "whatever training makes them.",
        zh="命题(t)：t 步之后单元 2 的四个参数等于单元 1 的，写成一个矩阵等式。对 t 归纳。基础情形：两者都是起点。"
        "归纳步：按定义，单元 2 在 t + 1 步的参数是第 t 步各值的一个更新表达式；把其中单元 2 在第 t 步的值换成"
        "单元 1 的（由归纳假设命题(t)，等量代换），它就恰好变成单元 1 的更新式在同样代换下的结果，因为一个单元"
        "的更新只通过共同的输出误差依赖其他单元。对单元 3 和输出层不作任何假设：它们是训练给出的任何值。",
    )
    for j in (1, 2):
        base, step, every_t = stays_equal(j)
        number = j + 1
        if j == 1:
            d.fact(
                base,
                why=Text(
                    en="base case t = 0: both units start at (a1, a2, c, v)",
                    zh="基础情形 t = 0：两个单元都从 (a1, a2, c, v) 出发",
                ),
            )
            d.fact(
                step,
                why=Text(
                    en="step t → t + 1: the four update equations, with claim(t) substituted "
                    "inside them",
                    zh="归纳步 t → t + 1：四个更新等式，其中代入了命题(t)",
                ),
            )
        d.fact(
            every_t,
            why=Text(
                en=f"induction on t: unit {number} equals unit 1 after every number t ≥ 0 of steps",
                zh=f"对 t 归纳：任意 t ≥ 0 步之后，单元 {number} 都等于单元 1",
            ),
        )
        d.conclude(f"unit {number} = unit 1 after every step t >= 0 (induction)", every_t)
    d.say(
        en="So the hidden units are identical after every number of steps, whatever the data, the learning "
        "rate and the common starting values.",
        zh="所以无论数据、学习率和共同的初始值如何，任意多步之后各隐藏单元都完全相同。",
    )


def derive() -> Derivation:
    d = Derivation(
        "init-symmetry",
        "Q2.1",
        Text(
            en="Initialisation: why the weights may be neither all zero nor all equal",
            zh="初始化：为什么参数既不能全为 0，也不能全取同一个值",
        ),
    )
    d.say(
        en="May all parameters start at 0? No. At one other common value? No either. If every hidden unit "
        "starts with the same incoming weights, the same bias and the same "
        "outgoing weight — all zero is the special case — the units compute the same thing, get the same "
        "gradient, and every gradient step keeps them identical. They never become different, so the "
        "hidden layer of three units behaves like a single unit. We prove this for the Q1 network. "
        "First, units with equal incoming weights have equal activations:",
        zh="参数能否全部初始化为 0？不能。能否全部初始化为另一个相同的值？也不能。如果每个隐藏单元的输入权重、偏置和输出权重都相同（全为 0 是特例），这些单元计算的"
        "就是同一个量，得到同样的梯度，每一步梯度下降后仍然完全相同。它们永远不会变得不同，于是三个隐藏"
        "单元的隐藏层就像只有一个单元。下面对 Q1 的网络给出证明。首先，输入权重相同的单元激活值相同：",
    )
    same_activation = activations(d)
    d.conclude("equal incoming weights => equal activations", same_activation)
    state = symmetric(NET, (a1, a2, c, v))
    for name, block in BLOCKS:
        d.define(shown(name, block), block.xreplace(state))
    z = NET.Z1[0].xreplace(state)
    out = NET.Z2[0].xreplace(state)
    delta = product_as_written(sigma(out) - y, v, sigma_prime(z))
    d.say(
        en="Take any such symmetric state, as above (a1, a2, c, v arbitrary). Every unit has the same "
        "pre-activation z = a1x1 + a2x2 + c, the output is z2 = 3vσ(z) + b2, and differentiating the "
        "written-out loss gives, for unit j = 1 (left: SymPy's derivative at the symmetric state):",
        zh="任取一个这样的对称状态（a1、a2、c、v 任意）。每个单元的输入都是 z = a1x1 + a2x2 + c，输出层的输入"
        "是 z2 = 3vσ(z) + b2。对完整写出的损失求导，单元 j = 1 的结果为（左边：SymPy 的导数在对称状态处的值）：",
    )
    compact = {
        "W_1": lambda i, j: NET.x[i] * delta,
        "b_1": lambda i, j: delta,
        "W_2": lambda i, j: sigma(z) * (sigma(out) - y),
    }
    full = {}
    for name, block in BLOCKS:
        grads = gradient(NET, block).xreplace(state)
        target = sp.ImmutableMatrix(*grads.shape, lambda i, j: compact[name](i, j))  # noqa: B023 - evaluated at once
        full[name] = same_entries(grads, target)
        chain = d.chain(grads[0])
        chain.eq(
            target[0],
            by=full[name].premises[0],
            why=Text(
                en=f"∂L/∂{name.replace('_', '')}, first entry; the other units' entries are the very same expression",
                zh=f"∂L/∂{name.replace('_', '')} 的第一个分量；其他单元的分量是完全相同的表达式",
            ),
        )
    d.say(
        en="The gradient depends on the unit only through its own z_j and outgoing weight, which are shared, "
        "so all three columns of ∂L/∂W1, all entries of ∂L/∂b1 and of ∂L/∂W2 coincide (checked entry "
        "by entry). So one step W ← W − η∇L gives (checked entry by entry on the full expressions; shown here "
        "with shorthand)",
        zh="梯度只通过单元自己的 z_j 和输出权重依赖于该单元，而这些是共同的，所以 ∂L/∂W1 的三列、∂L/∂b1 和 "
        "∂L/∂W2 的各分量都相同（已逐元素验证）。于是一步 W ← W − η∇L 得到（内核对完整表达式逐元素验证；这里用简写）",
    )
    invariant = []
    for name, block in BLOCKS:
        before = block.xreplace(state)
        steps = tuple(
            kernel.congruence(t, p - eta * _HOLE, _HOLE)
            for t, p in zip(full[name].premises, before)
        )
        invariant.append(
            kernel.entrywise(
                before - eta * full[name].prop.lhs,
                sp.ImmutableMatrix(*before.shape, [s.prop.rhs for s in steps]),
                steps,
            )
        )
    e, s_, dl = sp.symbols("e s delta")  # display names only: the kernel checked the full forms
    d.define(
        dl,
        e * v * sigma_prime(z),
        Text(
            en="with e = σ(z2) − y, the output error, and s = σ(z)",
            zh="其中 e = σ(z2) − y 为输出误差，s = σ(z)",
        ),
    )
    updates = {
        "W_1": lambda i, j: (a1, a2)[i] - eta * NET.x[i] * dl,
        "b_1": lambda i, j: c - eta * dl,
        "W_2": lambda i, j: v - eta * s_ * e,
    }
    for name, block in BLOCKS:
        d.define(shown(name + "^{+}", block), sp.ImmutableMatrix(*block.shape, updates[name]))
    d.say(
        en="again a symmetric state, with shared values a_i − ηx_iδ, c − ηδ and v − ηse. So "
        "the step maps symmetric states to symmetric states, whatever their values (the kernel checks it "
        "for arbitrary symbolic a1, a2, c, v, b2, x, y, η).",
        zh="仍是一个对称状态，共同值为 a_i − ηx_iδ、c − ηδ 与 v − ηse。所以无论取值如何，这一步都"
        "把对称状态映到对称状态（内核对任意符号 a1、a2、c、v、b2、x、y、η 验证了这一点）。",
    )
    for (name, _block), theorem in zip(BLOCKS, invariant):
        d.conclude(f"one step keeps a symmetric state symmetric: {name}", theorem)
    d.conclude("dL/dW1 at a symmetric state = x^T [delta delta delta]", full["W_1"])
    columns = full["W_1"].prop.lhs
    d.conclude(
        "dL/dW1 at a symmetric state: column j = column j + 1",
        same_entries(columns[:, :2], columns[:, 1:]),
    )
    for_ever(d)
    zero = symmetric(NET, (0, 0, 0, 0))
    d.say(
        en="All-zero initialisation is the case a1 = a2 = c = v = 0. There δ has the factor v = 0, so the "
        "hidden layer gets no gradient at all in the first step:",
        zh="全零初始化是 a1 = a2 = c = v = 0 的情形。此时 δ 含因子 v = 0，第一步隐藏层完全没有梯度：",
    )
    first = d.chain(product_as_written(sigma(NET.Z2[0].xreplace(zero)) - y, 0, sigma_prime(0)))
    first.eq(sp.Integer(0), why=Text(en="δ at the zero state", zh="零状态下的 δ"))
    zero_grad = same_entries(gradient(NET, NET.W1).xreplace(zero), sp.zeros(*NET.W1.shape))
    d.conclude("zero init: dL/dW1 = 0", zero_grad)
    d.say(
        en="Only W2 and b2 move (each w2_j by −ησ(0)(σ(b2) − y), the same for every j), so after one step the "
        "state is again symmetric, now with a1 = a2 = c = 0 and v ≠ 0, and the argument above takes over. "
        "Any other common value fails for the same reason, so the weights must be initialised with "
        "different values, in practice small random numbers (e.g. Xavier or He initialisation), which break "
        "the symmetry. Why it matters: three identical units compute one feature three times; the network "
        "can represent no more than with one hidden unit, whatever its width. The student's sheet reaches "
        "the same conclusion (identical outputs, identical gradients, no differentiated features, reduced "
        "expressive power); the proof above adds the reason it lasts: the symmetry is preserved by every step.",
        zh="只有 W2 和 b2 会变化（每个 w2_j 都变化 −ησ(0)(σ(b2) − y)，对所有 j 相同），所以一步之后状态仍是对称的，"
        "此时 a1 = a2 = c = 0 而 v ≠ 0，上面的论证接着适用。任何其他相同的值也因同样原因不行，所以权重必须用"
        "不同的值初始化，实践中用小的随机数（例如 Xavier 或 He 初始化）来打破对称。为什么重要：三个相同的单元"
        "把同一个特征算三遍；无论隐藏层多宽，网络的表达能力都不超过只有一个隐藏单元的网络。学生答卷的结论相同"
        "（输出相同、梯度相同、学不到差异化的特征、表达能力下降）；上面的证明补上了它为何一直持续：每一步都"
        "保持这种对称。",
    )
    return d
