"""Q2.2 — one gradient-descent step on the Q1 network, worked exactly, and why −∇L points downhill.

The worked example differentiates the written-out loss of the 2–3–1 network
(:mod:`derivations.network`) with SymPy, evaluates at stated rational
numbers, and has the kernel check every gradient and updated weight against
its closed form in σ of rationals (rule ``rational-identity``) and the loss
after the step against the loss before (rule ``interval-order``).  The
general argument uses a single sigmoid neuron with three parameters: the
derivative along the update, d/dη L(θ − η∇L), is proved for every η (rule
``derivative``); its instance at η = 0 (rule ``instantiate``, a ``Subs`` in
the proof log) then chains to −‖∇L‖² ≤ 0 (``certified-sign``), so
d/dη L(θ − η∇L)|_{η=0} = −‖∇L‖² ≤ 0 is one theorem, a named conclusion.  The
sheet shows the chain from the instance's right side on: SymPy prints a
``Subs`` with the LaTeX command substack, which GitHub's math renderer does not know.
"""

from __future__ import annotations

import sympy as sp

from derivations.common import proved, y
from derivations.network import bce, network, shown
from proofsheet import kernel
from proofsheet.kernel import Prop, Theorem
from proofsheet.kernel.certificates import SignCertificate, SignTerm, Substitution
from proofsheet.kernel.notation import sigma, unfold
from proofsheet.sheet.derivation import Derivation, Text

R = sp.Rational
ETA = R(1, 2)  #: the learning rate η
NET = network()
START = (
    sp.ImmutableMatrix([[1, 2, -1], [0, -1, 0]]),
    sp.ImmutableMatrix([[0, 0, 0]]),
    sp.ImmutableMatrix([1, -1, 1]),
    sp.ImmutableMatrix([[0]]),
)  #: W1, b1, W2, b2
_HOLE = sp.Symbol("h", real=True)


def point(params: tuple[sp.MatrixBase, ...]) -> dict:
    """The input x = [1, 2], the label y = 1 and the given parameter values, as a substitution."""
    values = {NET.x[0]: 1, NET.x[1]: 2, y: 1}
    for symbols, numbers in zip((NET.W1, NET.b1, NET.W2, NET.b2), params):
        values.update(zip(symbols, numbers))
    return values


def closed(expr: sp.Expr, z2: Theorem, form: sp.Expr) -> tuple[Theorem, Theorem]:
    """``expr = form`` in full, and the shown step: with z2's value inserted, that expression = form."""
    context = expr.xreplace({z2.prop.lhs: _HOLE})
    if not context.has(_HOLE):
        theorem = proved(Prop(expr, "=", form))
        return theorem, theorem
    inserted = kernel.congruence(z2, context, _HOLE)
    shown_step = proved(Prop(inserted.prop.rhs, "=", form))
    return kernel.chain(inserted, shown_step), shown_step


def matrix_fact(d: Derivation, lhs: sp.MatrixBase, entries: list[Theorem], why: Text) -> Theorem:
    rhs = sp.ImmutableMatrix(*lhs.shape, [t.prop.rhs for t in entries])
    theorem = kernel.entrywise(sp.ImmutableMatrix(lhs), rhs, tuple(entries))
    d.fact(theorem, why=why)
    return theorem


def num(expr: sp.Expr, digits: int = 4) -> str:
    """A decimal for the prose, computed from the exact closed form."""
    return str(sp.N(unfold(expr), digits))


def worked_example(d: Derivation) -> tuple[Theorem, Theorem]:
    """Forward pass, gradients, update and the loss after it; returns (∂L/∂W1 in full, loss decrease)."""
    values, loss, half = point(START), NET.loss(y), R(1, 2)
    for name, matrix, number in zip(
        ("W_1", "b_1", "W_2", "b_2"), (NET.W1, NET.b1, NET.W2, NET.b2), START
    ):
        d.define(shown(name, matrix), number)
    d.say(
        en="Forward pass. Z1 = xW1 + b1 = [1, 0, −1] and A1 = σ(Z1) = [σ(1), σ(0), σ(−1)] (rational "
        "arithmetic). The output pre-activation z2 = A1W2 + b2 needs σ(−1) = 1 − σ(1) (Q3.1):",
        zh="前向传播。Z1 = xW1 + b1 = [1, 0, −1]，A1 = σ(Z1) = [σ(1), σ(0), σ(−1)]（有理数运算）。"
        "输出层的输入 z2 = A1W2 + b2 要用到 σ(−1) = 1 − σ(1)（Q3.1）：",
    )
    z2 = d.chain(NET.Z2[0].xreplace(values))
    z2.eq(half, why=Text(en="σ(1) + σ(−1) = 1 and σ(0) = 1/2", zh="σ(1) + σ(−1) = 1，σ(0) = 1/2"))
    z2_value = z2.theorem
    before = d.chain(loss.xreplace(values))
    before.eq(
        -sp.log(sigma(half)),
        by=kernel.congruence(z2_value, -sp.log(sigma(_HOLE)), _HOLE),
        why=Text(
            en="insert z2 = 1/2; with y = 1 only the −log ŷ term remains",
            zh="代入 z2 = 1/2；y = 1 时只剩 −log ŷ 一项",
        ),
    )
    loss_before = sp.log(1 + sp.exp(-half))
    before.eq(loss_before, why=Text(en="σ(u) = 1/(1 + e^(−u))", zh="σ(u) = 1/(1 + e^(−u))"))
    r, s = sigma(-half), sigma(1) * sigma(-1)  # ŷ − y = σ(1/2) − 1 = −σ(−1/2);  σ'(±1) = σ(1)σ(−1)
    d.say(
        en=f"So ŷ = σ(1/2) ≈ {num(sigma(half))} and L ≈ {num(loss_before)}. Backward pass: each gradient is "
        "SymPy's derivative of the written-out loss, evaluated at these numbers with z2 = 1/2 inserted "
        "(left), and checked against its closed form (right). With δ2 = ŷ − y = −σ(−1/2) "
        f"≈ {num(-r)} they are ∂L/∂W2 = A1ᵀδ2, ∂L/∂b2 = δ2, δ1 = δ2W2ᵀ ⊙ σ'(Z1), ∂L/∂W1 = xᵀδ1, "
        f"∂L/∂b1 = δ1, where σ'(±1) = σ(1)σ(−1) ≈ {num(s)}.",
        zh=f"所以 ŷ = σ(1/2) ≈ {num(sigma(half))}，L ≈ {num(loss_before)}。反向传播：每个梯度都是 SymPy 对完整"
        "写出的损失求导、代入这些数值和 z2 = 1/2 后的值（左边），与其闭式（右边）核对。记 δ2 = ŷ − y = "
        f"−σ(−1/2) ≈ {num(-r)}，即 ∂L/∂W2 = A1ᵀδ2，∂L/∂b2 = δ2，δ1 = δ2W2ᵀ ⊙ σ'(Z1)，∂L/∂W1 = xᵀδ1，"
        f"∂L/∂b1 = δ1，其中 σ'(±1) = σ(1)σ(−1) ≈ {num(s)}。",
    )
    delta1 = [-r * s, r / 4, -r * s]
    forms = {
        "W_2": [-r * sigma(1), -r / 2, -r * sigma(-1)],
        "b_2": [-r],
        "W_1": [*delta1, *(2 * e for e in delta1)],
        "b_1": delta1,
    }
    new_values, full = {}, []
    for name, symbols in (("W_2", NET.W2), ("b_2", NET.b2), ("W_1", NET.W1), ("b_1", NET.b1)):
        grads = symbols.applyfunc(lambda p: sp.diff(loss, p).xreplace(values))
        pairs = [closed(g, z2_value, f) for g, f in zip(grads, forms[name])]
        label = name.replace("_", "")
        shown_grads = sp.ImmutableMatrix(*grads.shape, [t.prop.lhs for _, t in pairs])
        matrix_fact(
            d, shown_grads, [t for _, t in pairs], Text(en=f"∂L/∂{label}", zh=f"∂L/∂{label}")
        )
        old = symbols.xreplace(values)
        steps = [kernel.congruence(t, p - ETA * _HOLE, _HOLE) for (_, t), p in zip(pairs, old)]
        updated = matrix_fact(
            d,
            old - ETA * shown_grads,
            steps,
            Text(
                en=f"the new {label} = old − η·∂L/∂{label}",
                zh=f"新的 {label} = 旧值 − η·∂L/∂{label}",
            ),
        )
        new_values.update(zip(symbols, updated.prop.rhs))
        full.append(
            kernel.entrywise(
                grads, sp.ImmutableMatrix(*grads.shape, forms[name]), tuple(t for t, _ in pairs)
            )
        )
    d.say(
        en="Every parameter moved against its gradient. Since ŷ was too small (δ2 < 0), the output weights "
        "grew by η·σ(−1/2)·a_j > 0 and b2 by η·σ(−1/2), and each hidden unit's weights moved in the "
        "direction that raises its contribution w2_j·a_j to z2. The loss at the new weights is an exact "
        "closed number; interval arithmetic certifies that it is smaller:",
        zh="每个参数都朝梯度的反方向移动。因为 ŷ 偏小（δ2 < 0），输出权重增加了 η·σ(−1/2)·a_j > 0，b2 增加了 "
        "η·σ(−1/2)；每个隐藏单元的权重都朝着增大它对 z2 的贡献 w2_j·a_j 的方向移动。新权重下的损失是一个"
        "精确的闭式数，区间算术证明它更小：",
    )
    loss_after = loss.xreplace({**values, **new_values})
    decrease = d.claim(
        Prop(loss_after, "<", loss_before),
        why=Text(
            en=f"L after ≈ {num(loss_after)} < L before ≈ {num(loss_before)}",
            zh=f"更新后 L ≈ {num(loss_after)} < 更新前 L ≈ {num(loss_before)}",
        ),
    )
    return full[2], decrease.theorem


# --- the general argument: a single neuron with parameters θ = (θ1, θ2, θ3) ---------------------

X1, X2 = sp.symbols("x_1 x_2", real=True)
THETA = sp.symbols("theta_1:4", real=True)
G = sp.symbols("g_1:4", real=True)
ETA_VAR = sp.Symbol("eta", real=True)


def neuron_loss(theta: tuple[sp.Expr, ...]) -> sp.Expr:
    return bce(y, sigma(theta[0] * X1 + theta[1] * X2 + theta[2]))


def descent(d: Derivation) -> tuple[Theorem, Theorem]:
    """The slope d/dη L(θ − η∇L) for every η; at η = 0 it is −‖∇L‖² ≤ 0, and < 0 unless σ(z) = y."""
    z = THETA[0] * X1 + THETA[1] * X2 + THETA[2]
    err = sigma(z) - y
    grad = (err * X1, err * X2, err)
    d.say(
        en="Why −∇L? For any differentiable loss the chain rule gives d/dη L(θ − ηg) = −g·∇L(θ) at η = 0, "
        "so along g = ∇L the slope is −‖∇L‖². The kernel cannot yet compute with an unspecified L, so it "
        "checks this for a concrete smooth loss with θ ∈ R³: a single sigmoid neuron "
        "ŷ = σ(θ1x1 + θ2x2 + θ3) with the cross-entropy, x and y arbitrary. Its gradient (∂L/∂z = σ(z) − y "
        "from Q1.2, times ∂z/∂θ):",
        zh="为什么是 −∇L？对任何可微的损失，链式法则给出 η = 0 处 d/dη L(θ − ηg) = −g·∇L(θ)，所以沿 g = ∇L "
        "的斜率是 −‖∇L‖²。内核目前还不能对未指定的 L 计算，所以对一个具体的光滑损失（θ ∈ R³）验证：单个 "
        "sigmoid 神经元 ŷ = σ(θ1x1 + θ2x2 + θ3) 配交叉熵，x、y 任意。它的梯度（Q1.2 的 ∂L/∂z = σ(z) − y "
        "乘以 ∂z/∂θ）：",
    )
    for theta, g in zip(THETA, grad):
        d.claim(Prop(sp.Derivative(neuron_loss(THETA), theta), "=", g))
    d.say(
        en="Move from θ along a direction g by a step η and differentiate the loss along the way:",
        zh="从 θ 出发沿方向 g 走步长 η，对沿途的损失求导：",
    )
    moved = neuron_loss(tuple(t - ETA_VAR * g for t, g in zip(THETA, G)))
    along = G[0] * X1 + G[1] * X2 + G[2]
    slope = d.claim(
        Prop(sp.Derivative(moved, ETA_VAR), "=", -(sigma(z - ETA_VAR * along) - y) * along),
        why=Text(
            en="the derivative rule (SymPy's diff); at η = 0 the right side is −(σ(z) − y)(g1x1 + g2x2 + g3) = −g·∇L(θ)",
            zh="求导规则（SymPy 的 diff）；η = 0 时右边为 −(σ(z) − y)(g1x1 + g2x2 + g3) = −g·∇L(θ)",
        ),
    ).theorem
    gradient_step = slope
    for g_sym, g_val in zip(G, grad):
        gradient_step = kernel.instantiate(gradient_step, g_sym, g_val) if gradient_step else None
    d.conclude("d/deta L(theta - eta grad L) = slope(eta), for every eta", gradient_step)
    d.say(
        en="For the gradient step put g = ∇L(θ). The slope at η = 0 is the instance η = 0 of the theorem above "
        "(rule instantiate); its right side is the first line below, so the kernel chains d/dη L(θ − η∇L) "
        "at η = 0 through these lines into one theorem: at η = 0, d/dη L(θ − η∇L) = −‖∇L(θ)‖² ≤ 0:",
        zh="对梯度步取 g = ∇L(θ)。η = 0 处的斜率就是上面定理在 η = 0 的实例（规则 instantiate）；它的右边就是下面"
        "第一行，所以内核把 η = 0 处的 d/dη L(θ − η∇L) 经过下面各行串成一个定理：在 η = 0 处，d/dη L(θ − η∇L) = "
        "−‖∇L(θ)‖² ≤ 0：",
    )
    norm = sum(g**2 for g in grad)
    squares = SignCertificate(
        Substitution(), tuple(SignTerm(sp.Integer(1), (("square", g),)) for g in grad)
    )
    sign = kernel.certified_sign(Prop(-norm, "<=", 0), squares)
    at_zero = kernel.instantiate(gradient_step, ETA_VAR, sp.Integer(0)) if gradient_step else None
    c = d.chain((-(sigma(z) - y) * along).xreplace(dict(zip(G, grad))))
    c.eq(-norm, why=Text(en="multiply out: this is −‖∇L(θ)‖²", zh="展开：这就是 −‖∇L(θ)‖²"))
    expanded = c.theorem
    c.le(
        sp.Integer(0), by=sign, why=Text(en="a sum of three squares is ≥ 0", zh="三个平方之和 ≥ 0")
    )
    # one theorem from the derivative at η = 0 (the instance, a Subs) to the sign
    slope_is_minus_norm = kernel.chain(at_zero, expanded) if at_zero and expanded else None
    downhill = kernel.chain(at_zero, c.theorem) if at_zero and c.theorem else None
    d.say(
        en="It is < 0 unless ∇L(θ) = 0, which for this neuron means σ(z) = y; for a label y ∈ {0, 1} that "
        "never happens, since 0 < σ(z) < 1. The kernel certifies the strict sign in both cases:",
        zh="除非 ∇L(θ) = 0，它都 < 0；对这个神经元，∇L = 0 意味着 σ(z) = y，而标签 y ∈ {0, 1} 时这不会发生，"
        "因为 0 < σ(z) < 1。内核对两种情形都给出严格符号的证书：",
    )
    strict = []
    for hypothesis, sign_of_err in ((Prop(y, "<", sigma(z)), 1), (Prop(sigma(z), "<", y), -1)):
        factor = ("hyp", sign_of_err * err)
        terms = (
            SignTerm(sp.Integer(1), (factor, factor)),
            *(SignTerm(sp.Integer(1), (("square", g),)) for g in grad[:2]),
        )
        negative = kernel.certified_sign(
            Prop(-norm, "<", 0), SignCertificate(Substitution(), terms), (hypothesis,)
        )
        d.fact(
            negative,
            why=Text(
                en="(σ(z) − y)² is a product of two factors of one strict sign",
                zh="(σ(z) − y)² 是两个同号且严格非零因子的乘积",
            ),
        )
        strict.append(kernel.chain(slope_is_minus_norm, negative) if slope_is_minus_norm else None)
    return downhill, strict[1]


def derive() -> Derivation:
    d = Derivation(
        "gd-update",
        "Q2.2",
        Text(
            en="One gradient-descent step, computed exactly, and the direction of the update",
            zh="一步梯度下降的精确计算，以及更新的方向",
        ),
    )
    d.say(
        en="Our own worked example (the sheet's numbers are not known) on the Q1 network: input x = [1, 2], "
        "label y = 1, learning rate η = 1/2, and the initial weights below (deliberately not all equal, "
        "see Q2.1). Gradient descent replaces every parameter θ by θ − η·∂L/∂θ.",
        zh="我们自己的算例（原题的数值未知），用 Q1 的网络：输入 x = [1, 2]，标签 y = 1，学习率 η = 1/2，"
        "初始权重如下（有意取成不全相等，见 Q2.1）。梯度下降把每个参数 θ 换成 θ − η·∂L/∂θ。",
    )
    gradients, decrease = worked_example(d)
    d.conclude("dL/dW1 at the worked example", gradients)
    d.conclude("loss after one step < loss before", decrease)
    downhill, strict = descent(d)
    d.conclude("slope at eta = 0 = -|grad L|^2 <= 0", downhill)
    d.conclude("slope at eta = 0 < 0 when sigma(z) < y (e.g. y = 1)", strict)
    d.say(
        en="So to first order L(θ − η∇L) = L(θ) − η‖∇L‖² + O(η²): for a small enough step the loss goes "
        "down unless the gradient is already 0, and among all directions of the same length −∇L "
        "decreases L fastest (by Cauchy–Schwarz, −g·∇L ≥ −‖g‖‖∇L‖). That is the update direction: "
        "opposite to the gradient, with the learning rate η setting the step; too large an η can "
        "overshoot, which is why the example's decrease was checked exactly rather than assumed.",
        zh="因此一阶近似下 L(θ − η∇L) = L(θ) − η‖∇L‖² + O(η²)：只要步长足够小，除非梯度已为 0，损失必然下降；"
        "在长度相同的所有方向中，−∇L 使 L 下降最快（由 Cauchy–Schwarz，−g·∇L ≥ −‖g‖‖∇L‖）。"
        "这就是更新方向：与梯度相反，步长由学习率 η 决定；η 过大可能越过最低点，所以上面算例的下降"
        "是精确验证的，而不是假定的。",
    )
    return d
