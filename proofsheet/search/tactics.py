"""Tactics: untrusted search for certificates (the plans the kernel checks).

Nothing here can make a step pass: :func:`check_plan` hands what the search
found to the kernel, which alone decides (:mod:`.decide` runs it all under a
time limit).

>>> import sympy as sp
>>> from proofsheet.kernel.notation import sigma
>>> x = sp.Symbol("x", real=True)
>>> check_plan(Prop(1 - sigma(x), "=", sigma(-x)),
...            search_certificate(Prop(1 - sigma(x), "=", sigma(-x))), ()).rule
'rational-identity'
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import sympy as sp
from sympy.polys.polyerrors import BasePolynomialError

from .. import kernel
from ..kernel import UPWARD, Prop, algebra, interval
from ..kernel import verdict as verdict_policy
from ..kernel.certificates import (
    HYP,
    INV,
    INV_HYP,
    POS,
    ROOT,
    SQUARE,
    DerivativeIdentity,
    IntervalCertificate,
    RationalIdentity,
    SignCertificate,
    SignTerm,
    Substitution,
)
from ..kernel.domain import CONDITION_RELATIONS
from ..kernel.errors import KernelError
from ..kernel.notation import sigma
from ..kernel.radicals import is_root
from ..kernel.refute import point_symbols
from ..kernel.sigma_atoms import atomised
from . import absolute, definitions, derivatives, lemmas, radicals, sums
from . import product_bound as derived
from .comparisons import WithFacts, comparison_plans, with_facts_theorem
from .counterexamples import candidate_points
from .positivstellensatz import hypothesis_certificate
from .substitution import find_substitution

# --- certificates for equations ---------------------------------------------------------


def nested_sigmoids(sides: list[sp.Basic]) -> tuple[sp.Expr, ...]:
    """Every ``σ(u)`` of the (differentiated) sides, when some σ holds another: the atoms
    that keep a nested chain polynomial (:mod:`proofsheet.kernel.sigma_atoms`)."""
    found = set().union(*(side.atoms(sigma) for side in sides))
    if not any(atom.args[0].has(sigma) for atom in found):
        return ()
    return tuple(sorted(found, key=sp.default_sort_key))


def equation_certificate(prop: Prop):
    kind = (
        DerivativeIdentity
        if prop.lhs.has(sp.Derivative) or prop.rhs.has(sp.Derivative)
        else RationalIdentity
    )
    sides = [algebra.differentiated_all(side) for side in (prop.lhs, prop.rhs)]
    atoms = nested_sigmoids(sides)
    if atoms:  # the exponentials left once the atoms are replaced
        left = (atomised(algebra.evaluated(side), atoms) for side in sides)
        cert = kind(find_substitution(*left), atoms)
        try:
            kernel.check(prop, cert)
            return cert
        except KernelError:
            pass  # σ(u) and σ(−u) are related: compare them unfolded
    return kind(find_substitution(prop.lhs, prop.rhs))


# --- certificates for inequalities ------------------------------------------------------


def _hypothesis_factor(f: sp.Expr, assumptions, sub, strict: bool = False) -> int:
    """+1 if some assumption gives f ≥ 0 (f > 0 if strict), −1 if it gives that of −f, else 0."""
    for sign in (1, -1):
        found = algebra.hypothesis_sign(sign * f, assumptions, sub)
        if found == ">" or (found and not strict):
            return sign
    return 0


def _factor_certificate(q: sp.Expr, assumptions, sub) -> SignTerm | None:
    """Read a factored rational function as coeff · squares · positives · hypotheses."""
    numer, denom = sp.fraction(sp.together(q))
    try:
        coeff_n, factors_n = sp.factor_list(numer)
        coeff_d, factors_d = sp.factor_list(denom)
    except BasePolynomialError:  # 2**x alone is no polynomial: the posynomial reading may be
        return None
    coeff = coeff_n / coeff_d
    pieces: list[tuple[str, sp.Expr]] = []
    for sign_of_power, factor_list in ((1, factors_n), (-1, factors_d)):
        for f, power in factor_list:
            if algebra.is_positive_polynomial(f):
                pieces.append((POS if sign_of_power > 0 else INV, f**power))
            elif not (isinstance(power, int) or power.is_Rational):  # x**y: sign unknown
                return None
            elif power % 2 == 0:
                pieces.append((SQUARE, f ** (sign_of_power * power // 2)))
            elif sp.Rational(power).q != 1 and f.is_nonnegative:  # √q = (q^¼)² for q ≥ 0
                pieces.append((SQUARE, f ** (sign_of_power * power / 2)))
            elif sign_of_power > 0 and is_root(f):  # |u| ≥ 0, √u ≥ 0 where it is defined
                pieces.extend([(ROOT, f)] * power)
            elif sign := _hypothesis_factor(f, assumptions, sub, strict=sign_of_power < 0):
                coeff *= sign**power
                pieces.extend([(HYP if sign_of_power > 0 else INV_HYP, sign * f)] * power)
            else:
                return None
    if not (coeff.is_Rational and coeff >= 0):
        return None
    return SignTerm(sp.Rational(coeff), tuple(pieces))


def _posynomial_certificate(q: sp.Expr) -> tuple[SignTerm, ...] | None:
    """q = (Σ c·monomial) / positive denominator, every c > 0."""
    numer, denom = sp.fraction(sp.cancel(q))
    if not algebra.is_positive_polynomial(denom):
        return None
    terms = []
    for term in sp.Add.make_args(sp.expand(numer)):
        coeff, monomial = term.as_coeff_Mul()
        if not (
            coeff.is_Rational
            and coeff > 0
            and (monomial == 1 or algebra.is_positive_polynomial(monomial))
        ):
            return None
        factors = (() if monomial == 1 else ((POS, monomial),)) + ((INV, denom),)
        terms.append(SignTerm(sp.Rational(coeff), factors))
    return tuple(terms)


#: products of up to this many hypotheses and squares in the Positivstellensatz search
HYPOTHESIS_DEGREE = 4


def sign_certificate(prop: Prop, assumptions: tuple[Prop, ...] = ()) -> SignCertificate | None:
    """The cheap readings of rhs − lhs first (one factored product, a posynomial, term by term
    as written), the first the kernel accepts; then the linear-programming search over
    products of the assumptions."""
    upper = prop.as_upper()
    all_exprs = [prop.lhs, prop.rhs, *(side for a in assumptions for side in (a.lhs, a.rhs))]
    sub = find_substitution(*all_exprs)
    q = kernel.normal_form(upper.rhs - upper.lhs, sub)
    if q == 0:
        return SignCertificate(sub, ()) if upper.rel == "<=" else None
    for reading in (_product_reading, _posynomial_reading, _termwise_reading):
        cert = reading(upper, q, assumptions, sub)
        if cert is not None and _accepted(prop, cert, assumptions):
            return cert
    return hypothesis_certificate(prop, assumptions, sub, HYPOTHESIS_DEGREE)


def _equal_sides(prop: Prop) -> bool:
    """Whether a non-strict inequality's sides have the same normal form (``exp(0) <= 1``)."""
    upper = prop.as_upper()
    try:
        return upper.rel == "<=" and kernel.normal_form(upper.rhs - upper.lhs, Substitution()) == 0
    except KernelError:
        return False


def _accepted(prop: Prop, cert: SignCertificate, assumptions: tuple[Prop, ...]) -> bool:
    """Whether the kernel accepts a reading (so that a rejected one leaves room for the next)."""
    try:
        kernel.check(prop, cert, assumptions)
    except Exception:  # noqa: BLE001 - untrusted: any failure means "try the next reading"
        return False
    return True


def _product_reading(_upper, q, assumptions, sub) -> SignCertificate | None:
    term = _factor_certificate(q, assumptions, sub)
    return None if term is None else SignCertificate(sub, (term,))


def _posynomial_reading(_upper, q, _assumptions, sub) -> SignCertificate | None:
    terms = _posynomial_certificate(q)
    return SignCertificate(sub, terms) if terms else None


def _termwise_reading(upper, _q, assumptions, sub) -> SignCertificate | None:
    """rhs − lhs term by term as written, before expansion: ``(x + 1)² + 1`` is a square
    and a positive constant."""
    terms = []
    for written in sp.Add.make_args(upper.rhs - upper.lhs):
        q = kernel.normal_form(written, sub)
        if q == 0:
            continue
        term = _factor_certificate(q, assumptions, sub)
        found = (term,) if term is not None else _posynomial_certificate(q)
        if not found:
            return None
        terms.extend(found)
    return SignCertificate(sub, tuple(terms)) if len(terms) > 1 else None


def abstract_sigmoids(prop: Prop) -> tuple[Prop, dict]:
    """Replace each σ(u) by a fresh real symbol: ``σ(x)(1 − σ(x)) ≤ 1/4`` → ``s(1 − s) ≤ 1/4``."""
    taken = {s.name for s in prop.free_symbols}
    names = (f"s_{i}" for i in itertools.count())
    mapping = {}
    for term in sorted(prop.lhs.atoms(sigma) | prop.rhs.atoms(sigma), key=sp.default_sort_key):
        mapping[term] = sp.Symbol(next(n for n in names if n not in taken), real=True)
    return prop.subs(mapping), mapping


#: the precisions an interval certificate is tried at: σ(1000) < 1 needs about 1 450 bits
INTERVAL_BITS = (256, 1024, 4096)


def interval_plan(prop: Prop) -> IntervalCertificate:
    """The least precision of :data:`INTERVAL_BITS` at which the gap of a closed inequality
    is certainly positive (the kernel evaluates it again)."""
    upper = prop.as_upper()
    for bits in INTERVAL_BITS:
        try:
            low, _high = interval.bounds(upper.rhs - upper.lhs, bits)
        except Exception:  # noqa: BLE001 - untrusted: the kernel will say what is wrong
            break
        if low > 0:
            return IntervalCertificate(bits)
    return IntervalCertificate()


def search_certificate(prop: Prop, assumptions: tuple[Prop, ...] = ()):
    """A plan the kernel is likely to accept: a certificate, or an abstraction and a certificate."""
    if prop.rel == "=":
        return equation_certificate(prop)
    if not prop.free_symbols:  # a <= a (0*log(x) <= 0 once SymPy has read it) has no gap
        return SignCertificate(Substitution(()), ()) if _equal_sides(prop) else interval_plan(prop)
    if isinstance(prop.as_upper().lhs, sp.Product):
        plan = product_plan(prop, assumptions)
        if plan is not None:
            return plan
    abstract, mapping = abstract_sigmoids(prop)
    if mapping and not assumptions:
        cert = sign_certificate(abstract, ())
        if cert is not None:
            return Abstraction(abstract, tuple((v, t) for t, v in mapping.items()), cert)
    return sign_certificate(prop, assumptions)


@dataclass(frozen=True)
class Abstraction:
    """Prove ``abstract`` for all real values of its symbols, then put σ(u) back in."""

    abstract: Prop
    instances: tuple[tuple[sp.Symbol, sp.Expr], ...]
    certificate: SignCertificate


@dataclass(frozen=True)
class ProductBound:
    """∏_{k=a}^{b} f(k) ≤ c^(b−a+1) from 0 ≤ f(x) ≤ c.

    Here x stands for the factor's k-dependent atom.
    """

    k: sp.Symbol
    lower: sp.Expr
    upper: sp.Expr
    body: sp.Expr
    atom: sp.Expr
    x: sp.Symbol
    bound: sp.Expr
    nonneg: object
    below: object
    fresh: tuple[str, str]
    #: (∀k H(u_k), H(x)): what the lemmas may assume of x, from an assumption on every member
    hypotheses: tuple[tuple[Prop, Prop], ...] = ()


def member_hypotheses(atom: sp.Indexed, x: sp.Symbol, assumptions) -> tuple:
    """The assumptions about every member of ``atom``'s family (``0 < u_k`` for ∀k), each
    with what it says of x standing for one member."""
    found = []
    for a in assumptions:
        every = [s for s in a.free_symbols if isinstance(s, kernel.Every)]
        if len(every) != 1:
            continue
        one = {sp.Indexed(atom.base, every[0]): x}
        local = Prop(a.lhs.xreplace(one), a.rel, a.rhs.xreplace(one))
        if not (local.lhs.has(kernel.Every) or local.rhs.has(kernel.Every)):
            found.append((a, local))
    return tuple(found)


def per_factor(total: sp.Expr, count: sp.Expr) -> sp.Expr | None:
    """The bound c of each factor when ``total`` is c^count: written c^count, c^(−count)
    for 1/c, a number whose count-th root is rational (1/64 = (1/4)³), or 1 below a
    number at least 1."""
    if isinstance(total, sp.Pow) and sp.expand(total.exp - count) == 0:
        return total.base
    if isinstance(total, sp.Pow) and sp.expand(total.exp + count) == 0:
        return 1 / total.base
    if total.is_Rational and total >= 1 and not count.is_Integer:  # ∏ ≤ 1 = 1^n ≤ total
        return sp.Integer(1)
    if total.is_Rational and total > 0 and count.is_Integer and 0 < count <= 64:
        root = sp.root(total, count)  # else a rational just below it: 1/60 ≥ (51/200)³
        return root if root.is_Rational else sp.Rational(int(sp.floor(root * 1000)), 1000)
    return None


def product_plan(prop: Prop, assumptions: tuple[Prop, ...] = ()) -> ProductBound | None:
    """A plan for ∏ f ≤ c^(number of factors): find the two one-factor lemmas."""
    upper = prop.as_upper()
    product, power = upper.lhs, upper.rhs
    if upper.rel not in ("<=", "<") or len(product.limits) != 1:
        return None
    k, a, b = product.limits[0]
    bound = per_factor(power, b - a + 1)
    if upper.rel == "<" and not (bound is not None and (bound ** (b - a + 1) < power) is sp.true):
        return None  # strict only below a number the bound is strictly under
    if bound is None or bound.free_symbols or not bound.is_positive:
        return None
    atoms = [e for e in product.function.atoms(sp.Indexed) if k in e.free_symbols]
    if len(atoms) != 1 or not atoms[0].is_real:
        return None
    taken = {s.name for s in prop.free_symbols}
    x, fresh = (
        sp.Symbol("x_0", real=True),
        tuple(n for n in ("a_0", "n_0", "a_1", "n_1") if n not in taken)[:2],
    )
    g = product.function.xreplace({atoms[0]: x})
    if k in g.free_symbols or x.name in taken:
        return None
    hypotheses = member_hypotheses(atoms[0], x, assumptions) if len(atoms[0].indices) == 1 else ()
    local = tuple(h for _every, h in hypotheses)
    nonneg, below = (search_certificate(p, local) for p in (Prop(0, "<=", g), Prop(g, "<=", bound)))
    if nonneg is None or below is None:
        return None
    return ProductBound(
        k, a, b, product.function, atoms[0], x, bound, nonneg, below, fresh, hypotheses
    )


def _lemma_at(lemma: kernel.Theorem, plan: ProductBound, e: sp.Expr) -> kernel.Theorem:
    """The factor's lemma at index e; what it assumed of x is then the member u_e's
    instance of the assumption about every member (rule ``member``)."""
    atom = plan.atom.xreplace({plan.k: e})
    theorem = kernel.instantiate(lemma, plan.x, atom)
    for every, local in plan.hypotheses:
        instance = kernel.member(every, atom.indices[0])
        if instance.prop == local.subs({plan.x: atom}):
            theorem = kernel.discharge(theorem, instance)
    return theorem


def _product_theorem(prop: Prop, plan: ProductBound) -> kernel.Theorem:
    g = plan.body.xreplace({plan.atom: plan.x})
    local = tuple(h for _every, h in plan.hypotheses)
    lemmas = [
        check_plan(p, c, local)
        for p, c in ((Prop(0, "<=", g), plan.nonneg), (Prop(g, "<=", plan.bound), plan.below))
    ]
    at = [lambda e, lemma=lemma: _lemma_at(lemma, plan, e) for lemma in lemmas]
    theorem = derived.product_bound_between(
        plan.body, plan.k, plan.lower, plan.upper, plan.bound, *at, fresh=plan.fresh
    )
    for count in [a for a in theorem.assumptions if not a.free_symbols]:  # 0 ≤ 3 factors
        gap = SignCertificate(Substitution(), (SignTerm(count.rhs - count.lhs, ()),))
        theorem = kernel.discharge(theorem, kernel.certified_sign(count, gap))
    written = prop.as_upper().rhs  # (1/4)^n proved, 4^(−n) written
    proved = theorem.prop.rhs
    if proved != written and proved.is_Rational and written.is_Rational:
        gap = SignCertificate(Substitution(), (SignTerm(written - proved, ()),))
        link = Prop(proved, prop.as_upper().rel, written)
        theorem = kernel.chain(theorem, kernel.certified_sign(link, gap))
    elif proved != written:
        same = kernel.rational_identity(Prop(proved, "=", written), RationalIdentity())
        theorem = kernel.chain(theorem, same)
    return theorem if prop.rel in UPWARD else kernel.symmetry(theorem)


# --- statements that hold on their domain: prove them for fresh positive symbols -------------


@dataclass(frozen=True)
class Positivised:
    """Prove the statement with fresh positive (non-negative) symbols standing for some of its
    terms (``instances``; the abstract statement is rebuilt from them, unevaluated so that a
    pickle cannot change it), put the terms back (``instantiate_under``, which adds
    ``0 < term``) and discharge each such hypothesis that is not a domain condition."""

    instances: tuple[tuple[sp.Symbol, sp.Expr], ...]
    plan: object
    discharges: tuple[tuple[Prop, object], ...]


def _sign_of_assumption(a: Prop) -> tuple[sp.Expr, str] | None:
    """``(u, kind)`` when ``a`` says ``0 < u`` or ``0 <= u``."""
    upper = a.as_upper()
    if upper.lhs == 0 and upper.rel in UPWARD:
        return upper.rhs, "positive" if upper.rel == "<" else "nonnegative"
    return None


def sign_targets(prop: Prop, assumptions: tuple[Prop, ...]) -> dict:
    """Terms the statement or its assumptions say are positive (non-negative): term -> kind,
    with how a hypothesis ``0 < term`` that is not a domain condition is discharged."""
    found: dict = {}

    def note(term: sp.Expr, kind: str, how) -> None:
        if term.is_number or getattr(term, f"is_{kind}") is True:
            return
        if term not in found or (kind == "positive" and found[term][0] != "positive"):
            found[term] = (kind, how)

    for a in assumptions:
        if (sign := _sign_of_assumption(a)) is not None:
            note(*sign, a)
        elif a.as_upper().rhs == 0 and a.as_upper().rel in UPWARD:
            term = -a.as_upper().lhs  # x < 0 says 0 < −x: proved from it by a sign certificate
            note(
                term,
                "positive" if a.as_upper().rel == "<" else "nonnegative",
                SignCertificate(Substitution(()), (SignTerm(sp.Integer(1), ((HYP, term),)),)),
            )
    domain = verdict_policy.domain_assumptions(prop)
    for a in domain:
        note(*_sign_of_assumption(a), None)
    for symbol in sorted(point_symbols((prop,)), key=sp.default_sort_key):
        if isinstance(symbol, sp.Symbol) and symbol not in found:
            for kind, rel in (("positive", "<"), ("nonnegative", "<=")):
                cert = _bound_certificate(Prop(0, rel, symbol), (*assumptions, *domain))
                if cert is not None:
                    note(symbol, kind, cert)
                    break
    return found


def _bound_certificate(goal: Prop, assumptions: tuple[Prop, ...]) -> SignCertificate | None:
    """``0 < v`` (``0 <= v``) from a hypothesis ``lo <= hi`` or ``lo < hi`` whose gap is
    ``hi − lo = v − c`` with a rational ``c >= 0`` (a bound ``2 < v``, or a domain condition
    ``0 < v − 2``): v = (hi − lo) + c."""
    v = goal.rhs
    for a in assumptions:
        upper = a.as_upper()
        if upper.rel not in UPWARD:
            continue
        gap = upper.rhs - upper.lhs
        c = sp.expand(v - gap)
        if not (c.is_Rational and c >= 0):
            continue
        if goal.rel == "<" and c == 0 and upper.rel == "<=":
            continue
        terms = (SignTerm(sp.Integer(1), ((HYP, gap),)),) + ((SignTerm(c, ()),) if c > 0 else ())
        return SignCertificate(Substitution(()), terms)
    return None


def _fresh(term: sp.Expr, kind: str, taken: set) -> sp.Symbol:
    """A fresh symbol for ``term`` with the sign ``kind`` (and an integer term's integrality)."""
    facts = {kind: True}  # declared positive or nonnegative, as the condition says
    if term.is_integer:
        facts["integer"] = True
    name = next(n for n in (f"p_{i}" for i in itertools.count()) if n not in taken)
    taken.add(name)
    return sp.Symbol(name, **facts)


def _bound_symbols(props) -> set:
    binders = (sp.Derivative, sp.Integral, sp.Limit, sp.Subs, sp.Lambda, sp.Sum, sp.Product)
    return set().union(
        *(
            set(b.variables) if not isinstance(b, sp.Limit) else {b.args[1]}
            for p in props
            for side in (p.lhs, p.rhs)
            for b in side.atoms(*binders)
        )
    )


def positivised_plans(prop: Prop, assumptions: tuple[Prop, ...] = ()):
    """Plans that prove ``prop`` for fresh positive symbols: the symbols the statement or its
    assumptions say are positive first, then other positive subterms too."""
    targets = sign_targets(prop, assumptions)
    bound = _bound_symbols((prop, *assumptions))
    targets = {t: v for t, v in targets.items() if not (t.free_symbols & bound)}
    symbols = {
        t: v
        for t, v in targets.items()
        if isinstance(t, sp.Symbol) or (isinstance(-t, sp.Symbol) and -t not in targets)
    }
    for chosen in (symbols, targets) if len(targets) > len(symbols) else (symbols,):
        if chosen:
            plan = _positivised(prop, assumptions, chosen)
            if plan is not None:
                yield plan


def _unevaluated(expr: sp.Basic, mapping: dict) -> sp.Basic:
    """``expr`` with terms replaced, left as written (``|p|`` stays), so that putting the terms
    back gives ``expr`` again; the kernel's checks evaluate it with the fresh symbols' signs."""
    with sp.evaluate(False):
        return expr.xreplace(mapping)


def _unevaluated_prop(p: Prop, mapping: dict) -> Prop:
    return Prop(_unevaluated(p.lhs, mapping), p.rel, _unevaluated(p.rhs, mapping))


def _put_back(p: Prop, mapping: dict) -> Prop:
    """What ``instantiate_under`` makes of an assumption: the terms put back at once."""
    return Prop(p.lhs.xreplace(mapping), p.rel, p.rhs.xreplace(mapping))


def _says_fresh_sign(a: Prop, fresh: set) -> bool:
    """Whether ``a`` only says that a fresh symbol has its sign (which it is declared to)."""
    sign = _sign_of_assumption(a)
    return sign is not None and sign[0] in fresh


def abstracted(prop: Prop, assumptions: tuple[Prop, ...], instances) -> tuple[Prop, tuple]:
    """The statement with each term replaced by its fresh symbol (left unevaluated), and the
    assumptions that still say something and come back unchanged."""
    fresh = dict(_entry(term, symbol) for symbol, term in instances)
    back = dict(instances)
    put = lambda p: _unevaluated_prop(p, fresh)
    kept = tuple(
        put(a)
        for a in assumptions
        if _put_back(put(a), back) == a and not _says_fresh_sign(put(a), set(back))
    )
    return put(prop), kept


def _entry(term: sp.Expr, symbol: sp.Symbol) -> tuple[sp.Expr, sp.Expr]:
    """What to replace for ``term`` := ``symbol``: ``−x`` is replaced as x := −symbol."""
    if isinstance(-term, sp.Symbol):
        return -term, -symbol
    return term, symbol


def _positivised(prop: Prop, assumptions: tuple[Prop, ...], chosen: dict) -> Positivised | None:
    taken = {s.name for p in (prop, *assumptions) for s in p.free_symbols}
    order = sorted(chosen, key=lambda t: (-sp.count_ops(t), sp.default_sort_key(t)))
    instances = tuple((_fresh(t, chosen[t][0], taken), t) for t in order)
    abstract, kept = abstracted(prop, assumptions, instances)
    plan = search_certificate(abstract, kept)
    if plan is None:
        return None
    granted = set(verdict_policy.domain_assumptions(prop))
    signs = (Prop(0, CONDITION_RELATIONS[chosen[t][0]], t) for t in order)
    discharges = tuple((sign, chosen[t][1]) for sign, t in zip(signs, order) if sign not in granted)
    if any(how is None for _h, how in discharges):
        return None
    return Positivised(instances, plan, discharges)


def _positivised_theorem(
    prop: Prop, plan: Positivised, assumptions: tuple[Prop, ...]
) -> kernel.Theorem:
    abstract, kept = abstracted(prop, assumptions, plan.instances)
    theorem = check_plan(abstract, plan.plan, kept)
    theorem = kernel.instantiate_under(theorem, plan.instances, prop)
    for hypothesis, how in plan.discharges:
        theorem = kernel.discharge(theorem, _discharge_proof(prop, hypothesis, how, assumptions))
    return theorem


def _discharge_proof(
    prop: Prop, hypothesis: Prop, how, assumptions: tuple[Prop, ...]
) -> kernel.Theorem:
    """``hypothesis`` (``0 < term``) by the assumption ``how`` or by its sign certificate under
    the stated assumptions, else under them and the statement's domain conditions (which
    the verdict grants: ``0 < x`` from ``0 < x − 2``, the condition of ``log(x − 2)``)."""
    if isinstance(how, Prop):
        return kernel.assume(how)
    try:
        return kernel.check(hypothesis, how, assumptions)
    except KernelError:
        domain = verdict_policy.domain_assumptions(prop)
        return kernel.check(hypothesis, how, tuple(dict.fromkeys((*assumptions, *domain))))


# --- |x|: one case for x ≥ 0 (x := q) and one for x ≤ 0 (x := −q), joined by ``cases`` -----

MAX_SPLITS = 2  #: symbols split by sign at most (2^k cases)


@dataclass(frozen=True)
class SignSplit:
    """Prove the statement in each case of the signs of ``variables``: with each x replaced by
    ``±q`` for its fresh non-negative q (``plans``, one per sign tuple); put the x back and
    join the cases ``x ≤ 0`` and ``0 ≤ x`` by the kernel's ``cases``."""

    variables: tuple[sp.Symbol, ...]
    fresh: tuple[sp.Symbol, ...]
    plans: tuple[tuple[tuple[int, ...], object], ...]


def _branch(
    prop: Prop, assumptions: tuple[Prop, ...], split: SignSplit, signs: tuple[int, ...]
) -> tuple[Prop, tuple[Prop, ...]]:
    """The statement with each variable := ``sign·fresh`` (unevaluated, all at once), and the
    assumptions that come back unchanged, with ``0 ≤ fresh`` for the sign search."""
    put = {v: sign * q for v, q, sign in zip(split.variables, split.fresh, signs)}
    back = {q: sign * v for v, q, sign in zip(split.variables, split.fresh, signs)}
    entered = lambda p: _unevaluated_prop(p, put)
    kept = tuple(entered(a) for a in assumptions if _put_back(entered(a), back) == a)
    return entered(prop), (*kept, *(Prop(0, "<=", q) for q in split.fresh))


def split_symbols(prop: Prop, assumptions: tuple[Prop, ...] = ()) -> list:
    """Real symbols of the statement under an absolute value (of the statement or of an
    assumption: ``x² < 4`` under ``|x| < 2``) whose sign is not declared."""
    sides = [side for p in (prop, *assumptions) for side in (p.lhs, p.rhs)]
    inside = set().union(*(e.args[0].free_symbols for side in sides for e in side.atoms(sp.Abs)))
    inside &= prop.free_symbols
    bound = _bound_symbols((prop,))
    return sorted(
        (
            v
            for v in inside
            if isinstance(v, sp.Symbol)
            and v.is_real
            and v not in bound
            and v.is_nonnegative is None
        ),
        key=sp.default_sort_key,
    )[:MAX_SPLITS]


def sign_split_plan(prop: Prop, assumptions: tuple[Prop, ...] = ()) -> SignSplit | None:
    """A direct certificate in each case of the signs of the symbols under ``|·|``."""
    variables = tuple(split_symbols(prop, assumptions))
    taken = {s.name for p in (prop, *assumptions) for s in p.free_symbols}
    split = SignSplit(variables, tuple(_fresh(v, "nonnegative", taken) for v in variables), ())
    plans = []
    for signs in itertools.product((-1, 1), repeat=len(variables)):
        plan = search_certificate(*_branch(prop, assumptions, split, signs))
        if plan is None:
            return None
        plans.append((signs, plan))
    return SignSplit(split.variables, split.fresh, tuple(plans))


def _case(
    prop: Prop, assumptions: tuple[Prop, ...], split: SignSplit, signs: tuple[int, ...], plan
) -> kernel.Theorem:
    """One case: the statement under ``0 ≤ x`` or ``x ≤ 0`` for each variable."""
    abstract, kept = _branch(prop, assumptions, split, signs)
    theorem = check_plan(abstract, plan, kept)
    theorem = kernel.instantiate_under(
        theorem,
        tuple((q, sign * v) for v, q, sign in zip(split.variables, split.fresh, signs)),
        prop,
    )
    for v, sign in zip(split.variables, signs):
        if sign < 0:  # 0 ≤ −x from x ≤ 0
            cert = SignCertificate(Substitution(()), (SignTerm(sp.Integer(1), ((HYP, -v),)),))
            theorem = kernel.discharge(
                theorem, kernel.check(Prop(0, "<=", -v), cert, (Prop(v, "<=", 0),))
            )
    return theorem


def _split_theorem(prop: Prop, split: SignSplit, assumptions: tuple[Prop, ...]):
    cases = {signs: _case(prop, assumptions, split, signs, plan) for signs, plan in split.plans}
    return absolute.join_sign_cases(cases, split.variables)


#: the plan "a limit = its value": the kernel computes the limit itself
LIMIT = "limit"


@dataclass(frozen=True)
class Entrywise:
    """Matrices equal entry by entry: a plan for each entry equation."""

    plans: tuple


def _entrywise_plan(prop: Prop, assumptions: tuple[Prop, ...]) -> Entrywise | None:
    if prop.lhs.shape != prop.rhs.shape:
        return None
    plans = [checked_plan(Prop(a, "=", b), assumptions) for a, b in zip(prop.lhs, prop.rhs)]
    return None if any(p is None for p in plans) else Entrywise(tuple(plans))


def certificate_plans(prop: Prop, assumptions: tuple[Prop, ...] = (), facts: bool = True):
    """The direct plan, then (if it does not check) a derivative replaced by its value, a
    definition put in, plans through fresh positive symbols, a split by the signs of the
    terms under ``|·|``, equal powers and ``|u|`` by its sign (:mod:`.radicals`), then
    (``facts``) plans that use monotonicity facts, whose premises the plans before prove."""
    if prop.rel == "=" and sp.Limit in (type(prop.lhs), type(prop.rhs)):
        yield LIMIT  # the kernel's limit rule, on whichever side the limit is
    if prop.rel == "=" and all(isinstance(s, sp.MatrixBase) for s in (prop.lhs, prop.rhs)):
        yield _entrywise_plan(prop, assumptions)
        return
    if prop.rel == "=" or not (prop.lhs.has(sp.Derivative) or prop.rhs.has(sp.Derivative)):
        yield search_certificate(prop, assumptions)
    yield derivatives.derivative_plan(prop, assumptions, checked_plan, equation_certificate)
    yield sums.rewritten_plan(prop, assumptions, checked_plan)
    yield definitions.defined_plan(prop, assumptions, checked_plan)
    yield from positivised_plans(prop, assumptions)
    if split_symbols(prop, assumptions):
        yield sign_split_plan(prop, assumptions)
    if absolute.split_terms(prop):
        yield absolute.abs_cases_plan(prop, assumptions, sign_certificate)
    yield from radicals.radical_plans(prop, assumptions, _equation_plan, sign_certificate)
    if facts:
        yield from lemmas.one_fact_plans(
            prop, assumptions, _condition_plan, sign_certificate, find_substitution
        )
        yield from comparison_plans(
            prop, assumptions, _proved_plan, check_plan, lambda: _fact_points(prop, assumptions)
        )


#: sample points (every FACT_STRIDE-th: the grid varies one symbol at a time) that choose the
#: direction of each monotonicity fact
FACT_POINTS, FACT_STRIDE = 80, 10


def _fact_points(prop: Prop, assumptions: tuple[Prop, ...]) -> tuple[dict, ...]:
    return tuple(candidate_points(prop, assumptions, FACT_POINTS))[::FACT_STRIDE]


def _equation_plan(prop: Prop, assumptions: tuple[Prop, ...]):
    """The first plan without facts that the kernel accepts for a squared or rewritten
    equation (:mod:`.radicals`)."""
    return checked_plan(prop, assumptions, facts=False)


def _proved_plan(prop: Prop, assumptions: tuple[Prop, ...]):
    """The first plan without facts that the kernel accepts for ``prop`` (a fact's premise)."""
    return checked_plan(prop, assumptions, facts=False)


def checked_plan(prop: Prop, assumptions: tuple[Prop, ...] = (), facts: bool = True):
    """The first of :func:`certificate_plans` that the kernel accepts, or None."""
    try:
        for plan in certificate_plans(prop, assumptions, facts):
            try:
                if plan is not None and check_plan(prop, plan, assumptions) is not None:
                    return plan
            except Exception:  # noqa: BLE001 - untrusted: try the next
                continue
    except Exception:  # noqa: BLE001 - the search is untrusted: no plan
        pass
    return None


def _condition_plan(prop: Prop, assumptions: tuple[Prop, ...]):
    """The direct plan for a lemma's condition, if the kernel accepts it (cheap: no facts)."""
    for search in (
        search_certificate,
        lambda p, a: lemmas.linear_certificate(p, a, sign_certificate, find_substitution),
    ):
        try:
            plan = search(prop, assumptions)
            if plan is not None and check_plan(prop, plan, assumptions):
                return plan
        except Exception:  # noqa: BLE001 - untrusted search: try the next
            continue
    return None


def check_plan(prop: Prop, plan, assumptions: tuple[Prop, ...]) -> kernel.Theorem:
    """Ask the kernel to check what the search found."""
    if isinstance(plan, str) and plan == LIMIT:
        flip = not isinstance(prop.lhs, sp.Limit)
        theorem = kernel.limit(prop.flipped() if flip else prop)
        theorem = kernel.symmetry(theorem) if flip else theorem
    elif isinstance(plan, Entrywise):
        entries = [
            check_plan(Prop(a, "=", b), p, assumptions)
            for a, b, p in zip(prop.lhs, prop.rhs, plan.plans)
        ]
        theorem = kernel.entrywise(prop.lhs, prop.rhs, tuple(entries))
    elif isinstance(plan, derivatives.Differentiated):
        theorem = derivatives.derivative_theorem(prop, plan, assumptions, check_plan)
    elif isinstance(plan, definitions.Defined):
        theorem = definitions.defined_theorem(prop, plan, assumptions, check_plan)
    elif isinstance(plan, sums.Rewritten):
        theorem = sums.rewritten_proof(prop, plan, assumptions, check_plan)
    elif isinstance(plan, ProductBound):
        theorem = _product_theorem(prop, plan)
    elif isinstance(plan, Positivised):
        theorem = _positivised_theorem(prop, plan, assumptions)
    elif isinstance(plan, SignSplit):
        theorem = _split_theorem(prop, plan, assumptions)
    elif isinstance(plan, radicals.EqualPowers):
        theorem = radicals.equal_powers_theorem(prop, plan, check_plan)
    elif isinstance(plan, radicals.AbsRewrite):
        theorem = radicals.abs_rewrite_theorem(prop, plan, check_plan)
    elif isinstance(plan, absolute.AbsCases):
        theorem = absolute.abs_cases_theorem(prop, plan, assumptions)
    elif isinstance(plan, WithFacts):
        theorem = with_facts_theorem(prop, plan, assumptions, check_plan)
    elif isinstance(plan, lemmas.OneFact):
        theorem = lemmas.one_fact_theorem(prop, plan, check_plan)
    elif isinstance(plan, Abstraction):
        theorem = kernel.check(plan.abstract, plan.certificate, ())
        for variable, value in plan.instances:
            theorem = kernel.instantiate(theorem, variable, value)
    else:
        return kernel.check(prop, plan, assumptions)
    if theorem.prop != prop:
        raise KernelError(
            f"the {type(plan).__name__} plan proved {theorem.prop}, not the statement"
        )
    return theorem
