"""The base of the errors that carry a message for the user."""


class RuleError(ValueError):
    """A request the portal's rules refuse; str(error) is the message for the user."""
