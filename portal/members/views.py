"""Request handlers of the members area: load, authorize, call the logic, render."""
from flask import Blueprint

bp = Blueprint("members", __name__)
