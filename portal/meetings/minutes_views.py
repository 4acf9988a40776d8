"""Request handlers for moderating a meeting and for its minutes: load, authorize, call, render."""
from flask import Blueprint

bp = Blueprint("minutes", __name__)
