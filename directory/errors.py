"""The core's error types; every layer maps these, and only these, to users.

    WijkkaartError
    ├── NotFound            a referenced node, edge or area does not exist
    ├── Conflict            a stale version, a duplicate id, a refused state change
    ├── ValidationError     bad input; ``details`` names line, field and reason
    └── BackendUnavailable  the store cannot be reached or opened
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Detail:
    """One problem in the input: where (line, field) and why (message)."""

    field: str
    message: str
    line: int | None = None

    def as_dict(self) -> dict[str, object]:
        return {"line": self.line, "field": self.field, "message": self.message}

    def __str__(self) -> str:
        where = f"regel {self.line}, " if self.line is not None else ""
        return f"{where}{self.field}: {self.message}"


class WijkkaartError(Exception):
    """Base of every error the core raises on purpose."""

    code = "error"


class NotFound(WijkkaartError):
    code = "not_found"


class Conflict(WijkkaartError):
    code = "conflict"


class BackendUnavailable(WijkkaartError):
    code = "backend_unavailable"


class ValidationError(WijkkaartError):
    code = "validation_error"

    def __init__(self, message: str, details: list[Detail] | None = None) -> None:
        self.details = list(details or [])
        if not message and self.details:
            message = str(self.details[0])
        super().__init__(message)

    @classmethod
    def field(cls, field: str, message: str, line: int | None = None) -> ValidationError:
        """A validation error about a single field."""
        detail = Detail(field=field, message=message, line=line)
        return cls(str(detail), [detail])
