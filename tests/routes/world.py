"""The small alliance every route × role case runs against."""
from __future__ import annotations

import io
from datetime import date

from pypdf import PdfWriter

from portal.circulars.models import Circular, CircularRecipient
from portal.documents.models import StoredDocument
from portal.members.tokens import check_in_token, guest_token, unsubscribe_token
from tests.factories import Factory, utc
from tests.routes.surveys import surveys_world


def _blank_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def build_world(make: Factory) -> dict:
    office = make.person("office", name="Olga Office")
    observer = make.person("observer", name="Otto Observer")
    member = make.person("member", name="Mia Mitglied")
    moderator = make.person("member", name="Max Moderator")
    other_moderator = make.person("member", name="Ola Andere")
    org = make.organization(name="Tischlerei Beispiel")
    member.organization = org
    group_a = make.group(moderator=moderator, members=[member], name="Handel der Zukunft")
    group_b = make.group(moderator=other_moderator, name="Handwerk digital")

    meeting = make.meeting(group_a, title="Sitzung Handel", starts_at=utc(2030, 5, 4, 15))
    for person in (member, moderator):
        make.participation(meeting, person)
    item = make.agenda_item(meeting, title="Begrüßung")
    # the plenary's moderator, also the minute-taker of the group meeting: no group rights at all
    meeting_lead = make.person("member", name="Paula Plenum")
    meeting.minute_taker = meeting_lead
    plenary = make.meeting(None, title="8. Treffen", starts_at=utc(2030, 6, 1, 15), moderator=meeting_lead)
    plenary_item = make.agenda_item(plenary, title="Umwelt- und Gesundheitsmanagement")
    published = make.meeting(group_a, title="Sitzung veröffentlicht", starts_at=utc(2020, 5, 4, 15),
                             status="held", minutes_status="published")
    make.participation(published, member, attendance="present")
    draft = make.meeting(group_a, title="Sitzung Entwurf", starts_at=utc(2020, 6, 4, 15),
                         status="held", minutes_status="draft")
    make.participation(draft, member, attendance="present")
    # circulars: one sent by the office to the member, one draft of the moderator to group_a
    circular = Circular(subject="Sommerfest", body="Am 1. Juli.", author=office, audience="all_members",
                        group_ids=[], sectors=[], status="sent", sent_at=utc(2030, 6, 1, 8), recipient_count=1)
    circular_draft = Circular(subject="Nächste Sitzung", body="Bitte vormerken.", author=moderator,
                              audience="groups", group_ids=[group_a.id], sectors=[])
    make.session.add_all([circular, circular_draft])
    make.session.flush()
    make.session.add(CircularRecipient(circular_id=circular.id, person_id=member.id))
    # a progress report PDF the worker made
    stored_report = StoredDocument(kind="report", key="k" * 64, version="v" * 64, status="ready", pdf=_blank_pdf(),
                                 params={"start": "2030-01-01", "end": "2030-12-31", "kind": "custom",
                                         "group": None, "phase": None, "locale": "de"})
    make.session.add(stored_report)
    # minutes PDFs as they stood, made by the worker: of the draft and of the published minutes
    stored_draft_minutes, stored_minutes = (
        StoredDocument(kind="minutes", key=key * 64, version="v" * 64, status="ready", pdf=_blank_pdf(),
                       params={"meeting": of.id}) for key, of in (("d", draft), ("p", published)))
    make.session.add_all([stored_draft_minutes, stored_minutes])
    # decisions: one of published minutes, one of draft minutes
    published_decision = make.decision(published, number=1, text="Der Lieferdienst startet.")
    draft_decision = make.decision(draft, number=1, text="Noch nicht veröffentlicht.")
    action = make.action_item(member, group_a, meeting=published, due_on=date(2030, 1, 1))
    other_action = make.action_item(other_moderator, group_b, due_on=date(2030, 1, 1))
    closed_action = make.action_item(member, group_a, due_on=date(2020, 1, 1), status="done")
    outcome = make.outcome(group_a, title="Louise")
    milestone = make.milestone(outcome, title="Pilot im Stadtteil")
    # groups: a goal, a pending join request and the member's membership in group_a
    goal = make.goal(group_a, title="Lieferdienst für den Einzelhandel", position=1)
    applicant = make.person("member", name="Anna Anfrage")
    join_request = make.membership(applicant, group_a, status="requested", message="Ich möchte mitmachen.")
    member_membership = next(m for m in group_a.memberships if m.person_id == member.id)
    # meetings: a guest in the register of the planned meeting
    guest = make.participation(meeting, guest_name="Gabi Gast", guest_organization="Hochschule")
    # the outbox: a mail that failed for good
    mail_job = make.mail_job(to=member.email, status="failed", attempts=8,
                             last_error="smtp.example.org:587: [Errno 111] Connection refused")
    # materials: one on the group meeting's agenda item, one marked internal
    material = make.material(meeting, item=item, by=office, title="Folien Begrüßung")
    internal_material = make.material(meeting, by=office, title="Kalkulation", internal=True)
    # materials on the member's action item: one she added, one the office marked internal
    action_material = make.material(None, action_item=action, by=member, title="Angebot Druckerei")
    internal_action_material = make.material(None, action_item=action, by=office, title="Budget", internal=True)
    return {
        "material": material, "internal_material": internal_material, "version_one": 1,
        "action_material": action_material, "internal_action_material": internal_action_material,
        "mail_job": mail_job,
        "stored_report": stored_report,
        "stored_minutes": stored_minutes, "stored_draft_minutes": stored_draft_minutes,
        "published_decision": published_decision, "draft_decision": draft_decision,
        "circular": circular, "circular_draft": circular_draft, "unsubscribe_token": unsubscribe_token(member),
        "guest_token": guest_token(guest), "check_in_token": check_in_token(meeting),
        "office": office, "observer": observer, "member": member, "moderator": moderator,
        "other_moderator": other_moderator, "org": org, "group_a": group_a, "group_b": group_b,
        "meeting": meeting, "agenda_item": item, "plenary": plenary, "plenary_item": plenary_item,
        "meeting_lead": meeting_lead, "published": published,
        "draft": draft, "action": action, "other_action": other_action,
        "closed_action": closed_action, "outcome": outcome, "milestone": milestone,
        # calendar feeds: the member's secret token, and one that belongs to nobody
        "member_token": member.calendar_token, "unknown_token": "kein-gueltiger-schluessel",
        "goal": goal, "applicant": applicant, "join_request": join_request,
        "member_membership": member_membership,
        "guest": guest,
        "phase": make.phase(name="Projektphase 2016–2019", funder="Bundesministerium", reference="03K1234"),
        **surveys_world(make, member, org),
    }
