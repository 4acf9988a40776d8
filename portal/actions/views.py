"""Request handlers of the actions area: load, authorize, call the logic, render."""
from flask import Blueprint

bp = Blueprint("actions", __name__)
