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
BLOCKS = (("W^{(1)}", NET.W1), ("b^{(1)}", NET.b1), ("W^{(2)}", NET.W2))
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
        ("weight from {x}", "来自 {x} 的权重", NET.x[0]),
        ("weight from {x}", "来自 {x} 的权重", NET.x[1]),
        ("bias", "偏置", None),
    )
    c_ = d.chain(NET.A1[1], hypotheses)
    for (two, _one), hypothesis, (en, zh, x) in zip(pairs, hypotheses, words):
        step = kernel.congruence(kernel.assume(hypothesis), c_.last.xreplace({two: _HOLE}), _HOLE)
        c_.eq(
            step.prop.rhs,
            by=step,
            why=Text(
                en=f"unit 2's {en} equals unit 1's",
                zh=f"单元 2 的{zh}等于单元 1 的",
                math={"x": x} if x is not None else {},
            ),
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


START = Text(
    en="the start: every hidden unit has incoming weights {a1} and {a2}, bias {c} and outgoing "
    "weight {v}; the output bias is {b}",
    zh="起点：每个隐藏单元的输入权重为 {a1} 与 {a2}，偏置为 {c}，输出权重为 {v}；输出偏置为 {b}",
    math={"a1": a1, "a2": a2, "c": c, "v": v, "b": b0},
)


def for_ever(d: Derivation) -> None:
    theta, grad = sp.Function(r"\theta"), sp.Function(r"\nabla L")
    p = sp.Function("p")
    d.say(
        en="Now the training sequence itself. Write {pt} for a parameter's value after {t} "
        "gradient steps; every parameter of the network, including unit 3's and the output "
        "bias, is a function of {t} defined by recursion, so its definition is a theorem of the "
        "kernel:",
        zh="现在来看训练序列本身。记 {pt} 为某个参数在 {t} 步梯度下降之后的值；网络的每个参数（包括单元 3 "
        "的参数和输出偏置）都是 {t} 的函数，用递归定义，所以它的定义是内核中的定理：",
        pt=p(t),
        t=t,
    )
    d.define(theta(0), sp.Symbol(r"\theta_{0}"), START)
    d.define(
        theta(t + 1),
        sum_as_written(theta(t), -eta * grad(theta(t))),
        Text(
            en="one step, for every {t}: each parameter {p} moves by {move}, evaluated at all the "
            "parameters' values at {t_}. Each {pt} also takes the data and the start as "
            "arguments, {full}; below they are left out",
            zh="一步，对每个 {t}：每个参数 {p} 移动 {move}，在所有参数第 {t_} 步的值处求值。每个 {pt} "
            "还以数据和起点为参数，即 {full}；下面省略这些参数",
            math={
                "t": sp.Ge(t, 0),
                "t_": t,
                "p": sp.Symbol("p"),
                "move": -product_as_written(eta, sp.Symbol(r"\frac{\partial L}{\partial p}")),
                "pt": p(t),
                "full": p(t, *ARGS),
            },
        ),
    )
    d.say(
        en="Claim({t}): unit 2's four parameters after {t} steps equal unit 1's, one matrix "
        "equation. Induction on {t}. Base case: both are the start. Step: by definition, unit "
        "2's parameters at {t1} are an update expression in the values at {t}; replacing unit "
        "2's values at {t} by unit 1's (equals for equals, by the hypothesis Claim({t})) turns "
        "it into exactly the expression that unit 1's update becomes under the same "
        "replacement, because a unit's update depends on the other units only through the "
        "shared output error. Nothing about unit 3 or the output layer is assumed: they are "
        "whatever training makes them.",
        zh="命题({t})：{t} 步之后单元 2 的四个参数等于单元 1 的，写成一个矩阵等式。对 {t} 归纳。基础情形："
        "两者都是起点。归纳步：按定义，单元 2 在第 {t1} 步的参数是第 {t} 步各值的一个更新表达式；把其中"
        "单元 2 在第 {t} 步的值换成单元 1 的（由归纳假设命题({t})，等量代换），它就恰好变成单元 1 的更新式"
        "在同样代换下的结果，因为一个单元的更新只通过共同的输出误差依赖其他单元。对单元 3 和输出层不作"
        "任何假设：它们是训练给出的任何值。",
        t=t,
        t1=sum_as_written(t, 1),
    )
    # display only: p(t, x₁, x₂, y, η, a₁, a₂, c, v, b) is shown as p(t); the prose says so
    d.abbreviations.extend(
        (trained(q, s), sp.Function(q.name)(s)) for q in PARAMETERS for s in (0, t, t + 1)
    )
    for j in (1, 2):
        base, step, every_t = stays_equal(j)
        number = j + 1
        if j == 1:
            d.fact(
                base,
                why=Text(
                    en="base case {t0}: both units start at {start}",
                    zh="基础情形 {t0}：两个单元都从 {start} 出发",
                    math={"t0": sp.Eq(t, 0), "start": sp.Tuple(a1, a2, c, v)},
                ),
            )
            d.fact(
                step,
                why=Text(
                    en="step from {t} to {t1}: the four update equations, with Claim({t}) "
                    "substituted inside them",
                    zh="归纳步，从 {t} 到 {t1}：四个更新等式，其中代入了命题({t})",
                    math={"t": t, "t1": sum_as_written(t, 1)},
                ),
            )
        d.fact(
            every_t,
            why=Text(
                en=f"induction on {{t}}: unit {number} equals unit 1 after every number {{t0}} "
                "of steps",
                zh=f"对 {{t}} 归纳：任意 {{t0}} 步之后，单元 {number} 都等于单元 1",
                math={"t": t, "t0": sp.Ge(t, 0)},
            ),
        )
        d.conclude(f"unit {number} = unit 1 after every step t >= 0 (induction)", every_t)


Z, Z2 = sp.Symbol("z", real=True), sp.Symbol("z^{(2)}", real=True)  #: display names
E, S, DELTA = sp.symbols(r"e s \delta")  #: display names only: the kernel checks the full forms
WHICH = {"W^{(1)}": "w^{(1)}_{11}", "b^{(1)}": "b^{(1)}_{1}", "W^{(2)}": "w^{(2)}_{1}"}


def answer_opening(d: Derivation) -> None:
    with d.answer():
        d.say(
            en="No: the parameters may not all start at 0, nor all at any other common value. "
            "If every hidden unit starts with the same incoming weights, the same "
            "bias and the same outgoing weight (all zero is one case), the units compute the "
            "same activation, receive the same gradient, and every gradient step keeps them "
            "identical: the hidden layer of three units acts like a single unit, whatever the "
            "data. Checked for the Q1 network: equal incoming weights give equal activations,",
            zh="不能全部初始化为 0，也不能全部初始化为其他同一个值。如果每个隐藏单元的输入权重、偏置和输出权重都相同（全为 0 是其中一种"
            "情形），这些单元算出相同的激活值，得到相同的梯度，每一步梯度下降后仍然完全相同：无论数据"
            "如何，三个隐藏单元的隐藏层都只相当于一个单元。对 Q1 的网络验证如下：输入权重相同，激活值就"
            "相同，",
        )


def symmetric_gradients(d: Derivation, state: dict) -> dict[str, Theorem]:
    """The three gradient blocks at a symmetric state, first entry shown; all entries checked."""
    z, out = NET.Z1[0].xreplace(state), NET.Z2[0].xreplace(state)
    d.abbreviate(Z2, out)
    d.abbreviate(Z, z)
    with d.answer():
        d.say(
            en="Take a symmetric state ({free} arbitrary):",
            zh="任取一个对称状态（{free} 任意）：",
            free=sp.Tuple(a1, a2, c, v, NET.b2[0]),
        )
        for name, block in BLOCKS:
            d.define(shown(name, block), block.xreplace(state))
        d.say(
            en="Every unit has the same pre-activation {z}, the output's is {z2}, and SymPy's "
            "derivative of the written-out loss at that state is, for unit 1 (the other units' "
            "entries are the very same expressions, checked entry by entry):",
            zh="每个单元的输入都是 {z}，输出层的输入是 {z2}；对完整写出的损失求导，在该状态处单元 1 的结果"
            "如下（其他单元的分量是完全相同的表达式，已逐元素验证）：",
            z=sp.Eq(Z, sum_as_written(a1 * NET.x[0], a2 * NET.x[1], c), evaluate=False),
            z2=sp.Eq(
                Z2, sum_as_written(product_as_written(3, v, sigma(Z)), NET.b2[0]), evaluate=False
            ),
        )
    error = sum_as_written(sigma(out), -y)
    delta = product_as_written(error, v, sigma_prime(z))
    compact = {
        "W^{(1)}": lambda i, j: product_as_written(NET.x[i], error, v, sigma_prime(z)),
        "b^{(1)}": lambda i, j: delta,
        "W^{(2)}": lambda i, j: product_as_written(sigma(z), error),
    }
    full = {}
    for name, block in BLOCKS:
        grads = gradient(NET, block).xreplace(state)
        target = sp.ImmutableMatrix(*grads.shape, lambda i, j: compact[name](i, j))  # noqa: B023 - evaluated at once
        full[name] = same_entries(grads, target)
        with d.answer():
            chain = d.chain(grads[0])
            chain.eq(
                target[0],
                by=full[name].premises[0],
                why=Text(
                    en="{d}; every unit's entry is this same expression",
                    zh="{d}；每个单元的分量都是这同一个表达式",
                    math={"d": sp.Symbol(rf"\frac{{\partial L}}{{\partial {WHICH[name]}}}")},
                ),
            )
    return full


def one_step(d: Derivation, state: dict, full: dict[str, Theorem]) -> list[Theorem]:
    """θ − η∇L at a symmetric state, checked entry by entry, shown with shorthand."""
    invariant = []
    for name, block in BLOCKS:
        before = block.xreplace(state)
        steps = tuple(
            kernel.congruence(th, p - eta * _HOLE, _HOLE)
            for th, p in zip(full[name].premises, before)
        )
        invariant.append(
            kernel.entrywise(
                before - eta * full[name].prop.lhs,
                sp.ImmutableMatrix(*before.shape, [s.prop.rhs for s in steps]),
                steps,
            )
        )
    z = NET.Z1[0].xreplace(state)
    with d.answer():
        d.say(
            en="So one step {update} gives again a symmetric state (checked entry by entry on the "
            "full expressions; shown here with the shorthand {e} for the output error and {s}):",
            zh="于是一步 {update} 之后仍是对称状态（内核对完整表达式逐元素验证；这里用简写：输出误差 "
            "{e}，以及 {s}）：",
            update=sp.Eq(
                sp.Symbol(r"\tilde{\theta}"),
                sum_as_written(
                    sp.Symbol(r"\theta"), -product_as_written(eta, sp.Symbol(r"\nabla L"))
                ),
                evaluate=False,
            ),
            e=sp.Eq(E, sum_as_written(sigma(Z2), -y), evaluate=False),
            s=sp.Eq(S, sigma(Z), evaluate=False),
        )
        d.define(DELTA, product_as_written(E, v, sigma_prime(z)))
        updates = {
            "W^{(1)}": lambda i, j: sum_as_written(
                (a1, a2)[i], -product_as_written(eta, NET.x[i], DELTA)
            ),
            "b^{(1)}": lambda i, j: sum_as_written(c, -product_as_written(eta, DELTA)),
            "W^{(2)}": lambda i, j: sum_as_written(v, -product_as_written(eta, S, E)),
        }
        for name, block in BLOCKS:
            tilde = rf"\tilde{{{name[0]}}}{name[1:]}"
            d.define(shown(tilde, block), sp.ImmutableMatrix(*block.shape, updates[name]))
    return invariant


def zero_start(d: Derivation) -> Theorem:
    zero = symmetric(NET, (0, 0, 0, 0))
    with d.answer():
        d.say(
            en="By induction on the number of steps (in the full proof) the units stay equal for "
            "ever. All-zero initialisation is the case {zero}; there {delta} has the factor "
            "{v0}, so the hidden layer gets no gradient at all in the first step:",
            zh="对步数归纳（见完整证明）可知各单元永远相同。全零初始化是 {zero} 的情形；此时 {delta} "
            "含因子 {v0}，第一步隐藏层完全没有梯度：",
            zero=sp.Eq(sp.Tuple(a1, a2, c, v), sp.Tuple(0, 0, 0, 0), evaluate=False),
            delta=DELTA,
            v0=sp.Eq(v, 0, evaluate=False),
        )
        first = d.chain(
            product_as_written(
                sum_as_written(sigma(NET.Z2[0].xreplace(zero)), -y), 0, sigma_prime(0)
            )
        )
        first.eq(
            sp.Integer(0),
            why=Text(
                en="{delta} at the zero state", zh="零状态下的 {delta}", math={"delta": DELTA}
            ),
        )
        d.say(
            en="Only {W2} and {b2} move, every {w2j} by the same amount, so the state stays "
            "symmetric (now with {v} nonzero) and the argument above takes over. Any other common "
            "value fails for the same reason. The weights must therefore start at different "
            "values: in practice small random numbers (e.g. Xavier or He initialisation), which "
            "break the symmetry so that the units can learn different features.",
            zh="只有 {W2} 和 {b2} 会变化，每个 {w2j} 变化相同的量，所以状态仍是对称的（此时 {v} 非零），"
            "上面的论证接着适用。任何其他相同的值也因同样原因不行。所以权重必须取不同的初始值：实践中用"
            "小的随机数（例如 Xavier 或 He 初始化）来打破对称，各单元才能学到不同的特征。",
            W2=sp.Symbol("W^{(2)}"),
            b2=sp.Symbol("b^{(2)}"),
            w2j=sp.Symbol("w^{(2)}_{j}"),
            v=v,
        )
    return same_entries(gradient(NET, NET.W1).xreplace(zero), sp.zeros(*NET.W1.shape))


def derive() -> Derivation:
    d = Derivation(
        "init-symmetry",
        "Q2.1",
        Text(
            en="Initialisation: why the weights may be neither all zero nor all equal",
            zh="初始化：为什么参数既不能全为 0，也不能全取同一个值",
        ),
    )
    answer_opening(d)
    with d.answer(brief=True):
        same_activation = activations(d)
    d.conclude("equal incoming weights => equal activations", same_activation)
    state = symmetric(NET, (a1, a2, c, v))
    full = symmetric_gradients(d, state)
    invariant = one_step(d, state, full)
    for (name, _block), theorem in zip(BLOCKS, invariant):
        d.conclude(f"one step keeps a symmetric state symmetric: {name}", theorem)
    d.conclude("dL/dW1 at a symmetric state = x^T [delta delta delta]", full["W^{(1)}"])
    columns = full["W^{(1)}"].prop.lhs
    d.conclude(
        "dL/dW1 at a symmetric state: column j = column j + 1",
        same_entries(columns[:, :2], columns[:, 1:]),
    )
    for_ever(d)
    d.say(
        en="So the hidden units are identical after every number of steps, whatever the data, "
        "the learning rate and the common starting values.",
        zh="所以无论数据、学习率和共同的初始值如何，任意多步之后各隐藏单元都完全相同。",
    )
    d.conclude("zero init: dL/dW1 = 0", zero_start(d))
    d.say(
        en="The sample answer reaches the same conclusion (identical outputs, identical "
        "gradients, no differentiated features, less expressive power); the proof above adds "
        "why it lasts: every step preserves the symmetry.",
        zh="样例答卷的结论相同（输出相同、梯度相同、学不到差异化的特征、表达能力下降）；上面的证明补上了"
        "它为何一直持续：每一步都保持这种对称。",
    )
    return d
