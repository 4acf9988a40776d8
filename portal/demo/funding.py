"""The demo alliance's two funding phases and the Sachbericht of each (added by portal.demo.seed)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from portal.actions.models import ActionItem
from portal.extensions import db
from portal.meetings.models import Decision
from portal.members.models import Person
from portal.reports.models import FundingPhase, ReportNarrative

FUNDER = "Bundesministerium für Bildung und Forschung (BMBF)"

PROJECT_PHASE = {
    "name": "Projektphase 2016–2019", "starts_on": date(2016, 1, 1), "ends_on": date(2019, 12, 31),
    "funder": FUNDER, "reference": "03SF0561A",
    "goals": ("- eine Wirtschaftsallianz der Bottroper Unternehmen unter Leitung des Oberbürgermeisters aufbauen\n"
              "- drei Reallabore zu Handwerk, Handel und Gründungen einrichten und moderieren\n"
              "- aus den Reallaboren mindestens ein umgesetztes Projekt hervorbringen\n"
              "- die Allianz wissenschaftlich begleiten (Institut Arbeit und Technik, Faktor 10)"),
}
FOLLOW_UP = {
    "name": "Anschlussförderung 2020–2021", "starts_on": date(2020, 1, 1), "ends_on": date(2021, 12, 31),
    "funder": FUNDER, "reference": "03SF0561B",
    "goals": ("- eine dauerhafte Geschäftsstelle der Allianz einrichten\n"
              "- das Projekt „Louise“ in den Regelbetrieb überführen\n"
              "- das neue Thema Umwelt- und Gesundheitsmanagement erschließen"),
}

PROJECT_SACHBERICHT = {
    "situation": (
        "Bottrop steht nach dem Ende des Steinkohlenbergbaus mitten im Strukturwandel. Kleine und "
        "mittlere Betriebe aus Handwerk, Handel und Dienstleistung tragen die lokale Wirtschaft, waren "
        "aber kaum miteinander vernetzt. Ziel der Projektphase war eine **Wirtschaftsallianz**, in der "
        "Unternehmen, Hochschule, Stadtverwaltung und Politik gemeinsam Vorhaben entwickeln und umsetzen."),
    "activities": (
        "Die Geschäftsstelle bei der Wirtschaftsförderung hat sieben Plenen im Rathaus ausgerichtet und "
        "drei Reallabore begleitet: *Kooperative und digitale Produktionsformen im Handwerk*, *Handel der "
        "Zukunft* und *Nachhaltige Unternehmensgründungen*. Das Institut Arbeit und Technik hat die "
        "Reallabore moderiert und ausgewertet, Faktor 10 die Nachhaltigkeitsfragen eingebracht."),
    "results": (
        "Aus dem Reallabor *Handel der Zukunft* ging das Stadtlogistik-Projekt **Louise** hervor: Lokale "
        "Geschäfte verkaufen online und liefern am selben Tag, seit 2019 auch per Lastenrad. Das Handwerk "
        "nimmt Aufträge über ein gemeinsames Formular an; Gründerinnen und Gründer treffen sich "
        "vierteljährlich zum Stammtisch."),
    "deviations": (
        "Der Pilot von Louise startete sechs Wochen später als geplant, weil die Schnittstelle zu den "
        "Kassensystemen der Geschäfte aufwendiger war als erwartet. Das Reallabor Gründungen tagte seltener "
        "als vorgesehen; es hat sich stattdessen im Stammtisch verstetigt."),
    "outlook": (
        "Die Mitglieder wünschen sich eine dauerhafte Geschäftsstelle. Für zwei Jahre Anschlussförderung "
        "liegt ein Antrag beim Bundesministerium. Eine Unternehmensbefragung nennt als nächstes Thema "
        "Umwelt- und Gesundheitsmanagement mit nachhaltiger Mobilität."),
}
FOLLOW_UP_SACHBERICHT = {  # a report in progress: three sections are still to be written
    "situation": ("Nach der Projektphase soll die Allianz ohne Projektstruktur weiterarbeiten. Die "
                  "Anschlussförderung finanziert die Geschäftsstelle für zwei Jahre."),
    "activities": ("Die Geschäftsstelle bereitet das achte Plenum zum Umwelt- und Gesundheitsmanagement vor."),
}


def add_funding_phases(office: Person) -> list[FundingPhase]:
    """Both phases with their Sachbericht texts; the narrative written for the years of the project
    phase becomes that phase's own (so it is found whatever 'today' is)."""
    phases = []
    for fields, sections in ((PROJECT_PHASE, PROJECT_SACHBERICHT), (FOLLOW_UP, FOLLOW_UP_SACHBERICHT)):
        phase = FundingPhase(**fields)
        db.session.add(phase)
        db.session.flush()
        for key, text in sections.items():
            db.session.add(ReportNarrative(period_start=phase.starts_on, period_end=phase.ends_on, phase_id=phase.id,
                                           section=key, text=text, author_id=office.id))
        phases.append(phase)
    _link_action_items_to_their_decisions()
    project = phases[0]
    for narrative in db.session.scalars(select(ReportNarrative).where(
            ReportNarrative.phase_id.is_(None), ReportNarrative.period_start == project.starts_on,
            ReportNarrative.period_end == project.ends_on)):
        narrative.phase_id = project.id
    return phases


def _link_action_items_to_their_decisions() -> None:
    """Demo action items agreed under an agenda item with a decision came out of that decision (as
    the minutes form records it), so the report can say which decisions were carried out on time."""
    decided = dict(db.session.execute(select(Decision.agenda_item_id, Decision.id)
                                      .where(Decision.agenda_item_id.is_not(None))).all())
    for item in db.session.scalars(select(ActionItem).where(ActionItem.agenda_item_id.in_(decided))):
        item.decision_id = decided[item.agenda_item_id]
