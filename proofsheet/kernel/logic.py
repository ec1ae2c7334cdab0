"""Logical rules: chaining, symmetry, assumptions, instances, induction, products of bounds."""

from __future__ import annotations

import sympy as sp
from sympy.core.function import AppliedUndef

from .algebra import evaluated
from .core import RELATIONS, UPWARD, Every, Prop, Theorem, _theorem
from .domain import CONDITION_RELATIONS
from .errors import KernelError
from .facts import declared_facts

# --- rule 4: monotone product -------------------------------------------------------------


def _as_le(thm: Theorem) -> tuple[sp.Basic, sp.Basic]:
    upper = thm.prop.as_upper()
    if upper.rel not in UPWARD:
        raise KernelError(f"monotone product: premise {thm.prop} is not an inequality")
    return upper.lhs, upper.rhs


def monotone_product(a_nonneg: Theorem, a_le: Theorem, b_nonneg: Theorem, b_le: Theorem) -> Theorem:
    """0 ≤ a ≤ A and 0 ≤ b ≤ B give a·b ≤ A·B."""
    (z1, a), (a2, big_a), (z2, b), (b2, big_b) = map(_as_le, (a_nonneg, a_le, b_nonneg, b_le))
    if not (z1 == 0 and z2 == 0 and a == a2 and b == b2):
        raise KernelError("monotone product: premises are not 0 ≤ a, a ≤ A, 0 ≤ b, b ≤ B")
    return _theorem(
        Prop(a * b, "<=", big_a * big_b),
        "monotone-product",
        premises=(a_nonneg, a_le, b_nonneg, b_le),
    )


# --- rule 5: induction --------------------------------------------------------------------


def assume(prop: Prop) -> Theorem:
    """A hypothesis: ``prop`` under the assumption ``prop``."""
    return _theorem(prop, "assumption", assumptions=(prop,))


def induction(claim: Prop, n: sp.Symbol, start: int, base: Theorem, step: Theorem) -> Theorem:
    """``claim`` for every integer ``n ≥ start``, from claim(start) and claim(n) ⇒ claim(n+1)."""
    if isinstance(start, bool) or not isinstance(start, (int, sp.Integer)):
        raise KernelError(f"induction: the start {start} is not an integer")
    _no_every(n)
    n_ok = Prop(sp.Integer(start), "<=", n)
    if not (isinstance(n, sp.Symbol) and n.is_integer):
        raise KernelError(f"induction: {n} is not an integer variable")
    if base.prop != claim.subs({n: start}) or n in set().union(
        *(a.free_symbols for a in base.assumptions)
    ):
        raise KernelError("induction: the base case does not prove claim(start)")
    if step.prop != claim.subs({n: n + 1}):
        raise KernelError("induction: the step does not prove claim(n + 1)")
    others = [a for a in step.assumptions if a not in (claim, n_ok)]
    if any(n in a.free_symbols for a in others):
        raise KernelError("induction: the step uses another assumption about n")
    return _theorem(
        claim,
        "induction",
        {"variable": n, "start": start},
        (base, step),
        assumptions=(n_ok, *others, *base.assumptions),
        inherit=False,
    )


def product_peel(product: sp.Product) -> Theorem:
    """Π_{k=a}^{b+1} f(k) = (Π_{k=a}^{b} f(k)) · f(b+1): the definition of Π (Karr's convention)."""
    if not (isinstance(product, sp.Product) and len(product.limits) == 1):
        raise KernelError("product peel: not a product over one index")
    k, a, b = product.limits[0]
    body = product.function
    rhs = sp.Product(body, (k, a, b - 1)) * body.subs(k, b)
    return _theorem(Prop(product, "=", rhs), "product-peel")


def product_empty(product: sp.Product) -> Theorem:
    """Π_{k=a}^{a−1} f(k) = 1: the empty product, the other half of the definition of Π."""
    if not (isinstance(product, sp.Product) and len(product.limits) == 1):
        raise KernelError("empty product: not a product over one index")
    _k, a, b = product.limits[0]
    if sp.expand(b - (a - 1)) != 0:
        raise KernelError("empty product: the upper limit is not one below the lower")
    return _theorem(Prop(product, "=", sp.Integer(1)), "product-empty")


def sum_peel(total: sp.Sum) -> Theorem:
    """Σ_{k=a}^{b+1} f(k) = (Σ_{k=a}^{b} f(k)) + f(b+1): the definition of Σ (Karr's convention)."""
    if not (isinstance(total, sp.Sum) and len(total.limits) == 1):
        raise KernelError("sum peel: not a sum over one index")
    k, a, b = total.limits[0]
    if (b - a).is_integer is not True:
        raise KernelError("sum peel: the range's length is not an integer")
    rhs = sp.Sum(total.function, (k, a, b - 1)) + total.function.subs(k, b)
    return _theorem(Prop(total, "=", rhs), "sum-peel")


def sum_empty(total: sp.Sum) -> Theorem:
    """Σ_{k=a}^{a−1} f(k) = 0: the empty sum, the other half of the definition of Σ."""
    if not (isinstance(total, sp.Sum) and len(total.limits) == 1):
        raise KernelError("empty sum: not a sum over one index")
    _k, a, b = total.limits[0]
    if sp.expand(b - (a - 1)) != 0:
        raise KernelError("empty sum: the upper limit is not one below the lower")
    return _theorem(Prop(total, "=", sp.Integer(0)), "sum-empty")


def member(every: Prop, value: sp.Expr) -> Theorem:
    """∀k H(k), an assumption about every member (k an :class:`~.core.Every` index), gives
    H(e) for an integer e."""
    indices = [s for s in every.free_symbols if isinstance(s, Every)] if type(every) is Prop else []
    if len(indices) != 1 or indices[0].is_integer is not True:
        raise KernelError("member: the assumption must say ∀k for one integer index k")
    if not isinstance(value, sp.Expr) or value.is_integer is not True or value.has(Every):
        raise KernelError(f"member: {value} is not an integer")
    instance = Prop(every.lhs.subs(indices[0], value), every.rel, every.rhs.subs(indices[0], value))
    return _theorem(instance, "member", {"value": value}, assumptions=(every,))


def _no_every(*exprs: sp.Basic) -> None:
    """∀k may not be instantiated, split or inducted on, except by ``member``."""
    if any(isinstance(e, sp.Basic) and e.has(Every) for e in exprs):
        raise KernelError("an index of every member (∀k) is instantiated only by member")


_DEFINED: dict[str, tuple] = {}  # name -> its family's definition, for every function defined here
_PARAMETERS: set[str] = set()  # unknown functions some definition used: never defined later


def _applications(expr: sp.Basic) -> set:
    return {e for e in expr.atoms(AppliedUndef)}


def define_simultaneous(
    names: tuple[str, ...],
    start: int,
    n: sp.Symbol,
    args: tuple[sp.Symbol, ...],
    bases: tuple[sp.Expr, ...],
    steps: tuple[sp.Expr, ...],
    previous: sp.Symbol,
) -> dict[str, tuple[Theorem, Theorem]]:
    """Define fresh functions F(n, args) together by primitive recursion over an integer n ≥ start.

    ``F(start, args) = base_F`` and ``F(n + 1, args) = step_F``, where ``previous``
    stands for F's own value F(n, args) and a step may read the other members
    of the family only at n, as G(n, args).  Such a recursion defines exactly
    one family, so its equations cannot contradict anything.  A name keeps
    one definition (repeating the same one is allowed), and a function that a
    definition used as an unknown parameter can never be defined afterwards.
    """
    family = {name: sp.Function(name) for name in names}
    now = {f(n, *args) for f in family.values()}
    if not (
        n.is_integer
        and all(isinstance(a, sp.Symbol) for a in args)
        and previous not in args
        and len(bases) == len(steps) == len(names) == len(family)
    ):
        raise KernelError("define: bad recursion variables")
    for base, step in zip(bases, steps):
        if any(type(e).__name__ in family for e in _applications(base)) or any(
            type(e).__name__ in family and e not in now for e in _applications(step)
        ):
            raise KernelError("define: a step may read the family only at n, and a base not at all")
        if not (base.free_symbols <= set(args) and step.free_symbols <= {*args, n, previous}):
            raise KernelError(
                "define: the right sides may use only the arguments, n and the previous value"
            )
    used = {type(e).__name__ for side in (*bases, *steps) for e in _applications(side)} - set(names)
    if set(names) & _PARAMETERS or (used - set(_DEFINED)) & set(names):
        raise KernelError("define: a function already used as an unknown cannot be defined")
    key = (names, start, n, args, bases, steps, previous)
    for name in names:
        if _DEFINED.get(name, key) != key:
            raise KernelError(f"define: {name} is already defined differently")
    for name in names:
        _DEFINED[name] = key
    _PARAMETERS.update(used - set(_DEFINED))
    equations = {}
    for name, base, step in zip(names, bases, steps):
        f = family[name]
        cert = {
            "names": names,
            "start": start,
            "variable": n,
            "args": args,
            "bases": bases,
            "steps": steps,
            "previous": previous,
            "name": name,
        }
        first = _theorem(Prop(f(start, *args), "=", base), "define", cert)
        following = _theorem(
            Prop(f(n + 1, *args), "=", step.xreplace({previous: f(n, *args)})),
            "define",
            cert,
            assumptions=(Prop(sp.Integer(start), "<=", n),),
        )
        equations[name] = (first, following)
    return equations


def define_recursive(
    name: str,
    start: int,
    n: sp.Symbol,
    args: tuple[sp.Symbol, ...],
    base: sp.Expr,
    step: sp.Expr,
    previous: sp.Symbol,
) -> tuple[Theorem, Theorem]:
    """One function by primitive recursion: :func:`define_simultaneous` with a family of one."""
    return define_simultaneous((name,), start, n, args, (base,), (step,), previous)[name]


def weaken(thm: Theorem) -> Theorem:
    """a < b gives a ≤ b."""
    upper = thm.prop.as_upper()
    if upper.rel != "<":
        raise KernelError("weaken: the premise must be a strict inequality")
    return _theorem(Prop(upper.lhs, "<=", upper.rhs), "weaken", premises=(thm,))


# --- rule 6: chaining, symmetry, instantiation --------------------------------------------

_COMBINE = (
    {("=", r): r for r in RELATIONS}
    | {(r, "="): r for r in RELATIONS}
    | {
        ("<=", "<="): "<=",
        ("<=", "<"): "<",
        ("<", "<="): "<",
        ("<", "<"): "<",
        (">=", ">="): ">=",
        (">=", ">"): ">",
        (">", ">="): ">",
        (">", ">"): ">",
    }
)


def chain(first: Theorem, second: Theorem) -> Theorem:
    """a R b and b S c give a (R∘S) c, e.g. a = b, b ≤ c ⇒ a ≤ c."""
    rel = _COMBINE.get((first.prop.rel, second.prop.rel))
    if first.prop.rhs != second.prop.lhs or rel is None:
        raise KernelError(f"chain: {first.prop} and {second.prop} do not link")
    return _theorem(Prop(first.prop.lhs, rel, second.prop.rhs), "chain", premises=(first, second))


def symmetry(thm: Theorem) -> Theorem:
    """a R b gives b R' a (with R' the mirrored relation)."""
    return _theorem(thm.prop.flipped(), "symmetry", premises=(thm,))


def instantiate(thm: Theorem, variable: sp.Symbol, value: sp.Expr) -> Theorem:
    """∀v (A(v) ⇒ P(v)) gives A(e) ⇒ P(e) for an ``e`` that meets v's declared assumptions."""
    if not isinstance(variable, sp.Symbol) or not isinstance(value, sp.Basic):
        raise KernelError("instantiate: a symbol and an expression, please")
    _no_every(variable, value)
    for fact in declared_facts(variable):
        if getattr(value, f"is_{fact}") is not True:
            raise KernelError(f"instantiate: {value} is not known to be {fact}")
    sides = (
        thm.prop.lhs,
        thm.prop.rhs,
        *(side for a in thm.assumptions for side in (a.lhs, a.rhs)),
    )
    bound = set().union(*(_bound(b) for side in sides for b in side.atoms(*_BINDERS)))
    if value.free_symbols & bound:
        raise KernelError(f"instantiate: {value} would be captured by a bound variable")
    mapping = {variable: value}
    return _theorem(
        thm.prop.subs(mapping),
        "instantiate",
        {"variable": variable, "value": value},
        (thm,),
        assumptions=tuple(a.subs(mapping) for a in thm.assumptions),
        inherit=False,
    )


#: a symbol's sign fact -> the facts that ``0 rel value`` (:data:`.domain.CONDITION_RELATIONS`)
#: implies, so that any real value meeting it may stand for the symbol.
_SIGN_FACTS = {
    "positive": {"real", "positive", "nonnegative", "nonzero"},
    "nonnegative": {"real", "nonnegative"},
}


def instantiate_under(
    thm: Theorem, instances: tuple[tuple[sp.Symbol, sp.Expr], ...], prop: Prop
) -> Theorem:
    """∀p > 0 (A(p) ⇒ P(p)) gives A(e) ∧ 0 < e ⇒ P(e) for any expression e (0 ≤ e for a
    non-negative p): where 0 < e holds, e is a real number that p may stand for.

    ``instances`` pairs distinct fresh symbols with their terms; ``prop`` is the conclusion
    as written: each term replaced by its symbol (a term ``−x`` as x := −p), ``prop`` must
    evaluate (SymPy, trusted) to the theorem's statement.
    """
    if (
        not (
            isinstance(instances, tuple)
            and instances
            and all(
                isinstance(i, tuple)
                and len(i) == 2
                and isinstance(i[0], sp.Symbol)
                and isinstance(i[1], sp.Expr)
                for i in instances
            )
        )
        or type(prop) is not Prop
    ):
        raise KernelError("instantiate under: (symbol, expression) pairs and a statement, please")
    _no_every(*(e for pair in instances for e in pair))
    mapping = dict(instances)
    replaced = dict(_replaced(term, symbol) for symbol, term in instances)
    if len(mapping) != len(instances) or len(replaced) != len(instances):
        raise KernelError("instantiate under: each symbol and each term at most once")
    if set(mapping) & (
        prop.free_symbols | set().union(*(t.free_symbols for t in mapping.values()))
    ):
        raise KernelError("instantiate under: the symbols must be fresh")
    hypotheses = tuple(_sign_hypothesis(thm, variable, value) for variable, value in instances)
    if set().union(*(t.free_symbols for t in replaced)) & _bound_in(prop):
        raise KernelError("instantiate under: a term is bound in the statement")
    if _evaluated_prop(
        Prop(prop.lhs.xreplace(replaced), prop.rel, prop.rhs.xreplace(replaced))
    ) != _evaluated_prop(thm.prop):
        raise KernelError(
            "instantiate under: the statement with its terms replaced is not the theorem's"
        )
    return _theorem(
        prop,
        "instantiate-under",
        {"instances": instances},
        (thm,),
        inherit=False,
        assumptions=(
            *(
                Prop(a.lhs.xreplace(mapping), a.rel, a.rhs.xreplace(mapping))
                for a in thm.assumptions
            ),
            *hypotheses,
        ),
    )


def _replaced(term: sp.Expr, symbol: sp.Symbol) -> tuple[sp.Expr, sp.Expr]:
    """What the statement has replaced for ``term`` := ``symbol``: ``−x`` as x := −symbol."""
    if isinstance(-term, sp.Symbol):
        return -term, -symbol
    return term, symbol


def _evaluated_prop(p: Prop) -> Prop:
    return Prop(evaluated(p.lhs), p.rel, evaluated(p.rhs))


def _bound_in(prop: Prop) -> set:
    return set().union(*(_bound(b) for side in (prop.lhs, prop.rhs) for b in side.atoms(*_BINDERS)))


def _sign_hypothesis(thm: Theorem, variable: sp.Symbol, value: sp.Expr) -> Prop:
    """``0 < value`` (``0 <= value``): what lets ``value`` stand for the signed ``variable``."""
    kind = next((k for k in _SIGN_FACTS if getattr(variable, f"is_{k}") is True), None)
    if kind is None:
        raise KernelError(
            f"instantiate under: {variable} is declared neither positive nor non-negative"
        )
    rel, implied = CONDITION_RELATIONS[kind], _SIGN_FACTS[kind]
    for fact in declared_facts(variable):
        if fact not in implied and getattr(value, f"is_{fact}") is not True:
            raise KernelError(f"instantiate under: {value} is not known to be {fact}")
    _check_capture(thm, value, variable)
    return Prop(sp.Integer(0), rel, value)


def _check_capture(thm: Theorem, value: sp.Basic, variable: sp.Symbol) -> None:
    """Refuse a value a binder would capture, or a variable some binder binds."""
    sides = (
        thm.prop.lhs,
        thm.prop.rhs,
        *(side for a in thm.assumptions for side in (a.lhs, a.rhs)),
    )
    bound = set().union(*(_bound(b) for side in sides for b in side.atoms(*_BINDERS)))
    if value.free_symbols & bound:
        raise KernelError(f"instantiate under: {value} would be captured by a bound variable")
    if variable in bound:
        raise KernelError(f"instantiate under: {variable} is bound in the theorem")


def discharge(thm: Theorem, hypothesis: Theorem) -> Theorem:
    """P under A ∪ {h}, and h under B, give P under A ∪ B."""
    target = hypothesis.prop.as_upper()
    if not any(a.as_upper() == target for a in thm.assumptions):
        raise KernelError(f"discharge: {hypothesis.prop} is not an assumption of the theorem")
    rest = tuple(a for a in thm.assumptions if a.as_upper() != target)
    return _theorem(
        thm.prop,
        "discharge",
        None,
        (thm, hypothesis),
        assumptions=(*rest, *hypothesis.assumptions),
        inherit=False,
    )


def cases(below: Theorem, above: Theorem, variable: sp.Basic, split: sp.Expr) -> Theorem:
    """P under v ≤ c, and P under c ≤ v, give P without either (reals are totally ordered)."""
    if not all(isinstance(e, sp.Basic) and e.is_real is True for e in (variable, split)):
        raise KernelError(f"cases: {variable} and {split} must both be real (a total order)")
    _no_every(variable, split)
    low, high = Prop(variable, "<=", split), Prop(split, "<=", variable)
    if below.prop != above.prop or low not in below.assumptions or high not in above.assumptions:
        raise KernelError("cases: the two theorems are not one claim under v ≤ c and c ≤ v")
    rest = [a for a in (*below.assumptions, *above.assumptions) if a not in (low, high)]
    return _theorem(
        below.prop,
        "cases",
        {"variable": variable, "split": split},
        (below, above),
        assumptions=tuple(rest),
        inherit=False,
    )


def add(first: Theorem, second: Theorem) -> Theorem:
    """a ≤ b and c ≤ d give a + c ≤ b + d (strict if either is; = if both are)."""
    (a, r1, b), (c, r2, d) = (
        (p.lhs, p.rel, p.rhs) for p in (first.prop.as_upper(), second.prop.as_upper())
    )
    rel = "=" if r1 == r2 == "=" else "<" if "<" in (r1, r2) else "<="
    return _theorem(Prop(a + c, rel, b + d), "add", premises=(first, second))


def scale(thm: Theorem, factor_sign: Theorem) -> Theorem:
    """a ≤ b and 0 ≤ c give c·a ≤ c·b (strict when both are strict)."""
    upper, sign = thm.prop.as_upper(), factor_sign.prop.as_upper()
    if sign.lhs != 0 or sign.rel not in UPWARD:
        raise KernelError("scale: the second premise must be 0 ≤ c or 0 < c")
    c = sign.rhs
    rel = upper.rel if upper.rel == "=" or (upper.rel == "<" and sign.rel == "<") else "<="
    return _theorem(Prop(c * upper.lhs, rel, c * upper.rhs), "scale", premises=(thm, factor_sign))


_BINDERS = (sp.Derivative, sp.Integral, sp.Limit, sp.Subs, sp.Lambda, sp.Sum, sp.Product)


def _bound(binder: sp.Basic) -> tuple:
    """The variables a binder binds (a limit binds its approach variable)."""
    return (binder.args[1],) if isinstance(binder, sp.Limit) else tuple(binder.variables)


def congruence(equation: Theorem, context: sp.Expr, hole: sp.Symbol) -> Theorem:
    """a = b gives C[a] = C[b] for a context C with a hole: equals may replace equals.

    Under a binder (d/dw, Σ_w, …) equal *values* are not enough: the equation
    must hold for every w, so its assumptions may not restrict w.
    """
    if equation.prop.rel != "=":
        raise KernelError("congruence: the premise must be an equation")
    if not (isinstance(hole, sp.Symbol) and context.has(hole)):
        raise KernelError("congruence: the context has no hole")
    if hole in equation.prop.free_symbols:
        raise KernelError("congruence: the hole must be a fresh symbol")
    constrained = set().union(*(a.free_symbols for a in equation.assumptions))
    for binder in context.atoms(*_BINDERS):
        if binder.has(hole) and set(_bound(binder)) & constrained:
            raise KernelError(
                f"congruence: the hole sits under {type(binder).__name__} over a variable the "
                "equation's assumptions restrict, so the two sides need not agree nearby"
            )
    lhs, rhs = (
        context.xreplace({hole: equation.prop.lhs}),
        context.xreplace({hole: equation.prop.rhs}),
    )
    return _theorem(
        Prop(lhs, "=", rhs), "congruence", {"context": context, "hole": hole}, (equation,)
    )
