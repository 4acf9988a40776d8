"""Request handlers for documents (minutes PDF)."""
from flask import Blueprint

bp = Blueprint("documents", __name__)
