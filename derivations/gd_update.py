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

from derivations.common import product_as_written, proved, sum_as_written, y
from derivations.network import bce, network, shown
from proofsheet import kernel
from proofsheet.kernel import Prop, Theorem
from proofsheet.kernel.certificates import SignCertificate, SignTerm, Substitution
from proofsheet.kernel.notation import sigma, sigma_prime, unfold
from proofsheet.sheet.derivation import Derivation, Text

R = sp.Rational
ETA = R(1, 2)  #: the learning rate η
HALF = R(1, 2)
R_HALF = sigma(-HALF)  #: σ(−1/2) = 1 − ŷ, shown as r
NET = network()
START = (
    sp.ImmutableMatrix([[1, 2, -1], [0, -1, 0]]),
    sp.ImmutableMatrix([[0, 0, 0]]),
    sp.ImmutableMatrix([1, -1, 1]),
    sp.ImmutableMatrix([[0]]),
)  #: W⁽¹⁾, b⁽¹⁾, W⁽²⁾, b⁽²⁾
LAYERS = (("W^{(1)}", NET.W1), ("b^{(1)}", NET.b1), ("W^{(2)}", NET.W2), ("b^{(2)}", NET.b2))
_HOLE = sp.Symbol("h", real=True)
#: display names (the kernel works with the entries): r = σ(−1/2) = 1 − ŷ, δ⁽²⁾, ŷ, x
R_NAME, YHAT = sp.Symbol("r", positive=True), sp.Symbol(r"\hat{y}")
DELTA2, ETA_NAME = sp.Symbol(r"\delta^{(2)}"), sp.Symbol(r"\eta")
BOLD_X = shown(r"\mathbf{x}", NET.x)


def tilde_names(matrix: sp.MatrixBase) -> list[sp.Symbol]:
    """The names of a parameter matrix's entries after the step: w⁽¹⁾₁₁ → w̃⁽¹⁾₁₁."""
    return [sp.Symbol(rf"\tilde{{{p.name[0]}}}{p.name[1:]}") for p in matrix]


def call(d: Derivation, exprs: sp.MatrixBase, names: list[sp.Symbol]) -> None:
    """Show each entry of ``exprs`` by its name on this sheet (display only, like abbreviate).

    The entries' own definitions are said in the prose; the kernel and the proof log keep the
    full expressions.
    """
    taken = {e for e, _ in d.abbreviations}
    for expr, name in zip(exprs, names):
        if expr in taken:
            raise ValueError(f"{name} would rename an expression already named on this sheet")
        d.abbreviations.append((expr, name))
        taken.add(expr)


def point(params: tuple[sp.MatrixBase, ...]) -> dict:
    """The input x = [1, 2], the label y = 1 and the given parameter values, as a substitution."""
    values = {NET.x[0]: 1, NET.x[1]: 2, y: 1}
    for (_, symbols), numbers in zip(LAYERS, params):
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


def decimal(expr: sp.Expr, places: int = 4) -> sp.Float:
    """``expr`` rounded to ``places`` decimals, computed from its exact closed form."""
    text = f"{sp.N(unfold(expr), 30):.{places}f}"
    digits = len(text.lstrip("-").replace(".", "").lstrip("0")) or 1
    return sp.Float(text, digits)


def forward(d: Derivation, values: dict) -> tuple[Theorem, sp.Expr]:
    """The forward pass, z⁽²⁾ = 1/2 and the loss before the step; returns (z⁽²⁾ = 1/2, L)."""
    z1, a1 = shown("z^{(1)}", NET.Z1), shown("a^{(1)}", NET.A1)
    d.say(
        en="Forward pass: {z1} and {a1}; with {complement} (Q3.1) and {half} the output's "
        "pre-activation is",
        zh="前向传播：{z1}，{a1}；由 {complement}（Q3.1）和 {half}，输出层的输入为",
        z1=sp.Eq(z1, NET.Z1.xreplace(values), evaluate=False),
        a1=sp.Eq(a1, NET.A1.xreplace(values), evaluate=False),
        complement=sp.Eq(sigma(1) + sigma(-1), 1, evaluate=False),
        half=sp.Eq(sigma(0), HALF, evaluate=False),
    )
    z2 = d.chain(NET.Z2[0].xreplace(values))
    z2.eq(
        HALF,
        why=Text(
            en="{sum} and {half}",
            zh="{sum}，{half}",
            math={
                "sum": sp.Eq(sigma(1) + sigma(-1), 1, evaluate=False),
                "half": sp.Eq(sigma(0), HALF, evaluate=False),
            },
        ),
    )
    before = d.chain(NET.loss(y).xreplace(values))
    before.eq(
        -sp.log(sigma(HALF)),
        by=kernel.congruence(z2.theorem, -sp.log(sigma(_HOLE)), _HOLE),
        why=Text(
            en="insert {z2}; with {label} only the term {term} remains",
            zh="代入 {z2}；{label} 时只剩 {term} 一项",
            math={
                "z2": sp.Eq(sp.Symbol("z^{(2)}"), HALF, evaluate=False),
                "label": sp.Eq(y, 1, evaluate=False),
                "term": -sp.log(YHAT),
            },
        ),
    )
    loss = sp.log(1 + sp.exp(-HALF))
    before.eq(loss, why=Text(en="definition of σ", zh="σ 的定义"))
    return z2.theorem, loss


def backward_prose(d: Derivation, loss: sp.Expr) -> None:
    z1j, w2j = sp.Symbol("z^{(1)}_{j}"), sp.Symbol("w^{(2)}_{j}")
    d.say(
        en="So {yhat} ≈ {yhat_value} and {loss} ≈ {loss_value}. Backward pass, with {delta2}: "
        "{gw2}, {gb2}, {delta1} and {gw1}, where {d0}. Each gradient below is SymPy's "
        "derivative of the written-out loss at these numbers, checked against its closed form "
        "(with {slope} ≈ {slope_value}); {r} is short for",
        zh="所以 {yhat} ≈ {yhat_value}，{loss} ≈ {loss_value}。反向传播：记 {delta2}，则 {gw2}，"
        "{gb2}，{delta1}，{gw1}，其中 {d0}。下面每个梯度都是 SymPy 对完整写出的损失求导后在这些"
        "数值处的值，并与其闭式核对（{slope} ≈ {slope_value}）；{r} 是下式的简写",
        yhat=sp.Eq(YHAT, sigma(HALF), evaluate=False),
        yhat_value=decimal(sigma(HALF)),
        loss=sp.Symbol("L"),
        loss_value=decimal(loss),
        delta2=sp.Eq(DELTA2, sum_as_written(YHAT, -y), evaluate=False),
        gw2=sp.Eq(
            sp.Symbol(r"\frac{\partial L}{\partial w^{(2)}_{j}}"),
            product_as_written(DELTA2, sp.Symbol("a^{(1)}_{j}")),
            evaluate=False,
        ),
        gb2=sp.Eq(sp.Symbol(r"\frac{\partial L}{\partial b^{(2)}}"), DELTA2, evaluate=False),
        delta1=sp.Eq(
            sp.Symbol(r"\frac{\partial L}{\partial b^{(1)}_{j}}"),
            sp.Eq(
                sp.Symbol(r"\delta^{(1)}_{j}"),
                product_as_written(DELTA2, w2j, sigma_prime(z1j)),
                evaluate=False,
            ),
            evaluate=False,
        ),
        gw1=sp.Eq(
            sp.Symbol(r"\frac{\partial L}{\partial w^{(1)}_{ij}}"),
            product_as_written(sp.Symbol("x_{i}"), sp.Symbol(r"\delta^{(1)}_{j}")),
            evaluate=False,
        ),
        d0=sp.Eq(sigma_prime(0), R(1, 4), evaluate=False),
        slope=sp.Eq(sigma_prime(1), sigma_prime(-1), evaluate=False),
        slope_value=decimal(sigma_prime(1)),
        r=R_NAME,
    )


GRADIENT_NAMES = {
    "W^{(2)}": r"\frac{{\partial L}}{{\partial {p}}}",
    "b^{(2)}": r"\frac{{\partial L}}{{\partial {p}}}",
    "b^{(1)}": r"\delta^{{(1)}}_{{{j}}}",
    "W^{(1)}": None,  #: row 1 is δ⁽¹⁾ (x₁ = 1); the hand-out gives ∂L/∂w⁽¹⁾ᵢⱼ = xᵢδ⁽¹⁾ⱼ
}


def worked_example(d: Derivation) -> tuple[Theorem, Theorem]:
    """Forward pass, gradients, update and the loss after it; returns (∂L/∂W⁽¹⁾ in full, loss decrease)."""
    values, loss = point(START), NET.loss(y)
    theta = sp.Symbol(r"\theta")
    with d.answer():
        d.say(
            en="Our own worked example (the sheet's numbers are not known), on the Q1 network: "
            "{x}, {label}, learning rate {eta}, and the starting weights below (deliberately not "
            "all equal, see Q2.1), with {b1} and {b2}. Gradient descent replaces every parameter "
            "{theta} by {update}.",
            zh="我们自己的算例（原题的数值未知），用 Q1 的网络：{x}，{label}，学习率 {eta}，初始权重如下"
            "（有意取成不全相等，见 Q2.1），且 {b1}，{b2}。梯度下降把每个参数 {theta} 换成 {update}。",
            x=sp.Eq(BOLD_X, sp.ImmutableMatrix([[1, 2]]), evaluate=False),
            label=sp.Eq(y, 1, evaluate=False),
            eta=sp.Eq(ETA_NAME, ETA, evaluate=False),
            b1=sp.Eq(shown("b^{(1)}", NET.b1), START[1], evaluate=False),
            b2=sp.Eq(sp.Symbol("b^{(2)}"), START[3][0], evaluate=False),
            theta=theta,
            update=sum_as_written(
                theta,
                -product_as_written(ETA_NAME, sp.Symbol(r"\frac{\partial L}{\partial \theta}")),
            ),
        )
        for (label, matrix), number in zip(LAYERS[::2], START[::2]):
            d.define(shown(label, matrix), number)
        z2_value, loss_before = forward(d, values)
        backward_prose(d, loss_before)
        d.abbreviate(
            R_NAME,
            R_HALF,
            why=Text(
                en="that is, {one_minus} ≈ {value}",
                zh="即 {one_minus} ≈ {value}",
                math={
                    "one_minus": sum_as_written(1, -YHAT),
                    "value": decimal(R_HALF),
                },
            ),
        )
    r, s = R_HALF, sigma_prime(1)
    delta1 = [-r * s, r / 4, -r * sigma_prime(-1)]
    forms = {
        "W^{(2)}": [-r * sigma(1), -r / 2, -r * sigma(-1)],
        "b^{(2)}": [-r],
        "W^{(1)}": [*delta1, *(2 * e for e in delta1)],
        "b^{(1)}": delta1,
    }
    new_values, full, updates = {}, {}, []
    for label, symbols in (LAYERS[2], LAYERS[3], LAYERS[1], LAYERS[0]):
        new, full[label], step = gradient(d, label, symbols, values, z2_value, forms[label])
        new_values.update(zip(symbols, new))
        updates.append((label, symbols, step, new))
    with d.answer():
        d.say(
            en="A tilde marks a value after the step, {tilde}; the new weights, exactly and to "
            "four decimals:",
            zh="波浪号表示更新后的值，{tilde}；新的权重（精确值与四位小数）：",
            tilde=sp.Eq(
                sp.Symbol(r"\tilde{\theta}"),
                sum_as_written(
                    theta,
                    -product_as_written(ETA_NAME, sp.Symbol(r"\frac{\partial L}{\partial \theta}")),
                ),
                evaluate=False,
            ),
        )
        for _label, symbols, step, new in sorted(updates, key=lambda u: LAYERS.index(u[:2])):
            call(d, step.prop.lhs, tilde_names(symbols))
            d.fact(
                step,
                why=Text(
                    en="to four decimals: {numbers}",
                    zh="保留四位小数：{numbers}",
                    math={"numbers": rounded(new)},
                ),
            )
    after_loss = loss.xreplace({**values, **new_values})
    d.abbreviate(sp.Symbol(r"\tilde{L}"), after_loss)
    after = d.claim(
        Prop(after_loss, "<", loss_before),
        why=Text(en="interval arithmetic on the exact numbers", zh="对精确数值做区间运算"),
    )
    with d.answer():
        d.say(
            en="Every parameter moved against its gradient: {yhat} was too small ({negative}), so "
            "the output weights and {b2} grew, and each hidden unit's weights moved so as to "
            "raise its contribution {contribution} to {z2}. The loss fell from {before} to "
            "{after_value} (certified exactly by interval arithmetic in the full proof).",
            zh="每个参数都朝梯度的反方向移动：{yhat} 偏小（{negative}），所以输出权重和 {b2} 增大，"
            "每个隐藏单元的权重都朝着增大它对 {z2} 的贡献 {contribution} 的方向移动。损失从 {before} "
            "降到 {after_value}（完整证明中用区间运算精确验证）。",
            yhat=YHAT,
            negative=sp.StrictLessThan(DELTA2, 0),
            b2=sp.Symbol("b^{(2)}"),
            contribution=product_as_written(sp.Symbol("w^{(2)}_{j}"), sp.Symbol("a^{(1)}_{j}")),
            z2=sp.Symbol("z^{(2)}"),
            before=decimal(loss_before),
            after_value=decimal(after_loss),
        )
    return full["W^{(1)}"], after.theorem


def rounded(exact: sp.MatrixBase) -> sp.Basic:
    """The entries to 4 decimals, for the note beside the exact values; a column as a row ᵀ."""
    numbers = sp.ImmutableMatrix(exact.applyfunc(decimal))
    if exact.cols == 1 and exact.rows > 1:
        return sp.Transpose(numbers.T)
    return numbers


def gradient(
    d: Derivation, label: str, symbols: sp.MatrixBase, values: dict, z2: Theorem, forms: list
) -> tuple[sp.ImmutableMatrix, Theorem, Theorem]:
    """Show ∂L/∂label; return (the new values, ∂L/∂label = forms in full, the update theorem)."""
    grads = symbols.applyfunc(lambda p: sp.diff(NET.loss(y), p).xreplace(values))
    pairs = [closed(g, z2, f) for g, f in zip(grads, forms)]
    shown_grads = sp.ImmutableMatrix(*grads.shape, [t.prop.lhs for _, t in pairs])
    pattern = GRADIENT_NAMES[label]
    if pattern is not None:
        names = [sp.Symbol(pattern.format(p=sp.latex(p), j=k + 1)) for k, p in enumerate(symbols)]
        call(d, shown_grads, names)
    entries = [t for _, t in pairs]
    why = Text(
        en="the gradient with respect to {p}", zh="对 {p} 的梯度", math={"p": shown(label, symbols)}
    )
    if pattern is not None:
        with d.answer():
            matrix_fact(d, shown_grads, entries, why)
    else:
        matrix_fact(d, shown_grads, entries, why)
    old = symbols.xreplace(values)
    steps = [kernel.congruence(t, p - ETA * _HOLE, _HOLE) for (_, t), p in zip(pairs, old)]
    lhs = sp.ImmutableMatrix(old - ETA * shown_grads)
    new = sp.ImmutableMatrix(*lhs.shape, [s.prop.rhs for s in steps])
    step = kernel.entrywise(lhs, new, tuple(steps))
    full = kernel.entrywise(
        grads, sp.ImmutableMatrix(*grads.shape, forms), tuple(t for t, _ in pairs)
    )
    return new, full, step


# --- the general argument: a single neuron with parameters θ = (θ1, θ2, θ3) ---------------------

X1, X2 = sp.symbols("x_1 x_2", real=True)
THETA = sp.symbols("theta_1:4", real=True)
G = sp.symbols("g_1:4", real=True)
ETA_VAR = sp.Symbol("eta", real=True)


def neuron_loss(theta: tuple[sp.Expr, ...]) -> sp.Expr:
    return bce(y, sigma(theta[0] * X1 + theta[1] * X2 + theta[2]))


# display names for the general argument
THETA_NAME, G_NAME, NABLA = sp.Symbol(r"\theta"), sp.Symbol("g"), sp.Symbol(r"\nabla L")
Z_NAME = sp.Symbol("z", real=True)


def along_step(direction: sp.Basic) -> sp.Expr:
    """d/dη L(θ − η·direction), for the prose."""
    moved = sum_as_written(THETA_NAME, -product_as_written(ETA_NAME, direction))
    return sp.Derivative(sp.Function("L")(moved), ETA_NAME)


def descent_prose(d: Derivation, z: sp.Expr) -> None:
    """Why −∇L: the chain rule in general, and the neuron the kernel checks it on."""
    dot = sp.Symbol(r"g \cdot \nabla L(\theta)")
    norm = sp.Symbol(r"\|\nabla L(\theta)\|") ** 2
    with d.answer():
        d.say(
            en="Direction. For any differentiable loss the chain rule gives, at {eta0}, "
            "{general}; for the gradient step {g} this is {minus_norm}. So a small enough step "
            "against the gradient lowers the loss unless the gradient is 0, and no direction of "
            "the same length lowers it faster (Cauchy–Schwarz). The kernel checks this on a "
            "single sigmoid neuron {neuron}, {z} ({x1}, {x2} and {y} arbitrary), with the cross-entropy: "
            "the slope at {eta0} is",
            zh="更新方向。对任何可微的损失，链式法则给出 {eta0} 处 {general}；对梯度步 {g}，"
            "它等于 {minus_norm}。所以只要步长足够小，除非梯度为 0，逆着梯度走一步损失必然下降，"
            "而且长度相同的方向中没有下降更快的（Cauchy–Schwarz 不等式）。内核在单个以 σ 为激活函数的"
            "神经元 {neuron}、{z}（{x1}、{x2} 与 {y} 任意）配交叉熵上验证这一点：{eta0} 处的斜率为",
            eta0=sp.Eq(ETA_NAME, 0, evaluate=False),
            general=sp.Eq(along_step(G_NAME), -dot, evaluate=False),
            g=sp.Eq(G_NAME, NABLA, evaluate=False),
            minus_norm=sp.Eq(along_step(NABLA), -norm, evaluate=False),
            neuron=sp.Eq(YHAT, sigma(Z_NAME), evaluate=False),
            z=sp.Eq(Z_NAME, sum_as_written(*z.args[1:], z.args[0]), evaluate=False),
            x1=X1,
            x2=X2,
            y=y,
        )
    d.say(
        en="Its gradient ({dz} from Q1.2, times {dtheta}):",
        zh="它的梯度（Q1.2 的 {dz} 乘以 {dtheta}）：",
        dz=sp.Eq(sp.Symbol(r"\frac{\partial L}{\partial z}"), sum_as_written(sigma(Z_NAME), -y)),
        dtheta=sp.Symbol(r"\frac{\partial z}{\partial \theta}"),
    )


def descent(d: Derivation) -> tuple[Theorem, Theorem]:
    """The slope d/dη L(θ − η∇L) for every η; at η = 0 it is −‖∇L‖² ≤ 0, and < 0 unless σ(z) = y."""
    z = THETA[0] * X1 + THETA[1] * X2 + THETA[2]
    err = sigma(z) - y
    grad = (err * X1, err * X2, err)
    d.abbreviate(Z_NAME, z)
    descent_prose(d, z)
    for theta, g in zip(THETA, grad):
        d.claim(Prop(sp.Derivative(neuron_loss(THETA), theta), "=", g))
    d.say(
        en="Move from {theta} along a direction {g} by a step {eta} and differentiate the loss "
        "along the way:",
        zh="从 {theta} 出发沿方向 {g} 走步长 {eta}，对沿途的损失求导：",
        theta=THETA_NAME,
        g=G_NAME,
        eta=ETA_NAME,
    )
    moved = neuron_loss(tuple(t - ETA_VAR * g for t, g in zip(THETA, G)))
    along = G[0] * X1 + G[1] * X2 + G[2]
    slope = d.claim(
        Prop(sp.Derivative(moved, ETA_VAR), "=", -(sigma(z - ETA_VAR * along) - y) * along),
        why=Text(
            en="the derivative rule (SymPy's diff); at {eta0} the right side is {value}",
            zh="求导规则（SymPy 的求导）；{eta0} 时右边为 {value}",
            math={
                "eta0": sp.Eq(ETA_NAME, 0, evaluate=False),
                "value": sp.Eq(
                    -(sigma(z) - y) * along,
                    -sp.Symbol(r"g \cdot \nabla L(\theta)"),
                    evaluate=False,
                ),
            },
        ),
    ).theorem
    gradient_step = slope
    for g_sym, g_val in zip(G, grad):
        gradient_step = kernel.instantiate(gradient_step, g_sym, g_val) if gradient_step else None
    d.conclude("d/deta L(theta - eta grad L) = slope(eta), for every eta", gradient_step)
    d.say(
        en="For the gradient step put {g}. The slope at {eta0} is the instance {eta0} of the "
        "theorem above (the instantiation rule); its right side is the first line below, so "
        "the kernel chains the slope at {eta0} through these lines into one theorem, "
        "{whole}:",
        zh="对梯度步取 {g}。{eta0} 处的斜率就是上面定理在 {eta0} 的实例（实例化规则）；它的右边就是"
        "下面第一行，所以内核把 {eta0} 处的斜率经过下面各行串成一个定理 {whole}：",
        g=sp.Eq(G_NAME, NABLA, evaluate=False),
        eta0=sp.Eq(ETA_NAME, 0, evaluate=False),
        whole=sp.Le(-(sp.Symbol(r"\|\nabla L(\theta)\|") ** 2), 0),
    )
    norm = sum(g**2 for g in grad)
    squares = SignCertificate(
        Substitution(), tuple(SignTerm(sp.Integer(1), (("square", g),)) for g in grad)
    )
    sign = kernel.certified_sign(Prop(-norm, "<=", 0), squares)
    at_zero = kernel.instantiate(gradient_step, ETA_VAR, sp.Integer(0)) if gradient_step else None
    with d.answer(brief=True):
        c = d.chain((-(sigma(z) - y) * along).xreplace(dict(zip(G, grad))))
        c.eq(
            -norm,
            why=Text(
                en="multiply out: this is {norm}",
                zh="展开：这就是 {norm}",
                math={"norm": -(sp.Symbol(r"\|\nabla L(\theta)\|") ** 2)},
            ),
        )
        expanded = c.theorem
        c.le(
            sp.Integer(0),
            by=sign,
            why=Text(en="a sum of three squares is at least 0", zh="三个平方之和不小于 0"),
        )
    # one theorem from the derivative at η = 0 (the instance, a Subs) to the sign
    slope_is_minus_norm = kernel.chain(at_zero, expanded) if at_zero and expanded else None
    downhill = kernel.chain(at_zero, c.theorem) if at_zero and c.theorem else None
    with d.answer():
        d.say(
            en="and it is negative unless {zero}, that is {equal}, which never happens for a "
            "label {label} since {sz} lies strictly between 0 and 1 (both cases certified in the full proof). The "
            "learning rate {eta} sets the step length; too large a step can overshoot, which is "
            "why the example's decrease was checked exactly rather than assumed.",
            zh="并且除非 {zero}，即 {equal}，它都小于 0；而标签 {label} 时这不会发生，因为 {sz} 严格介于 0 与 1 之间"
            "（两种情形的证书见完整证明）。学习率 {eta} 决定步长；步长过大可能越过最低点，所以上面"
            "算例的下降是精确验证的，而不是假定的。",
            zero=sp.Eq(NABLA, 0, evaluate=False),
            equal=sp.Eq(sigma(Z_NAME), y, evaluate=False),
            label=sp.Contains(y, sp.FiniteSet(0, 1), evaluate=False),
            sz=sigma(Z_NAME),
            eta=ETA_NAME,
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
                en="{square} is a product of two factors of one strict sign",
                zh="{square} 是两个同号且严格非零因子的乘积",
                math={"square": sum_as_written(sigma(Z_NAME), -y) ** 2},
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
    gradients, decrease = worked_example(d)
    d.conclude("dL/dW1 at the worked example", gradients)
    d.conclude("loss after one step < loss before", decrease)
    downhill, strict = descent(d)
    d.conclude("slope at eta = 0 = -|grad L|^2 <= 0", downhill)
    d.conclude("slope at eta = 0 < 0 when sigma(z) < y (e.g. y = 1)", strict)
    d.say(
        en="To first order, {taylor}.",
        zh="一阶近似下，{taylor}。",
        taylor=sp.Eq(
            sp.Function("L")(sum_as_written(THETA_NAME, -product_as_written(ETA_NAME, NABLA))),
            sum_as_written(
                sp.Function("L")(THETA_NAME),
                -product_as_written(ETA_NAME, sp.Symbol(r"\|\nabla L\|") ** 2),
                sp.O(ETA_NAME**2),
            ),
            evaluate=False,
        ),
    )
    d.mistake(
        where=Text(en="The sample answer's Q2.2", zh="样例答卷的 Q2.2"),
        why=Text(
            en="It is left unanswered: no weights are computed and the direction of the update "
            "(against the gradient, {update}) is not explained.",
            zh="这一问没有作答：既没有计算权重，也没有说明更新方向（逆着梯度，{update}）。",
            math={
                "update": sum_as_written(
                    THETA_NAME, -product_as_written(ETA_NAME, sp.Symbol(r"\nabla L"))
                )
            },
        ),
    )
    return d
