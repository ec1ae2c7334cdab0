"""Q3 (beyond the assignment) — softmax with cross-entropy: ∂L/∂z_j = ŷ_j − y_j when Σ_k y_k = 1.

The general argument keeps the number of classes K symbolic: the class j we
differentiate by is written z_j, y_j, and the other K − 1 classes are
numbered k = 1, …, K − 1 as z̃_k, ỹ_k, so the sums are SymPy ``Sum`` objects
of symbolic length and no KroneckerDelta is needed.  Each step is a kernel
``derivative`` or ``rational-identity`` check (SymPy differentiates through
the Sum; ``cancel`` takes factors independent of k out of it); the last one
replaces y_j + Σ ỹ_k by 1 by congruence, so the hypothesis Σ y = 1 is the
theorem's one assumption.  K = 2, …, 6 are also checked with every class
written out.  The certificates are built here with an explicit substitution:
the tactics' substitution search picks exponentials of the *bound* z̃_k and
the kernel rightly rejects those.
"""

from __future__ import annotations

import sympy as sp

from derivations.common import product_as_written, sum_as_written
from derivations.deep_chain import HOLE
from proofsheet import kernel
from proofsheet.kernel import Prop, Theorem
from proofsheet.kernel.certificates import DerivativeIdentity, RationalIdentity, Substitution
from proofsheet.search.decide import decide
from proofsheet.sheet.derivation import Derivation, Text

K = sp.Symbol("K", integer=True, positive=True)  #: the number of classes
k, l = sp.Symbol("k", integer=True), sp.Symbol("l", integer=True)
zj, yj = sp.Symbol("z_j", real=True), sp.Symbol("y_j", real=True)
zo, yo = sp.IndexedBase(r"\tilde{z}", real=True), sp.IndexedBase(r"\tilde{y}", real=True)
T = sp.Symbol("t", positive=True)  #: t = e^(−z_j)
EXPLICIT = range(2, 7)


def others(body: sp.Expr, index: sp.Symbol = k) -> sp.Sum:
    """Σ over the K − 1 classes other than j."""
    return sp.Sum(body, (index, 1, K - 1))


S = sp.exp(zj) + others(sp.exp(zo[l]), l)  #: Σ_i e^(z_i), the softmax denominator
yhat_j = sp.exp(zj) / S
LOSS = -yj * sp.log(sp.exp(zj) / S) - others(yo[k] * sp.log(sp.exp(zo[k]) / S))


def checked(prop: Prop) -> Theorem:
    """The kernel's derivative or rational-identity rule, with t = e^(−zⱼ)."""
    sub = Substitution(((T, -zj),))
    if prop.lhs.has(sp.Derivative) or prop.rhs.has(sp.Derivative):
        return kernel.derivative(prop, DerivativeIdentity(sub))
    return kernel.rational_identity(prop, RationalIdentity(sub))


def explicit(K_: int, j: int) -> Prop:
    """∂L/∂zⱼ = ŷⱼ − yⱼ for K_ written-out classes, with y_K = 1 − (y₁ + … + y_(K−1))."""
    z = [sp.Symbol(f"z_{c}", real=True) for c in range(1, K_ + 1)]
    y = [sp.Symbol(f"y_{c}", real=True) for c in range(1, K_)]
    y.append(1 - sum(y))
    total = sum(sp.exp(v) for v in z)
    loss = -sum(label * sp.log(sp.exp(v) / total) for label, v in zip(y, z))
    return Prop(sp.Derivative(loss, z[j - 1]), "=", sp.exp(z[j - 1]) / total - y[j - 1])


def general(d: Derivation) -> Theorem | None:
    hypothesis = Prop(yj + others(yo[k]), "=", 1)
    c = d.chain(sp.Derivative(LOSS, zj), assumptions=(hypothesis,))
    d_log_j = sp.Derivative(sp.log(sp.exp(zj) / S), zj)
    d_log_k = sp.Derivative(sp.log(sp.exp(zo[k]) / S), zj)
    steps = [
        (
            sum_as_written(-yj * d_log_j, -others(yo[k] * d_log_k)),
            Text(
                en="the derivative of a sum is the sum of the derivatives; the labels do not depend on zⱼ",
                zh="和的导数等于导数之和；标签与 zⱼ 无关",
            ),
        ),
        (
            sum_as_written(
                product_as_written(-yj, 1 - yhat_j), -others(product_as_written(yo[k], -yhat_j))
            ),
            Text(
                en="log ŷⱼ = zⱼ − log S has derivative {own}; log ŷₖ = z̃ₖ − log S has "
                "derivative −ŷⱼ (only S depends on zⱼ)",
                zh="log ŷⱼ = zⱼ − log S 的导数是 {own}；log ŷₖ = z̃ₖ − log S 的导数是 −ŷⱼ"
                "（只有 S 依赖 zⱼ）",
                math={
                    "own": sp.Eq(
                        sum_as_written(1, -sp.exp(zj) / sp.Symbol("S")),
                        sum_as_written(1, -sp.Symbol(r"\hat{y}_j")),
                        evaluate=False,
                    )
                },
            ),
        ),
        (
            sum_as_written(-yj, product_as_written(yhat_j, yj + others(yo[k]))),
            Text(
                en="multiply out and take the common factor ŷⱼ out of the sum",
                zh="展开，并把公因子 ŷⱼ 提到和号外",
            ),
        ),
    ]
    for term, why in steps:
        c.eq(term, why=why, by=checked(Prop(c.last, "=", term)))
    labels = kernel.congruence(
        kernel.assume(hypothesis), c.last.xreplace({hypothesis.lhs: HOLE}), HOLE
    )
    final = sum_as_written(yhat_j, -yj)
    c.eq(
        final,
        why=Text(en="the labels sum to 1: yⱼ + Σₖ ỹₖ = 1", zh="标签之和为 1：yⱼ + Σₖ ỹₖ = 1"),
        by=kernel.chain(labels, checked(Prop(labels.prop.rhs, "=", final))),
    )
    return c.theorem


def derive() -> Derivation:
    d = Derivation(
        "softmax-ce-gradient",
        "Q3",
        Text(
            en="Softmax with cross-entropy: ∂L/∂zⱼ = ŷⱼ − yⱼ, for any number of classes",
            zh="softmax 与交叉熵：∂L/∂zⱼ = ŷⱼ − yⱼ，对任意类别数成立",
        ),
    )
    i, z, y, yhat = (
        sp.Symbol("i", integer=True),
        *(sp.IndexedBase(n) for n in ("z", "y", r"\hat{y}")),
    )
    S_name, L_name = sp.Symbol("S"), sp.Symbol("L")
    prose = dict(
        softmax=sp.Eq(yhat[k], sp.exp(z[k]) / S_name, evaluate=False),
        S=sp.Eq(S_name, sp.Sum(sp.exp(z[i]), (i, 1, K)), evaluate=False),
        loss=sp.Eq(L_name, -sp.Sum(y[k] * sp.log(yhat[k]), (k, 1, K)), evaluate=False),
        labels=sp.Eq(sp.Sum(y[k], (k, 1, K)), 1, evaluate=False),
        gradient=sp.Eq(
            sp.Derivative(L_name, zj), sum_as_written(sp.Symbol(r"\hat{y}_j"), -yj), evaluate=False
        ),
        rest=sp.Eq(S_name, sum_as_written(sp.exp(zj), others(sp.exp(zo[k]))), evaluate=False),
    )
    d.say(
        en="With K classes the network outputs K scores, turned into probabilities by the softmax "
        "{softmax} with {S}; the loss is the cross-entropy {loss} against a target distribution "
        "y ({labels}, e.g. one-hot). We show {gradient}, the multi-class version of the "
        "sigmoid's ∂L/∂z = ŷ − y.",
        zh="有 K 个类别时，网络输出 K 个得分，经 softmax 变成概率 {softmax}，其中 {S}；"
        "损失是与目标分布 y（{labels}，例如独热向量）的交叉熵 {loss}。我们证明 {gradient}，"
        "即 sigmoid 情形 ∂L/∂z = ŷ − y 的多分类版本。",
        **prose,
    )
    d.say(
        en="General K. Fix the class j and number the other K − 1 classes k = 1, …, K − 1, with "
        "scores z̃ₖ and targets ỹₖ (a relabelling: the loss does not depend on the order of the "
        "classes). Then {rest} and the loss is as below; K stays a symbol throughout.",
        zh="一般的 K。固定类别 j，把其余 K − 1 个类别编号为 k = 1, …, K − 1，得分记作 z̃ₖ，"
        "目标记作 ỹₖ（只是重新编号：损失与类别顺序无关）。于是 {rest}，损失如下；K 始终是符号。",
        rest=prose["rest"],
    )
    d.define(
        sp.Symbol("L"),
        LOSS,
        Text(en="the cross-entropy, class j written apart", zh="交叉熵，把类别 j 单独写出"),
    )
    d.conclude("dL/dz_j = yhat_j - y_j (any K, given sum y = 1)", general(d))
    d.say(
        en="The last line is {last}. As a cross-check, the same identity is verified with every "
        "class written out for K = 2 and K = 3 (every j) below, and for K = 4, 5, 6 (every j) in "
        "the proof log; the hypothesis {labels} is used by writing {y_K}.",
        zh="最后一行即 {last}。作为交叉验证，下面对 K = 2 和 K = 3（每个 j）把所有类别写出验证同一"
        "恒等式，K = 4, 5, 6（每个 j）的验证记在证明日志中；假设 {labels} 通过 {y_K} 代入。",
        last=sp.Eq(
            sum_as_written(sp.exp(zj) / S_name, -yj),
            sum_as_written(sp.Symbol(r"\hat{y}_j"), -yj),
            evaluate=False,
        ),
        labels=prose["labels"],
        y_K=sp.Eq(sp.Symbol("y_K"), 1 - sp.Sum(y[k], (k, 1, K - 1)), evaluate=False),
    )
    for size in EXPLICIT:
        for j in range(1, size + 1):
            name = f"K = {size}, j = {j}"
            if size <= 3:
                claim = d.claim(explicit(size, j), why=Text(en=name, zh=name))
                d.conclude(name, claim.theorem)
            else:
                d.conclude(name, decide(explicit(size, j), proof_first=True).theorem)
    d.say(
        en="So the gradient of softmax cross-entropy with respect to each score is prediction minus target, "
        "exactly as for a sigmoid with binary cross-entropy: the softmax's own derivative "
        "ŷₖ(δⱼₖ − ŷⱼ) cancels against the 1/ŷₖ of the logarithm, so a saturated softmax that is "
        "confidently wrong still gets a gradient of size close to 1 — there is no vanishing factor at the "
        "output layer.",
        zh="因此 softmax 交叉熵对每个得分的梯度就是预测减目标，与 sigmoid 配二分类交叉熵完全相同：softmax 自身的导数 "
        "ŷₖ(δⱼₖ − ŷⱼ) 与对数的 1/ŷₖ 相消，所以即使 softmax 饱和且错得很自信，梯度仍接近 1——输出层没有"
        "使梯度消失的因子。",
    )
    return d
