"""The base of the errors that carry a message for the user."""
from __future__ import annotations


class RuleError(ValueError):
    """A request the portal's rules refuse; str(error) is the message for the user.

    `field` names the form field the message belongs to ("owner" also finds "owner_id");
    None shows it above the form, or as a message on the page a button returns to."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field
