"""The errors and warnings Reckon raises.

Every error a user can cause derives from :class:`ReckonError`; the CLI turns it into one line on
stderr and exit 1, the web API into a 4xx JSON body. Errors carry structured fields so that callers
can report them without parsing messages. Messages name records by id, never by a person's name.
"""

from __future__ import annotations

from dataclasses import dataclass


class ReckonError(Exception):
    """Root of every error a user can cause."""


class ReckonWarning(UserWarning):
    """Root of every warning Reckon issues."""


class ConvergenceWarning(ReckonWarning):
    """A sampler or optimiser shows signs of not having converged."""


class DataWarning(ReckonWarning):
    """Input data was usable but something about it deserves attention."""


class ConfigError(ReckonError, ValueError):
    """A setting, option or configuration file is invalid."""


class ProjectError(ReckonError):
    """The project directory is missing, not a Reckon project, or unusable."""


class SchemaVersionError(ProjectError):
    """The database was written by a newer or unknown version of Reckon."""


class NotFoundError(ReckonError, LookupError):
    """A requested object (record, source, person, file) does not exist."""


class PermissionDenied(ReckonError, PermissionError):
    """The acting user's role does not allow this action."""


class AuthenticationError(ReckonError):
    """A login, passphrase or key is wrong."""


class IntegrityError(ReckonError):
    """Stored data, files or the audit chain do not match what was recorded."""


class EvidenceError(ReckonError):
    """An evidence file cannot be added, read or exported."""


class EstimationError(ReckonError, ValueError):
    """Capture histories or estimator settings do not allow an estimate."""


class LinkageConfigError(ReckonError, ValueError):
    """The linkage model cannot be built or trained as configured."""


class DateParseError(ReckonError, ValueError):
    """A date string cannot be read as a date, or names a day that does not exist."""

    def __init__(self, value: str, reason: str) -> None:
        self.value = value
        self.reason = reason
        super().__init__(f"cannot read date {value!r}: {reason}")


@dataclass(frozen=True)
class RowProblem:
    """One problem with one cell (or a whole row) of an input file."""

    file: str
    row: int  # 1-based data row (the header is row 0)
    column: str | None
    value: str | None
    reason: str

    def __str__(self) -> str:
        where = f"{self.file}, row {self.row}"
        if self.column:
            where += f", column {self.column!r}"
        shown = "" if self.value is None else f" (value {self.value!r})"
        return f"{where}: {self.reason}{shown}"


class ImportFormatError(ReckonError, ValueError):
    """An input file cannot be read at all (empty, truncated, wrong encoding, bad header)."""

    def __init__(self, file: str, reason: str, *, row: int | None = None) -> None:
        self.file = file
        self.reason = reason
        self.row = row
        where = file if row is None else f"{file}, row {row}"
        super().__init__(f"{where}: {reason}")


class ValidationError(ReckonError, ValueError):
    """One or more rows of an input failed validation (every problem is listed)."""

    def __init__(self, problems: list[RowProblem], message: str | None = None) -> None:
        self.problems = list(problems)
        first = f"; first: {self.problems[0]}" if self.problems else ""
        super().__init__(message or f"{len(self.problems)} invalid row(s){first}")
