"""Q1.2 — what the binary cross-entropy measures: its two cases, their limits, and BCE = H(y) + KL(y‖ŷ).

The cases y = 1 and y = 0 are rational identities and their limits are
checked by the kernel's ``limit`` rule.  Gibbs' inequality KL ≥ 0 is proved
from the lemma log t ≤ t − 1, itself proved once here from the sign of a
derivative on each side of t = 1 (rules ``monotone`` and ``cases``), then
instantiated at t = ŷ/y and t = (1 − ŷ)/(1 − y), scaled and added.  A sharper
lemma, log t ≤ t − 1 − (t − 1)²/(2(t + 1)), gives KL > 0 whenever ŷ ≠ y.

To let the kernel split log(a/b) = log a − log b it must know a, b > 0, so in
the part about distributions y and ŷ are positive symbols and 1 − y, 1 − ŷ
get positive names ȳ, ŷ̄, tied to them by the hypotheses 1 − y = ȳ, 1 − ŷ = ŷ̄.
"""

from __future__ import annotations

import sympy as sp

from derivations.common import proved, sum_as_written
from derivations.network import bce
from proofsheet import kernel
from proofsheet.kernel import Prop, Theorem
from proofsheet.kernel.certificates import SignCertificate, SignTerm, Substitution
from proofsheet.sheet.derivation import Derivation, Text

y, yhat = sp.Symbol("y", positive=True), sp.Symbol("yhat", positive=True)
ybar, yhatbar = sp.Symbol("ybar", positive=True), sp.Symbol("yhatbar", positive=True)
HYPOTHESES = (Prop(1 - y, "=", ybar), Prop(1 - yhat, "=", yhatbar))
PAIRS = ((y, yhat), (ybar, yhatbar))  #: (p_i, q_i): true and predicted probability of each class
t = sp.Symbol("t", positive=True)
T_MINUS_1 = sp.Add(t, -1, evaluate=False)  #: t − 1, kept in this order on the sheet
T_PLUS_1 = sp.Add(t, 1, evaluate=False)
#: factors of the lemmas' slopes, in a person's order (t − 1, not −1 + t)
AS_WRITTEN = {
    t - 1: T_MINUS_1,
    t + 1: T_PLUS_1,
    t**2 + t + 2: sp.Add(t**2, t, 2, evaluate=False),
}
LOG_LEMMA = sp.Add(t, -1, -sp.log(t), evaluate=False)  #: ≥ 0: log t ≤ t − 1
SHARP_LEMMA = sp.Add(  #: ≥ 0: a strict version away from t = 1
    t,
    -1,
    -sp.log(t),
    sp.Mul(
        -1,
        sp.Pow(T_MINUS_1, 2),
        sp.Pow(sp.Mul(2, T_PLUS_1, evaluate=False), -1, evaluate=False),
        evaluate=False,
    ),
    evaluate=False,
)
_HOLE = sp.Symbol("h", real=True)

ENTROPY = -(y * sp.log(y) + ybar * sp.log(ybar))
KL = y * sp.log(y / yhat) + ybar * sp.log(ybar / yhatbar)
CROSS_ENTROPY = -(y * sp.log(yhat) + ybar * sp.log(yhatbar))
I, P, Q = sp.Symbol("i", integer=True), sp.IndexedBase("p"), sp.IndexedBase("q")
KL_NAME = sp.Symbol(r"\mathrm{KL}\left(p \,\|\, q\right)")  #: the name shown in prose
G = sp.Function("g")
GAP = sum((q - p) ** 2 / (2 * (q + p)) for p, q in PAIRS)  #: what the sharp lemma adds: KL ≥ GAP


def total(term: sp.Expr) -> sp.Sum:
    """Σ over the two classes i = 1, 2, shown as a sum (prose only)."""
    return sp.Sum(term, (I, 1, 2))


def ratio(numerator: sp.Expr, denominator: sp.Expr) -> sp.Expr:
    """``numerator / denominator`` as written (prose only)."""
    return sp.Mul(numerator, sp.Pow(denominator, -1, evaluate=False), evaluate=False)


def written_loss(label: int) -> sp.Expr:
    """−(y·log ŷ + (1 − y)·log(1 − ŷ)) with the label's value shown, not yet simplified."""
    value = sp.Integer(label)
    one_minus = sp.Add(1, sp.Mul(-1, value, evaluate=False), evaluate=False)
    inner = sp.Add(
        sp.Mul(value, sp.log(yhat), evaluate=False),
        sp.Mul(one_minus, sp.log(1 - yhat), evaluate=False),
        evaluate=False,
    )
    return sp.Mul(-1, inner, evaluate=False)


def log_lemma(d: Derivation, g: sp.Expr, why: Text) -> Theorem | None:
    """0 ≤ g(t) for t > 0, from g(1) = 0 and g' ≤ 0 on (0, 1], g' ≥ 0 on [1, ∞): monotone on each side."""
    slope = sp.factor(sp.diff(g.doit(), t)).xreplace(AS_WRITTEN)
    claims = (
        d.claim(Prop(sp.Derivative(g, t), "=", slope)),
        d.claim(Prop(slope, "<=", 0), (Prop(0, "<", t), Prop(t, "<=", 1))),
        d.claim(Prop(0, "<=", slope), (Prop(1, "<=", t), Prop(0, "<", t))),
    )
    derivative, falling, rising = (c.theorem for c in claims)
    if None in (derivative, falling, rising):
        return None
    left = kernel.monotone(kernel.chain(derivative, falling), g, t, sp.Integer(1))
    right = kernel.monotone(kernel.chain(rising, kernel.symmetry(derivative)), g, t, sp.Integer(1))
    return d.fact(kernel.cases(left, right, t, sp.Integer(1)), why=why).theorem


def gibbs(lemma: Theorem, rest: sp.Expr) -> Theorem:
    """0 ≤ KL − rest: Σ p_i·g(q_i/p_i) ≥ 0, and Σ p_i(q_i/p_i − 1) = Σ q_i − Σ p_i = 1 − 1 = 0."""
    total = None
    for p, q in PAIRS:
        instance = kernel.discharge(
            kernel.instantiate(lemma, t, q / p), proved(Prop(0, "<", q / p))
        )
        term = kernel.scale(instance, proved(Prop(0, "<", p)))
        total = term if total is None else kernel.add(total, term)
    target = KL - rest
    spread = kernel.chain(
        total, proved(Prop(total.prop.rhs, "=", target + yhat + yhatbar - y - ybar))
    )
    y_sum = kernel.symmetry(
        kernel.congruence(kernel.assume(HYPOTHESES[0]), target + yhat + yhatbar - y - _HOLE, _HOLE)
    )
    q_sum = kernel.symmetry(
        kernel.congruence(kernel.assume(HYPOTHESES[1]), target + yhat + _HOLE - 1, _HOLE)
    )
    return kernel.chain(kernel.chain(spread, y_sum), q_sum)


def cases_and_limits(d: Derivation) -> list[Theorem]:
    facts = []
    for label, loss, good, bad in (
        (1, -sp.log(yhat), (1, "-"), (0, "+")),
        (0, -sp.log(1 - yhat), (0, "+"), (1, "-")),
    ):
        c = d.chain(written_loss(label))
        c.eq(
            loss,
            why=Text(
                en=f"y = {label}: the other term has the factor {1 - label} and drops out",
                zh=f"y = {label}：另一项的系数为 {1 - label}，消失",
            ),
        )
        facts.append(c.theorem)
        positive = d.claim(
            Prop(0, "<", loss),
            (Prop(yhat, "<", 1),),
            why=Text(
                en="the log of a probability below 1 is negative", zh="小于 1 的概率取对数为负"
            ),
        )
        facts.append(positive.theorem)
        for (end, side), value in ((good, sp.Integer(0)), (bad, sp.oo)):
            why = (
                Text(en="a confident right answer costs nothing", zh="自信且正确：几乎没有损失")
                if value == 0
                else Text(
                    en="a confident wrong answer costs without bound", zh="自信却错误：损失无界"
                )
            )
            facts.append(
                d.fact(
                    kernel.limit(Prop(sp.Limit(loss, yhat, end, side), "=", value)), why=why
                ).theorem
            )
    return facts


def derive() -> Derivation:
    d = Derivation(
        "bce-behaviour",
        "Q1.2",
        Text(
            en="Cross-entropy: the binary formula, its behaviour, and what difference of distributions it measures",
            zh="交叉熵：二分类公式、它的行为，以及它度量的是哪两个分布的差异",
        ),
    )
    with d.answer():
        d.say(
            en="Cross-entropy compares the true distribution of the class, {p}, with the "
            "predicted one, {q}. For a label {label} and a predicted probability {prob} of class 1 "
            "the binary cross-entropy is",
            zh="交叉熵比较类别的真实分布 {p} 与预测分布 {q}。对标签 {label} 和预测为第 1 类的概率 "
            "{prob}，二分类交叉熵为",
            p=sp.Tuple(y, 1 - y),
            q=sp.Tuple(yhat, 1 - yhat),
            label=sp.Contains(y, sp.FiniteSet(0, 1), evaluate=False),
            prob=sp.Contains(yhat, sp.Interval.open(0, 1), evaluate=False),
        )
        d.define(sp.Symbol("L"), bce(y, yhat))
        d.say(
            en="For each label only one term is active, and the loss is −log of the probability "
            "the model gives to the true class:",
            zh="对每个标签只有一项起作用，损失就是模型给真实类别的概率取 −log：",
        )
        cases = cases_and_limits(d)
        d.say(
            en="So {positive} for every prediction strictly between 0 and 1, and L tends to 0 "
            "exactly as ŷ tends to the label: {nonneg}, with {zero} only for the perfect prediction "
            "{match}. As ŷ tends to the wrong end L grows without bound: confident mistakes cost "
            "most. Minimising L pulls the predicted distribution onto the true one; for a hard "
            "label L is the Kullback–Leibler divergence of the prediction from the label (proved "
            "in the proofs document).",
            zh="所以预测严格介于 0 与 1 之间时 {positive}，而 ŷ 趋于标签时 L 趋于 0：{nonneg}，只有完美"
            "预测 {match} 时 {zero}。ŷ 趋向错误的一端时 L 无界增大：自信的错误代价最大。最小化 L 就是"
            "把预测分布拉向真实分布；对硬标签，L 就是标签分布与预测分布之间的相对熵（证明见完整证明"
            "文档）。",
            positive=sp.Gt(sp.Symbol("L"), 0, evaluate=False),
            nonneg=sp.Ge(sp.Symbol("L"), 0, evaluate=False),
            zero=sp.Eq(sp.Symbol("L"), 0, evaluate=False),
            match=sp.Eq(yhat, y, evaluate=False),
        )
    d.say(
        en="How it measures the difference of distributions. The label is the distribution {p} "
        "with {ybar}, the prediction is {q} with {yhatbar}, and the loss is their cross-entropy "
        "{ce}. It splits into the entropy {h}, which does not depend on the model, and the "
        "Kullback–Leibler divergence {kl} (here 0 < y, ŷ < 1):",
        zh="它如何度量分布之间的差异。标签是分布 {p}，其中 {ybar}；预测是分布 {q}，其中 {yhatbar}；"
        "损失就是二者的交叉熵 {ce}。它分解为与模型无关的熵 {h}，加上相对熵（KL 散度）{kl}"
        "（这里 0 < y, ŷ < 1）：",
        p=sp.Eq(sp.Symbol("p"), sp.Tuple(y, ybar), evaluate=False),
        q=sp.Eq(sp.Symbol("q"), sp.Tuple(yhat, yhatbar), evaluate=False),
        ybar=sp.Eq(ybar, 1 - y, evaluate=False),
        yhatbar=sp.Eq(yhatbar, 1 - yhat, evaluate=False),
        ce=-total(P[I] * sp.log(Q[I])),
        h=sp.Eq(sp.Function("H")(sp.Symbol("p")), -total(P[I] * sp.log(P[I])), evaluate=False),
        kl=sp.Eq(KL_NAME, total(P[I] * sp.log(P[I] / Q[I])), evaluate=False),
    )
    split = d.chain(bce(y, yhat), HYPOTHESES)
    first = kernel.congruence(
        kernel.assume(HYPOTHESES[0]), -y * sp.log(yhat) - _HOLE * sp.log(1 - yhat), _HOLE
    )
    split.eq(first.prop.rhs, by=first, why=Text(en="write ȳ for 1 − y", zh="把 1 − y 记作 ȳ"))
    second = kernel.congruence(
        kernel.assume(HYPOTHESES[1]), -y * sp.log(yhat) - ybar * sp.log(_HOLE), _HOLE
    )
    split.eq(CROSS_ENTROPY, by=second, why=Text(en="write ŷ̄ for 1 − ŷ", zh="把 1 − ŷ 记作 ŷ̄"))
    split.eq(
        ENTROPY + KL,
        why=Text(
            en="H(p) + KL(p‖q): log(a/b) = log a − log b for a, b > 0",
            zh="H(p) + KL(p‖q)：a, b > 0 时 log(a/b) = log a − log b",
        ),
    )
    d.conclude("BCE(y, yhat) = H(p) + KL(p||q)", split.theorem)
    d.say(
        en="Gibbs' inequality {gibbs} rests on one lemma, {lemma} for t > 0. Its proof: {g} has "
        "{g1} and {slope}, which is ≤ 0 on (0, 1] and ≥ 0 on [1, ∞), so g is smallest at 1:",
        zh="吉布斯不等式 {gibbs} 只依赖一个引理：t > 0 时 {lemma}。证明：{g} 满足 {g1}，{slope} 在 "
        "(0, 1] 上 ≤ 0，在 [1, ∞) 上 ≥ 0，所以 g 在 1 处最小：",
        gibbs=sp.Ge(KL_NAME, 0, evaluate=False),
        lemma=sp.Le(sp.log(t), sum_as_written(t, -1), evaluate=False),
        g=sp.Eq(G(t), sum_as_written(t, -1, -sp.log(t)), evaluate=False),
        g1=sp.Eq(G(1), 0, evaluate=False),
        slope=sp.Eq(sp.Derivative(G(t), t), ratio(sum_as_written(t, -1), t), evaluate=False),
    )
    lemma = log_lemma(
        d,
        LOG_LEMMA,
        Text(
            en="monotone on each side of t = 1, then the two cases",
            zh="在 t = 1 两侧分别单调，再合并两种情形",
        ),
    )
    d.say(
        en="Put {t}, multiply by {p} and add: {sum} = 1 − 1 = 0, that is:",
        zh="令 {t}，乘以 {p} 再相加：{sum} = 1 − 1 = 0，即：",
        t=sp.Eq(t, Q[I] / P[I], evaluate=False),
        p=sp.Gt(P[I], 0, evaluate=False),
        sum=sp.Le(
            total(P[I] * sp.log(Q[I] / P[I])),
            sum_as_written(total(Q[I]), -total(P[I])),
            evaluate=False,
        ),
    )
    kl_nonneg = (
        d.fact(
            gibbs(lemma, sp.Integer(0)),
            why=Text(
                en="the lemma at t = ŷ/y and t = ŷ̄/ȳ, scaled by y and ȳ, added; the probabilities sum to 1",
                zh="引理取 t = ŷ/y 与 t = ŷ̄/ȳ，分别乘以 y 与 ȳ 后相加；概率之和为 1",
            ),
        ).theorem
        if lemma
        else None
    )
    bound = None
    if kl_nonneg and split.theorem:
        entropy_le = kernel.add(proved(Prop(ENTROPY, "=", ENTROPY)), kl_nonneg)  # H + 0 ≤ H + KL
        bound = d.fact(
            kernel.chain(entropy_le, kernel.symmetry(split.theorem)),
            why=Text(
                en="so BCE ≥ H(p): no prediction beats the label's own entropy",
                zh="所以交叉熵 ≥ H(p)：任何预测都低不过标签自身的熵",
            ),
        ).theorem
    d.conclude("KL(p||q) >= 0", kl_nonneg)
    d.conclude("BCE(y, yhat) >= H(p)", bound)
    d.say(
        en="Equality holds at {match}: there q = p and every {zero}, so the cross-entropy equals "
        "the entropy:",
        zh="{match} 时取等号：此时 q = p，每个 {zero}，交叉熵等于熵：",
        match=sp.Eq(yhat, y, evaluate=False),
        zero=sp.Eq(sp.log(P[I] / Q[I]), sp.log(1, evaluate=False), evaluate=False),
    )
    if split.theorem:
        d.fact(
            kernel.instantiate(kernel.instantiate(split.theorem, yhat, y), yhatbar, ybar),
            why=Text(
                en="the decomposition at ŷ = y: KL(p‖p) = 0", zh="ŷ = y 时的分解：KL(p‖p) = 0"
            ),
        )
    d.say(
        en="and only there. For that the lemma is sharpened to {sharp}, proved the same way, which "
        "gives {gap}, positive as soon as ŷ ≠ y:",
        zh="而且只在此处取等号。为此把引理加强为 {sharp}，证法相同，由此 {gap}，只要 ŷ ≠ y 就为正：",
        sharp=sp.Le(
            sp.log(t),
            sum_as_written(
                t,
                -1,
                -ratio(
                    (sum_as_written(t, -1)) ** 2, sp.Mul(2, sum_as_written(t, 1), evaluate=False)
                ),
            ),
            evaluate=False,
        ),
        gap=sp.Ge(
            KL_NAME,
            total(
                ratio(
                    sum_as_written(Q[I], -P[I]) ** 2,
                    sp.Mul(2, sum_as_written(Q[I], P[I]), evaluate=False),
                )
            ),
            evaluate=False,
        ),
    )
    sharp = log_lemma(
        d, SHARP_LEMMA, Text(en="monotone on each side of t = 1", zh="在 t = 1 两侧分别单调")
    )
    strict = []
    if sharp:
        gap_le = kernel.add(
            proved(Prop(GAP, "=", GAP)), gibbs(sharp, GAP)
        )  # GAP + 0 ≤ GAP + KL − GAP
        d.fact(
            gap_le,
            why=Text(
                en="the sharp lemma at {t}, as above",
                zh="加强的引理取 {t}，同上",
                math={"t": sp.Eq(t, Q[I] / P[I], evaluate=False)},
            ),
        )
        for hypothesis, gap in ((Prop(yhat, "<", y), y - yhat), (Prop(y, "<", yhat), yhat - y)):
            certificate = SignCertificate(
                Substitution(),
                (
                    SignTerm(sp.Rational(1, 2), (("hyp", gap), ("hyp", gap), ("inv", y + yhat))),
                    SignTerm(
                        sp.Rational(1, 2), (("square", yhatbar - ybar), ("inv", ybar + yhatbar))
                    ),
                ),
            )
            positive = kernel.certified_sign(Prop(0, "<", GAP), certificate, (hypothesis,))
            strict.append(
                d.fact(
                    kernel.chain(positive, gap_le),
                    why=Text(
                        en="ŷ ≠ y makes the first square strictly positive",
                        zh="ŷ ≠ y 使第一个平方严格为正",
                    ),
                ).theorem
            )
    d.conclude("yhat < y => KL(p||q) > 0", strict[0] if strict else None)
    d.conclude("y < yhat => KL(p||q) > 0", strict[1] if strict else None)
    d.say(
        en="So minimising the BCE over ŷ is minimising KL(p‖q), the divergence of the predicted distribution "
        "from the true one: it is ≥ 0 and reaches 0 exactly when the prediction equals the label "
        "distribution. For a hard label y ∈ {0, 1} the entropy vanishes (with 0·log 0 = 0, the limit "
        "below), so there the BCE is the KL divergence itself:",
        zh="因此对 ŷ 最小化交叉熵，就是最小化 KL(p‖q)，即预测分布偏离真实分布的程度：它 ≥ 0，并且恰好在预测"
        "等于标签分布时为 0。对硬标签 y ∈ {0, 1}，熵为 0（约定 0·log 0 = 0，即下面的极限），此时交叉熵 "
        "就是 KL 散度本身：",
    )
    entropy_of_y = bce(y, y)
    for end, side in ((0, "+"), (1, "-")):
        d.fact(
            kernel.limit(Prop(sp.Limit(entropy_of_y, y, end, side), "=", 0)),
            why=Text(en=f"H(p) → 0 as y → {end}", zh=f"y → {end} 时 H(p) → 0"),
        )
    d.conclude("y = 1: L = -log(yhat)", cases[0])
    sample_slip(d)
    return d


def sample_slip(d: Derivation) -> None:
    """The sample answer writes the loss at label 1 as −log y, the log of the label."""
    minus_log_one = sp.Mul(-1, sp.log(sp.Integer(1), evaluate=False), evaluate=False)
    d.mistake(
        where=Text(
            en="The sample answer's Q1.2, last line: for label 1 it gives the loss as {wrong}",
            zh="样例答卷 Q1.2 最后一行：标签为 1 时，它把损失写成 {wrong}",
            math={"wrong": -sp.log(y)},
        ),
        why=Text(
            en="In its own formula y is the label, so at label 1 this is {zero} whatever the "
            "prediction; the loss is {right}, the log of the predicted probability.",
            zh="在它自己的公式里 y 是标签，所以标签为 1 时它恒为 {zero}，与预测无关；损失应为 {right}，"
            "即预测概率的对数。",
            math={"zero": sp.Eq(minus_log_one, 0, evaluate=False), "right": -sp.log(yhat)},
        ),
        wrong=Prop(bce(y, yhat), "=", -sp.log(y)),
        assumptions=(Prop(y, "=", 1), Prop(yhat, "<", 1)),
    )
