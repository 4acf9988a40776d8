"""Signed, expiring links for invitations, password resets and unsubscribing from circulars (itsdangerous).

A token carries the person's id and a value that changes once the link has been used:
the invitation nonce (cleared on acceptance, replaced on resend) or a fingerprint of the
current password hash (changes when the password is set). So every link works once.
"""
from __future__ import annotations

import time
from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

INVITATION_MAX_AGE = timedelta(days=14)
RESET_MAX_AGE = timedelta(hours=1)
_INVITATION_SALT = "portal.invitation"
_RESET_SALT = "portal.password-reset"


class TokenProblem(Exception):
    """A link that cannot be used; `reason` is "expired", "used", "replaced" (a newer link was
    sent, or the invitation was revoked) or "invalid" (forged or damaged)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _timestamp() -> int:
    return int(time.time())


class _Signer(TimestampSigner):
    def get_timestamp(self) -> int:  # one place for the clock, so tests can move it
        return _timestamp()


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt, signer=_Signer)


def _load(salt: str, token: str, max_age: timedelta) -> dict:
    try:
        payload = _serializer(salt).loads(token, max_age=int(max_age.total_seconds()))
    except SignatureExpired as error:
        raise TokenProblem("expired") from error
    except BadSignature as error:
        raise TokenProblem("invalid") from error
    if not isinstance(payload, dict) or not isinstance(payload.get("p"), int):
        raise TokenProblem("invalid")
    return payload


def invitation_token(person) -> str:
    return _serializer(_INVITATION_SALT).dumps({"p": person.id, "n": person.invitation_nonce})


def read_invitation_token(token: str) -> tuple[int, str]:
    """(person id, nonce) of a genuine, unexpired invitation link."""
    payload = _load(_INVITATION_SALT, token, INVITATION_MAX_AGE)
    return payload["p"], str(payload.get("n"))


def reset_token(person) -> str:
    return _serializer(_RESET_SALT).dumps({"p": person.id, "h": person.password_fingerprint})


def read_reset_token(token: str) -> tuple[int, str]:
    """(person id, password fingerprint) of a genuine, unexpired reset link."""
    payload = _load(_RESET_SALT, token, RESET_MAX_AGE)
    return payload["p"], str(payload.get("h"))




UNSUBSCRIBE_MAX_AGE = timedelta(days=3 * 365)  # a link in an old mail should still work
_UNSUBSCRIBE_SALT = "portal.circulars-unsubscribe"


def unsubscribe_token(person) -> str:
    """The link in every circular that ends circulars for its recipient (works again and again)."""
    return _serializer(_UNSUBSCRIBE_SALT).dumps({"p": person.id})


def read_unsubscribe_token(token: str) -> int:
    return _load(_UNSUBSCRIBE_SALT, token, UNSUBSCRIBE_MAX_AGE)["p"]


# guests of a meeting (issue 15 points 3 and 5) ----------------------------------------------

_GUEST_SALT = "portal.meeting-guest"
_CHECK_IN_SALT = "portal.meeting-check-in"
CHECK_IN_MAX_AGE = timedelta(minutes=30)


def _until(moment) -> int:
    return int(moment.timestamp())


def _load_until(salt: str, token: str, max_age: timedelta) -> dict:
    """A payload with "p" (an id) and "u" (a Unix time after which the link is void)."""
    payload = _load(salt, token, max_age)
    if not isinstance(payload.get("u"), int):
        raise TokenProblem("invalid")
    if _timestamp() > payload["u"]:
        raise TokenProblem("expired")
    return payload


def guest_token(participation) -> str:
    """A guest's personal link to answer and check in: valid until her meeting ends."""
    return _serializer(_GUEST_SALT).dumps({"p": participation.id, "u": _until(participation.meeting.ends_at)})


def read_guest_token(token: str) -> int:
    """The participation id of a genuine guest link whose meeting has not ended."""
    return _load_until(_GUEST_SALT, token, timedelta(days=3 * 365))["p"]


def check_in_token(meeting) -> str:
    """The short-lived link behind a meeting's check-in QR code (30 minutes, never past the end)."""
    return _serializer(_CHECK_IN_SALT).dumps({"p": meeting.id, "u": _until(meeting.ends_at)})


def read_check_in_token(token: str) -> int:
    """The meeting id of a genuine, fresh check-in link."""
    return _load_until(_CHECK_IN_SALT, token, CHECK_IN_MAX_AGE)["p"]
