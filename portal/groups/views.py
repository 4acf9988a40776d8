"""Request handlers of the groups area: load, authorize, call the logic, render."""
from flask import Blueprint

bp = Blueprint("groups", __name__)
