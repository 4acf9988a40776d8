"""The one error of the groups area: a request that cannot be carried out, with a message for the user."""
from portal.errors import RuleError


class GroupError(RuleError):
    """Raised by the groups logic; views show its message and change nothing."""
