"""Password hashing with argon2; the test configuration asks for cheap parameters."""
import functools
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

_HASHERS = {
    "argon2": PasswordHasher(),
    "argon2-fast": PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1),
}
MIN_LENGTH = 10


def _hasher() -> PasswordHasher:
    return _HASHERS[current_app.config.get("PASSWORD_HASHER", "argon2")]


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether `password` matches; without a hash (no account, no password yet) it is checked
    against a stand-in, so that the answer takes as long as for an account."""
    try:
        return _hasher().verify(password_hash or _stand_in_hash(), password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


@functools.cache
def _stand_in(hasher: str) -> str:
    return _HASHERS[hasher].hash(secrets.token_urlsafe(16))


def _stand_in_hash() -> str:
    return _stand_in(current_app.config.get("PASSWORD_HASHER", "argon2"))
