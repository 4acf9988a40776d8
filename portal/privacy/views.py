"""Own-data downloads ("Meine Daten") and erasure by the office."""
from __future__ import annotations

import logging

from flask import Blueprint, abort, current_app, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.deletion import confirm_delete
from portal.downloads import download
from portal.extensions import db
from portal.members.models import Person
from portal.permissions import authorize
from portal.privacy import erasure, export, ledger
from portal.privacy.models import names_erased_person
from portal.responses import act

bp = Blueprint("privacy", __name__)
log = logging.getLogger(__name__)


@bp.app_context_processor
def _helpers() -> dict:
    return {"person_erased": erasure.is_erased, "names_erased_person": names_erased_person}


def _data_page(person: Person, self_service: bool):
    return render_template("privacy/my_data.html", person=person, export=export.latest_export(person),
                           self_service=self_service, kinds=export.kinds(),
                           days=current_app.config["PRIVACY_EXPORT_DAYS"])


def _request(person: Person, target: str):
    return act(lambda: export.request_export(current_user, person),
               lambda made: _("Die Datenauskunft ist fertig und steht hier zum Herunterladen bereit.") if made.is_ready
               else _("Die Datenauskunft wird erstellt; sie steht hier bereit, sobald sie fertig ist."), target)


def _download(person: Person):
    latest = export.latest_export(person)
    if latest is None or not latest.is_ready:
        abort(404)
    return download(latest.content, f"Datenauskunft-{person.id}-{latest.ready_at:%Y-%m-%d}.zip", "application/zip")


@bp.route("/profile/data")
def my_data():
    authorize("privacy.own_data", current_user)
    return _data_page(current_user, True)


@bp.route("/profile/data", methods=["POST"])
def request_my_data():
    authorize("privacy.own_data", current_user)
    return _request(current_user, url_for("privacy.my_data"))


@bp.route("/profile/data.zip")
def download_my_data():
    authorize("privacy.own_data", current_user)
    return _download(current_user)


@bp.route("/members/<int:person_id>/data")
def person_data(person_id: int):
    person = db.get_or_404(Person, person_id)
    authorize("privacy.manage", person)
    return _data_page(person, False)


@bp.route("/members/<int:person_id>/data", methods=["POST"])
def request_person_data(person_id: int):
    person = db.get_or_404(Person, person_id)
    authorize("privacy.manage", person)
    return _request(person, url_for("privacy.person_data", person_id=person.id))


@bp.route("/members/<int:person_id>/data.zip")
def download_person_data(person_id: int):
    person = db.get_or_404(Person, person_id)
    authorize("privacy.manage", person)
    return _download(person)


@bp.route("/members/<int:person_id>/erase", methods=["GET", "POST"])
def erase(person_id: int):
    person = db.get_or_404(Person, person_id)
    authorize("privacy.manage", person)
    back = url_for("members.show", person_id=person.id)
    erased = []  # the erasure's result once it ran; the session is not touched after its commit

    response = confirm_delete(
        lambda: erased.append(erasure.erase(current_user, person)), _("Die Person ist gelöscht; Protokolle und Berichte zeigen „%(p)s“.", p=erasure.pseudonym(person.id)),
        back, heading=_("%(name)s löschen (Art. 17 DSGVO)", name=person.name),
        facts=[(_("Name"), _("wird zu „%(p)s“ (in Protokollen, Anwesenheitslisten, Beschlüssen, Aufgaben und Berichten)", p=erasure.pseudonym(person.id))),
               (_("E-Mail, Telefon, Funktion, Organisation"), _("werden gelöscht")),
               (_("Passwort, Anmeldungen, Einladungs- und Kalenderlinks"), _("werden ungültig; Anmelden ist nicht mehr möglich")),
               (_("Einwilligungen, Mitgliedschaften"), _("werden entfernt bzw. beendet")),
               (_("Kopien"), _("Werte im Änderungsprotokoll, E-Mails im Ausgang, Namen in Aufgabenverläufen und Protokollständen werden ersetzt")),
               (_("Texte, Suche, zwischengespeicherte PDFs"), _("E-Mail-Adresse und Telefonnummer werden auch aus allen Texten entfernt (Kommentare, Beschreibungen, Umfrageantworten, Rundschreiben); der Suchindex folgt, zwischengespeicherte PDFs werden neu erzeugt"))],
        consequence=_("Archivierte PDF-Protokolle bleiben unverändert als Unterlagen der Allianz (Art. 17 Abs. 3 DSGVO) und nennen den bisherigen Namen; nur die Geschäftsstelle lädt diese Originale herunter. Alle anderen bekommen ein neu erzeugtes PDF mit dem Pseudonym, ebenso zeigen die Protokollseiten das Pseudonym."),
        button=_("Endgültig löschen"))
    if erased and getattr(response, "status_code", None) == 302:  # committed
        ledger.remember(erased[0].installation, person_id)
    return response
