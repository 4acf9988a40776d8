"""Request handlers of the calendar area: load, authorize, call the logic, render."""
from flask import Blueprint

bp = Blueprint("calendar", __name__)
