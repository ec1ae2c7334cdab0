"""proofsheet: machine-checked derivations for a neural-network assignment.

Only :mod:`proofsheet.kernel` may declare a statement verified; everything
else searches for certificates the kernel re-checks.
"""

__version__ = "0.1.0"
