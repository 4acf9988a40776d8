"""The anchor of bench/pages.py: the least a portal page could cost — 4 queries and a template.

Served by gunicorn with the same settings as the portal; `/healthz` as in the portal."""
from __future__ import annotations

import os

from flask import Flask, render_template_string
from sqlalchemy import create_engine, text

app = Flask(__name__)
engine = create_engine(os.environ["DATABASE_URL"], pool_pre_ping=True)
PAGE = """<!doctype html><html lang="de"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><h1>{{ title }}</h1><ul>{% for name in names %}<li>{{ name }}</li>{% endfor %}</ul>
<p>{{ meetings }} Treffen, {{ groups }} Reallabore, {{ actions }} Aufgaben</p></body></html>"""


@app.get("/anchor")
def anchor():
    with engine.connect() as conn:
        names = conn.execute(text("SELECT name FROM people ORDER BY id LIMIT 20")).scalars().all()
        meetings = conn.execute(text("SELECT count(*) FROM meetings")).scalar()
        groups = conn.execute(text("SELECT count(*) FROM working_groups")).scalar()
        actions = conn.execute(text("SELECT count(*) FROM action_items")).scalar()
    return render_template_string(PAGE, title="Anker", names=names, meetings=meetings, groups=groups,
                                  actions=actions)


@app.get("/healthz")
def healthz():
    return {"status": "ok"}
