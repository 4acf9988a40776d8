"""url_for in templates, with the URLs a page links to kept.

A list page links every row (a person, a group, a meeting) and every page the navigation: /members
builds ~140 URLs per request, each a walk through werkzeug's rule builder. The same endpoint with
the same values gives the same URL as long as the URL map and the request's script root, host and
subdomain are the same, so the URL is kept under exactly those. Whatever a plain lookup cannot
answer the same way — endpoints relative to the blueprint (".x"), `_external`, `_anchor` and the
other `_` options, values that cannot be hashed — goes to Flask's url_for unchanged.
"""
from __future__ import annotations

from flask import Flask
from flask import url_for as flask_url_for
from flask.globals import request_ctx

_LIMIT = 20_000  # kept URLs per application; beyond it the store starts again


def url_for(endpoint: str, **values) -> str:
    if endpoint[:1] == ".":
        return flask_url_for(endpoint, **values)
    for name in values:
        if name[:1] == "_":
            return flask_url_for(endpoint, **values)
    try:
        adapter = request_ctx._get_current_object().url_adapter
    except RuntimeError:  # outside a request: Flask's rules for external URLs
        return flask_url_for(endpoint, **values)
    if adapter is None:
        return flask_url_for(endpoint, **values)
    # the types too: True and 1 are equal keys but give different query strings
    key = (adapter.script_name, adapter.server_name, adapter.subdomain, endpoint,
           tuple(values.items()), tuple(map(type, values.values())))
    kept = adapter.map.__dict__.setdefault("portal_kept_urls", {})
    try:
        return kept[key]
    except KeyError:
        pass
    except TypeError:  # a value that cannot be hashed (a list of query values)
        return flask_url_for(endpoint, **values)
    url = flask_url_for(endpoint, **values)
    if len(kept) >= _LIMIT:
        kept.clear()
    kept[key] = url
    return url


def register(app: Flask) -> None:
    """Templates use the kept URLs, unless the application adds URL defaults (then a URL would
    depend on more than its endpoint and values)."""
    if not any(app.url_default_functions.values()):
        app.jinja_env.globals["url_for"] = url_for
