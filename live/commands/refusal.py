"""A refused command: what the API, the websocket and the pages answer with."""

from __future__ import annotations

from typing import Any


class CommandError(Exception):
    """A refused command: a machine-readable code and a message for the person (Vietnamese)."""

    def __init__(
        self,
        code: str,
        message: str,
        status: int = 400,
        fields: list[dict[str, str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.fields = fields or []  # each wrong argument: {"field", "code", "message"}

    def as_json(self) -> dict[str, Any]:
        """The refusal as the API and the websocket send it."""
        found: dict[str, Any] = {"ok": False, "code": self.code, "message": self.message}
        if self.fields:
            found["fields"] = self.fields
        return found
