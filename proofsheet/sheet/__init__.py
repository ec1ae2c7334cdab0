"""The answer sheets: the derivation API, printing, rendering, figures, PDF, ``make proofs``.

May import everything below it (check, record, search, parsing, kernel); nothing imports it
but the CLI. Importing the package imports nothing else, so that ``make proofs`` can confirm
an unchanged build (:mod:`.stamp`) at the cost of Python's start-up; :mod:`.render` registers
how a notebook shows a Derivation, and the derivations import it.
"""
