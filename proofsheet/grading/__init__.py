"""``proofsheet grade``: a whole class's submissions checked, one result per student, a gradebook.

:mod:`.submissions` finds the files and names the students, :mod:`.work` checks one file in a
supervised worker and writes its result, :mod:`.run` schedules the files on every core and
:mod:`.book` turns the results into the gradebook and the class summary.
"""

from .run import grade

__all__ = ["grade"]
