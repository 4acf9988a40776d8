"""Request handlers of the reports area: load, authorize, call the logic, render."""
from flask import Blueprint

bp = Blueprint("reports", __name__)
