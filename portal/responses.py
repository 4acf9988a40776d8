"""The one way a request that changes something ends.

    return act(lambda: planning.cancel(current_user, meeting),
               success=_("Das Treffen ist abgesagt."), target=url_for(...),
               form=form, invalid=lambda: page(...))

`act` runs the logic call, commits once, flashes the success message and redirects. When the
rules refuse (a RuleError), nothing of the action is written: the session is rolled back and the
message is shown at the field it names, or above the form, and the page is rendered again as typed
with status 422; without a page to render again, the message is flashed and the user goes back to
`target`. Logic never commits; views never commit by hand.
"""
from __future__ import annotations

from typing import Callable, TypeVar

from flask import flash, make_response, redirect, render_template, request
from werkzeug.wrappers import Response

from portal.database import writing
from portal.errors import RuleError
from portal.extensions import db

INVALID = 422  # a page shown again because of bad input or a refused change
CONFLICT = 409  # a text saved against a version somebody else has changed since

T = TypeVar("T")
Either = Callable[[T], str] | str


def act(change: Callable[[], T], success: Either | None, target: Either, *, form=None,
        invalid: Callable[[], Response | tuple] | None = None):
    """Carry out `change()`: commit, say `success`, redirect to `target` (either may be a function
    of the change's result); or, refused, roll back and show why (see the module's text)."""
    try:
        result = change()
    except RuleError as error:
        db.session.rollback()
        if invalid is None:
            flash(str(error), "error")
            return redirect(target if isinstance(target, str) else target(None))
        show_error(form, error)
        response = make_response(invalid())
        response.status_code = INVALID
        return response
    db.session.commit()
    message = success(result) if callable(success) else success
    if message:
        flash(message, "success")
    return redirect(target(result) if callable(target) else target)


def store(change: Callable[[], T], respond: Callable[[T], Response | tuple | str]):
    """Carry out `change()`, commit, and answer with `respond(result)`: for the few requests that
    keep something and answer with a page rather than a redirect (a failed login is counted, a
    reset request shows the same page whatever the address; a GET that keeps a rendered PDF).
    What was read is let go first, so that the change begins its own transaction holding the
    write lock (portal.database.writing)."""
    db.session.commit()
    with writing():
        result = change()
        db.session.commit()
    return respond(result)


def show_error(form, error: RuleError) -> None:
    """The refusal at the field it names, or above the form (a flash)."""
    field = field_named(form, error.field)
    if field is None:
        flash(str(error), "error")
    else:
        field.errors = [*field.errors, str(error)]


def field_named(form, name: str | None):
    """The field `name` of the form: "owner" is also the field owner_id."""
    if form is None or name is None:
        return None
    return getattr(form, name, None) or getattr(form, f"{name}_id", None)


def page(template: str, *forms, **context):
    """A page with forms: 422 when a form posted to it has errors, else 200."""
    posted = request.method == "POST"
    status = INVALID if posted and any(_has_errors(f) for f in forms if f is not None) else 200
    return render_template(template, **context), status


def _has_errors(form) -> bool:
    return bool(form.errors) or bool(getattr(form, "form_errors", None))
