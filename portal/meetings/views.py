"""Request handlers of the meetings area: load, authorize, call the logic, render."""
from flask import Blueprint

bp = Blueprint("meetings", __name__)
