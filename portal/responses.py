"""The two endings of a button's action, shared by the areas' views: one commit, or none."""
from __future__ import annotations

from flask import flash, redirect

from portal.errors import RuleError
from portal.extensions import db


def done(message: str, target: str):
    """Commit the action, say so, and go back to the page it came from."""
    db.session.commit()
    flash(message, "success")
    return redirect(target)


def refused(error: RuleError, target: str):
    """The rules refused the action: nothing of it is written, the reason is shown."""
    db.session.rollback()
    flash(str(error), "error")
    return redirect(target)
