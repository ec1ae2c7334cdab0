"""The answer sheets: the derivation API, printing, rendering, figures, PDF, ``make proofs``.

May import everything below it (check, record, search, parsing, kernel); nothing imports it
but the CLI.
"""

from . import render  # registers how a notebook shows a Derivation
