"""Settings from the environment, with safe defaults for a local demo."""
from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

MIN_SECRET_LENGTH = 32


class ConfigError(RuntimeError):
    pass


def _instance_secret(instance_path: Path) -> str:
    """The demo's secret key, generated once into instance/ and reused afterwards."""
    path = instance_path / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _flag(env, name: str, default: bool) -> bool:
    value = env.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def load(instance_path: str, overrides: dict) -> dict:
    """Settings from the environment; `overrides` (tests, scripts) win over it."""
    env = os.environ
    instance = Path(instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    demo = env.get("PORTAL_DEMO", "") == "1" or env.get("FLASK_DEBUG", "") == "1"
    secret = overrides.get("SECRET_KEY") or env.get("SECRET_KEY")
    secret_file = ""  # set when the demo's key is kept in instance/
    if not secret:
        if not demo:
            raise ConfigError(
                "SECRET_KEY is not set. Set it in the environment for production, "
                "or set PORTAL_DEMO=1 for a local demo."
            )
        secret = _instance_secret(instance)
        secret_file = str(instance / "secret_key")
    if len(secret) < MIN_SECRET_LENGTH and not demo:
        raise ConfigError(
            f"SECRET_KEY is too short ({len(secret)} characters; at least {MIN_SECRET_LENGTH} needed): "
            "sessions signed with it could be forged. Generate one with "
            "`python -c 'import secrets; print(secrets.token_hex(32))'`."
        )
    base_url = env.get("PORTAL_BASE_URL", "http://127.0.0.1:5000").rstrip("/")
    settings = {
        "SECRET_KEY": secret,
        "SECRET_KEY_FILE": secret_file,
        "SQLALCHEMY_DATABASE_URI": env.get("DATABASE_URL", f"sqlite:///{instance / 'portal.db'}"),
        "PORTAL_BASE_URL": base_url,
        "PORTAL_NAME": env.get("PORTAL_NAME", "Wirtschaftsallianz Bottrop"),
        "MAIL_SERVER": env.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(env.get("MAIL_PORT") or (465 if _flag(env, "MAIL_USE_SSL", False) else 587)),
        # Flask-Mail's names: STARTTLS unless turned off (a local relay), or TLS from the start
        "MAIL_USE_TLS": _flag(env, "MAIL_USE_TLS", True),
        "MAIL_USE_SSL": _flag(env, "MAIL_USE_SSL", False),
        "MAIL_TIMEOUT": float(env.get("MAIL_TIMEOUT", "10")),
        "MAIL_USERNAME": env.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": env.get("MAIL_PASSWORD", ""),
        "MAIL_DEFAULT_SENDER": env.get("MAIL_DEFAULT_SENDER", "geschaeftsstelle@example.org"),
        # the domain of Message-IDs and calendar UIDs; empty: the host of PORTAL_BASE_URL at first use, stored
        "PORTAL_MAIL_DOMAIN": env.get("PORTAL_MAIL_DOMAIN", ""),
        "MAIL_OUTBOX": env.get("MAIL_OUTBOX", str(instance / "outbox")),
        # the job worker (`flask jobs work`): attempts before "failed", the first retry delay
        # (doubled after every failure, up to the cap), how long a claim holds, the idle wait
        "JOBS_MAX_ATTEMPTS": int(env.get("JOBS_MAX_ATTEMPTS", "8")),
        "JOBS_RETRY_DELAY": float(env.get("JOBS_RETRY_DELAY", "60")),
        "JOBS_MAX_RETRY_DELAY": float(env.get("JOBS_MAX_RETRY_DELAY", "3600")),
        "JOBS_LEASE": float(env.get("JOBS_LEASE", "900")),
        "JOBS_POLL_INTERVAL": float(env.get("JOBS_POLL_INTERVAL", "5")),
        "JOBS_BATCH_SIZE": int(env.get("JOBS_BATCH_SIZE", "20")),
        # sent mails are deleted after this many days
        "JOBS_KEEP_DONE_DAYS": float(env.get("JOBS_KEEP_DONE_DAYS", "30")),
        # data protection (portal.privacy): own-data downloads kept for days, guests' contact data
        # for months after their meeting, audit details for years (then who/when/what only)
        "PRIVACY_EXPORT_DAYS": int(env.get("PRIVACY_EXPORT_DAYS", "7")),
        "PRIVACY_GUEST_MONTHS": int(env.get("PRIVACY_GUEST_MONTHS", "12")),
        "PRIVACY_AUDIT_YEARS": int(env.get("PRIVACY_AUDIT_YEARS", "3")),
        # progress reports of more meetings than this are rendered by the job worker, in a child
        # process with these limits (a larger document fails with a message, not a killed worker)
        "REPORT_INLINE_MEETINGS": int(env.get("REPORT_INLINE_MEETINGS", "120")),
        # a report of more meetings and decisions than this prints its working groups as one table
        # and carries the full lists as CSV files inside the PDF (portal.reports.document)
        "REPORT_PRINT_ENTRIES": int(env.get("REPORT_PRINT_ENTRIES", "500")),
        "DOCUMENT_MEMORY_MB": int(env.get("DOCUMENT_MEMORY_MB", "1536")),
        "DOCUMENT_TIMEOUT_S": float(env.get("DOCUMENT_TIMEOUT_S", "120")),
        # minutes PDFs of more rows than this (participants, agenda items, decisions, action items)
        # are rendered by the job worker too; a stored progress report is rendered anew after this long
        # even if no count or time stamp of its data changed (an edit in place)
        "MINUTES_INLINE_ROWS": int(env.get("MINUTES_INLINE_ROWS", "400")),
        "DOCUMENT_MAX_AGE_S": int(env.get("DOCUMENT_MAX_AGE_S", "3600")),
        # the dashboard /reports is kept per data version; when the data changed, one that took longer
        # than this to build is shown as it stood (with its time) while the job worker builds it anew,
        # unless no worker has done so after DASHBOARD_REFRESH_WAIT_S (then the request builds it)
        "DASHBOARD_INLINE_MS": int(env.get("DASHBOARD_INLINE_MS", "1000")),
        "DASHBOARD_REFRESH_WAIT_S": int(env.get("DASHBOARD_REFRESH_WAIT_S", "300")),
        # each web process keeps the pages it rendered per viewer and data version (portal.kept_pages)
        # in up to this much memory; 0 keeps none
        "KEPT_PAGES_MB": int(env.get("KEPT_PAGES_MB", "32")),
        # ids of erased people, kept beside the database so that a restore erases them again
        "PRIVACY_ERASURE_LEDGER": env.get("PRIVACY_ERASURE_LEDGER", str(instance / "erasures.txt")),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": base_url.startswith("https://"),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": base_url.startswith("https://"),
        "REMEMBER_COOKIE_DURATION": timedelta(days=30),  # as long as a server-side session lasts
        "BABEL_DEFAULT_LOCALE": "de",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Berlin",
        "LANGUAGES": ("de", "en"),
        "PASSWORD_HASHER": env.get("PASSWORD_HASHER", "argon2"),
        "PER_PAGE": 25,
        "SURVEY_MIN_GROUP": 5,  # results of fewer answers are not shown (no single company read off)
        "MATERIAL_MAX_BYTES": 25 * 1024 * 1024,
        # reverse proxies in front of the app (nginx: 1), so that client addresses are real
        "PROXY_COUNT": int(env.get("PORTAL_PROXY_COUNT", "0")),
    }
    settings.update(overrides)
    return settings
