"""The one error of the groups area: a request that cannot be carried out, with a message for the user."""


class GroupError(ValueError):
    """Raised by the groups logic; views show its message and change nothing."""
