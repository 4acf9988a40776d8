"""The demo's privacy notice, taken note of by every demo person, so the demo logins go straight in."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from portal.extensions import db
from portal.members.models import Person
from portal.privacy_notice.models import NoticeAcceptance, PrivacyNotice

TEXT = """\
Die Geschäftsstelle der Wirtschaftsallianz (Wirtschaftsförderung der Stadt) verarbeitet in diesem
Portal personenbezogene Daten ihrer Mitglieder und Gäste.

## Wer ist verantwortlich?
Stadt Bottrop, Wirtschaftsförderung – Geschäftsstelle der Wirtschaftsallianz,
Ernst-Wilczok-Platz 1, 46236 Bottrop, geschaeftsstelle@example.org.
Datenschutzbeauftragte der Stadt: datenschutz@example.org.

## Wozu?
Um die Allianz und ihre Reallabore zu organisieren: Mitgliederverzeichnis, Einladungen und
Zusagen, Anwesenheit, Protokolle mit Beschlüssen und Aufgaben, Rundschreiben und die Berichte an
die Fördermittelgeber (Art. 6 Abs. 1 lit. e DSGVO; Kontaktdaten im Verzeichnis nur mit Ihrer
Einwilligung, Art. 6 Abs. 1 lit. a DSGVO).

## Wer sieht was?
Name, Organisation und Funktion sehen alle Angemeldeten. E-Mail-Adresse und Telefonnummer sehen
andere Mitglieder nur, wenn Sie es im Profil erlauben. Das Büro des Oberbürgermeisters liest die
Fortschrittsberichte. Veröffentlichte Protokolle nennen die Anwesenden.

## Wie lange?
Solange Sie Mitglied sind. Protokolle und Beschlüsse bewahrt die Allianz als Nachweis auf; nach
einer Löschung erscheinen Sie dort unter einem Pseudonym. Kontaktdaten von Gästen werden zwölf
Monate nach dem Treffen gelöscht.

## Ihre Rechte
Auskunft und Kopie Ihrer Daten („Meine Daten“ im Profil), Berichtigung, Löschung, Einschränkung,
Widerspruch und Widerruf einer Einwilligung – und die Beschwerde bei der Landesbeauftragten für
Datenschutz und Informationsfreiheit Nordrhein-Westfalen.
"""


def seed_privacy_notice(published_at: datetime) -> PrivacyNotice:
    """Version 1 of the notice, published by the office, and everyone's note of it."""
    office = db.session.scalar(select(Person).where(Person.role == "office").order_by(Person.id).limit(1))
    notice = PrivacyNotice(version=1, text=TEXT, published_at=published_at,
                           published_by_id=office.id if office else None)
    db.session.add(notice)
    for person_id in db.session.scalars(select(Person.id)):
        db.session.add(NoticeAcceptance(person_id=person_id, version=1, accepted_at=published_at))
    return notice
