"""Certificates in words, for the terminal: one ``describe_X`` per certificate type.

>>> import sympy as sp
>>> from proofsheet.kernel.certificates import RationalIdentity, Substitution
>>> t, x = sp.Symbol("t_0", positive=True), sp.Symbol("x", real=True)
>>> describe(RationalIdentity(Substitution(((t, -x),))))
'with t_0 = exp(-x) > 0, lhs - rhs cancels to 0'
"""

from __future__ import annotations

import sympy as sp

from ..kernel import SIGNATURE
from ..kernel import certificates as c
from ..kernel.dispatch import Dispatch
from ..kernel.errors import ProofsheetError

#: The rules a theorem may name: the kernel's signature.
RULE_NAMES: tuple[str, ...] = tuple(SIGNATURE)


def _with(sub: c.Substitution) -> str:
    pairs = ", ".join(f"{t} = exp({arg}) > 0" for t, arg in sub.pairs)
    return f"with {pairs}, " if pairs else ""


def _atoms(atoms: tuple) -> str:
    listed = ", ".join(sp.sstr(a) for a in atoms)
    return f"with {listed} as atoms and sigma'(u) = sigma(u)*(1 - sigma(u)), " if atoms else ""


def describe_RationalIdentity(cert: c.RationalIdentity) -> str:
    return _atoms(cert.atoms) + _with(cert.substitution) + "lhs - rhs cancels to 0"


def describe_DerivativeIdentity(cert: c.DerivativeIdentity) -> str:
    cancels = _atoms(cert.atoms) + _with(cert.substitution) + "lhs - rhs cancels to 0"
    return "differentiate, then " + cancels


def describe_SignCertificate(cert: c.SignCertificate) -> str:
    terms = []
    for term in cert.terms:
        factors = [c.FACTOR_KINDS[kind].shown.format(sp.sstr(e)) for kind, e in term.factors]
        terms.append(" * ".join([sp.sstr(term.coeff), *factors]))
    total = " + ".join(terms) or "0"
    kinds = sorted({kind for term in cert.terms for kind, _ in term.factors})
    return (
        _with(cert.substitution)
        + f"rhs - lhs = {total}  (each factor: {', '.join(kinds) or 'none'})"
    )


def describe_IntervalCertificate(cert: c.IntervalCertificate) -> str:
    return f"interval arithmetic at {cert.bits} bits separates the two sides"


#: certificate -> ``describe_<its type>``; a certificate type with no description is an error.
_DESCRIBE = Dispatch("describe_", globals().get, ProofsheetError, "no description for {type}")


def describe(cert: object) -> str:
    return _DESCRIBE(cert)(cert)


#: instance rules -> what the instance adds in words
_INSTANCES = {"instantiate": "", "instantiate-under": " (where each is in its symbol's range)"}


def _equal_powers_text(cert: dict) -> str:
    n = cert["power"]
    signs = ", and both sides are >= 0" if n % 2 == 0 else ""
    return f"equal-powers: the sides raised to the power {n} are equal{signs}"


#: rules whose certificate (a dict) reads better in words of its own
_RULE_TEXTS = {"equal-powers": _equal_powers_text}


def describe_theorem(theorem) -> str:
    """How a theorem was proved, following instantiations down to a certificate."""
    if theorem.rule not in RULE_NAMES:
        raise ProofsheetError(f"no kernel rule is called {theorem.rule!r}")
    if theorem.rule in _INSTANCES:
        premise = theorem.premises[0]
        cert = theorem.certificate
        pairs = cert.get("instances") or ((cert["variable"], cert["value"]),)
        values = ", ".join(f"{v} = {e}" for v, e in pairs)
        return (
            f"instance {values}{_INSTANCES[theorem.rule]} of "
            f"{premise.prop.lhs} {premise.prop.rel} {premise.prop.rhs}, "
            f"where {describe_theorem(premise)}"
        )
    if theorem.certificate is None:
        return f"{theorem.rule} from {len(theorem.premises)} premises"
    if theorem.rule in _RULE_TEXTS:
        return _RULE_TEXTS[theorem.rule](theorem.certificate)
    if isinstance(theorem.certificate, dict):
        return f"{theorem.rule} " + ", ".join(f"{k} = {v}" for k, v in theorem.certificate.items())
    return describe(theorem.certificate)


def rule_name(theorem) -> str:
    """The rule that did the work: ``certified-sign (instantiated)`` rather than ``instantiate``."""
    if theorem.rule not in _INSTANCES:
        return theorem.rule
    base = theorem
    while base.rule in _INSTANCES:
        base = base.premises[0]
    return f"{base.rule} (instantiated)"
