"""`make bench`: speed and memory figures, kept out of the unit tests (ratios, not timed tests).

Parts (``python -m proofsheet.bench [PART ...]``, all by default):

- ``speed``: each derivation's proof time, the student fixtures, a 1 000-step file (in process);
- ``floor``: cold runs as ratios to ``python -c "import sympy"`` in the same run (``prove``,
  ``make proofs`` cold and with nothing changed, ``check`` of 1 000 steps, the whole suite);
- ``scaling``: nested-σ derivative depth 2 … 64, the fitted growth exponent, and
  ``build/figures/bench-scaling.svg``;
- ``grade``: 500 generated student files graded on every core and on a two-worker Dask
  ``LocalCluster`` (files per second; the two gradebooks must agree byte for byte);
- ``pairs``: proofsheet against SymPy's ``simplify`` and Math-Verify on the pair set
  (:mod:`proofsheet.soundness.peers`, ``build/bench-pairs.json``), in a fresh process so that
  SymPy's caches warmed by the rest do not flatter simplify;
- ``steps``: ``check`` step by step against ``simplify(lhs - rhs) == 0`` on proofsheet's parse
  and on latex2sympy2_extended's (:mod:`.steps`, ``build/bench-steps.json``), fresh as well.

All but ``pairs`` and ``steps`` write ``build/bench.json``.
"""
