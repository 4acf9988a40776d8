"""The demo's materials (added by portal.demo.seed): slides on two agenda items of the next plenary,
a link on that plenary, and a working paper on Markus Hövelmann's current action item.

The slides are small PDFs written here byte by byte (a page per slide, the standard Helvetica):
real PDFs that every viewer opens, made in microseconds rather than by a renderer."""
from __future__ import annotations

from sqlalchemy import select

from portal.actions.models import ActionItem
from portal.extensions import db
from portal.materials.logic import add_material
from portal.meetings.models import AgendaItem, Meeting
from portal.members.models import Person

LIMIT = 10 * 1024 * 1024

SURVEY_SLIDES = [
    ("Ergebnisse der Unternehmensbefragung", ["8. Plenum der Wirtschaftsallianz Bottrop",
                                              "Geschäftsstelle, Wirtschaftsförderung"]),
    ("Wer hat geantwortet?", ["Betriebe aus Handwerk, Handel, Dienstleistung und Industrie",
                              "Mehr als die Hälfte mit weniger als 20 Beschäftigten"]),
    ("Was die Betriebe bewegt", ["Fachkräfte finden und halten",
                                 "Energie- und Materialkosten",
                                 "Gesundheit der Beschäftigten"]),
    ("Nächste Schritte", ["Ergebnisse in den Reallaboren vertiefen",
                          "Themen für die Anschlussförderung auswählen"]),
]
MOBILITY_SLIDES = [
    ("Nachhaltige Mobilität und betriebliches Gesundheitsmanagement",
     ["Impuls zur Diskussion", "8. Plenum der Wirtschaftsallianz Bottrop"]),
    ("Mobilität", ["Jobrad und Lastenräder für Betriebe", "Gemeinsame Ladepunkte im Gewerbegebiet",
                   "Fahrgemeinschaften über die Allianz"]),
    ("Gesundheit im Betrieb", ["Angebote der Krankenkassen für kleine Betriebe",
                               "Bewegte Pause – gemeinsam organisiert"]),
    ("Fragen an das Plenum", ["Welche Betriebe machen mit?", "Wer übernimmt die Koordination?"]),
]
def _working_paper(action: ActionItem, owner: Person) -> list[tuple[str, list[str]]]:
    """A short working paper on whatever the item asks (its title comes from the demo's pool)."""
    return [
        (action.title, [f"Arbeitsstand von {owner.name}",
                        *([owner.organization.name] if owner.organization else []), "Zur Abstimmung im Reallabor"]),
        ("Was schon erledigt ist", ["Ansprechpartner in drei Betrieben gefunden",
                                    "Erste Rückmeldungen eingeholt"]),
        ("Was noch offen ist", ["Kosten und Zeitplan klären", "Ergebnis in der nächsten Sitzung vorstellen"]),
    ]


def _text(value: str) -> bytes:
    """A PDF string in WinAnsiEncoding (cp1252 covers the German letters, „“ and €)."""
    raw = value.encode("cp1252")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _page_content(heading: str, lines: list[str], number: int, total: int) -> bytes:
    size = min(26, int(760 / (0.6 * len(heading))))  # a long heading still fits the bar
    ops = [b"0.11 0.30 0.47 rg 0 535 842 60 re f",
           b"BT /F2 %d Tf 1 1 1 rg 40 555 Td " % size + _text(heading) + b" Tj ET"]
    y = 470
    for line in lines:
        ops.append(b"BT /F1 20 Tf 0.13 0.13 0.13 rg 60 %d Td " % y + _text("– " + line) + b" Tj ET")
        y -= 40
    ops.append(b"BT /F1 10 Tf 0.4 0.4 0.4 rg 760 30 Td " + _text(f"{number} / {total}") + b" Tj ET")
    return b"\n".join(ops)


def slides_pdf(title: str, slides: list[tuple[str, list[str]]]) -> bytes:
    """A landscape A4 PDF, one page per (heading, lines) slide."""
    pages = len(slides)
    # objects: 1 catalog, 2 pages, 3 and 4 fonts, 5 info, then a page and its content per slide
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % (6 + 2 * i) for i in range(pages))
        + b"] /Count %d >>" % pages,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        b"<< /Title " + _text(title) + b" /Producer (Allianzportal Demo) >>",
    ]
    for number, (heading, lines) in enumerate(slides, start=1):
        content = _page_content(heading, lines, number, pages)
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 842 595] /Resources << /Font << /F1 3 0 R "
                       b"/F2 4 0 R >> >> /Contents %d 0 R >>" % (7 + 2 * (number - 1)))
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for index, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % index + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 5 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def add_demo_materials(office: Person) -> None:
    """Slides on two agenda items of the next plenary and a link on it; a working paper on an action item."""
    plenary = db.session.scalar(select(Meeting).where(Meeting.kind == "plenary", Meeting.status == "planned")
                                .order_by(Meeting.starts_at))
    if plenary is not None:
        items = {i.title: i for i in db.session.scalars(select(AgendaItem).where(AgendaItem.meeting_id == plenary.id))}
        for topic, slides, filename in (
                ("Ergebnisse der Unternehmensbefragung", SURVEY_SLIDES, "unternehmensbefragung-folien.pdf"),
                ("Nachhaltige Mobilität und betriebliches Gesundheitsmanagement", MOBILITY_SLIDES,
                 "mobilitaet-gesundheit-impuls.pdf")):
            if topic in items:
                add_material(office, plenary, items[topic], title=f"Folien: {slides[0][0]}", internal=False,
                             limit=LIMIT, filename=filename, data=slides_pdf(slides[0][0], slides))
        add_material(office, plenary, None, title="Förderbekanntmachungen des Bundesministeriums (BMBF)",
                     internal=False, limit=LIMIT, url="https://www.bmbf.de/")
    owner = db.session.scalar(select(Person).where(Person.email == "hoevelmann@example.org"))
    action = owner and db.session.scalar(select(ActionItem).where(ActionItem.owner_id == owner.id,
                                                                  ActionItem.status == "in_progress")
                                         .order_by(ActionItem.due_on.desc(), ActionItem.id))
    if action is not None:
        add_material(owner, None, None, action_item=action, title="Arbeitsstand (Entwurf)", internal=False,
                     limit=LIMIT, filename="arbeitsstand-entwurf.pdf",
                     data=slides_pdf(action.title, _working_paper(action, owner)))
