"""``make soundness``: does any verdict lie?

A mutation campaign over true statements (the project's own steps and an
independent corpus), each mutant's truth decided by an evaluator that never
imports the kernel; the hostile inputs of :mod:`.hostile`; and the forgery
attempts of :mod:`.forgeries`. Run as ``python -m proofsheet.soundness``.
"""
