"""One exception hierarchy, with messages a student understands."""

from __future__ import annotations


class ProofsheetError(Exception):
    """Base class: every error proofsheet raises on purpose."""


class ParseError(ProofsheetError):
    """Input text could not be parsed; carries the line and column."""

    def __init__(
        self,
        message: str,
        line: int | None = None,
        column: int | None = None,
        source: str = "<input>",
    ):
        self.message = message
        self.line = line
        self.column = column
        self.source = source
        super().__init__(self.one_line())

    def one_line(self) -> str:
        where = self.source
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: cannot parse: {self.message}"


class UnsupportedError(ProofsheetError):
    """Well-formed input that proofsheet does not handle (yet)."""


class KernelError(ProofsheetError):
    """The kernel rejected a certificate: the step is not verified."""


class ShapeError(KernelError):
    """Matrices of incompatible shapes were combined."""


class CheckTimeout(ProofsheetError):
    """A step's search ran out of time; the step is undecided."""


class TranslationMissing(ProofsheetError):
    """A message key has no text in some language."""
