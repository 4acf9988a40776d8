"""Deleting for good, asked first: one page that says what goes, one button that confirms.

    return confirm_delete(lambda: goals.delete_goal(current_user, goal), _("Das Ziel wurde gelöscht."),
                          back, heading=..., facts=[(term, value), ...], consequence=...)

A GET, or a POST without confirm=yes (a form sent from elsewhere), shows the question; the
page's button posts confirm=yes and the change runs through `act` (one commit, a flash, a redirect
to `back`). The logic function records what was deleted in the audit trail.
"""
from __future__ import annotations

from typing import Callable

from flask import render_template, request

from portal.responses import act


def confirm_delete(change: Callable[[], object], success: str, back: str, *, heading: str,
                   facts: list[tuple[str, str]], consequence: str = "", button: str | None = None,
                   target: str | None = None):
    """`back`: where "Abbrechen" leads, and where the user goes after the change unless `target`
    says otherwise (a deleted meeting's page is gone). `button` names what the button does."""
    if request.method == "POST" and request.form.get("confirm") == "yes":
        return act(change, success, target or back)
    return render_template("_confirm_delete.html", heading=heading, facts=facts, consequence=consequence,
                           action=request.path, back=back, button=button)
