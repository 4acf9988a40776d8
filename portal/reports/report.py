"""What a progress report contains: the data objects that the dashboard, the PDF and the CSV read.

They are filled by portal.reports.progress.build_progress_report; every figure is computed there
(and in portal.reports.counting), templates and exports only show it.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from portal.groups.models import WorkingGroup
from portal.meetings.models import Decision, Meeting
from portal.reports.models import OUTCOME_STATUSES, FundingPhase, Outcome, ReportNarrative
from portal.reports.periods import Bucket, Period


@dataclass
class Figures:
    """The key figures of one period; the same fields for the period and the one before it."""

    meetings_held: int = 0
    plenary_meetings: int = 0
    group_meetings: int = 0
    attendances: int = 0
    participants: int = 0
    attendance_rate: float | None = None
    organizations_per_meeting: float | None = None
    organizations: int = 0
    organizations_joined: int = 0
    organizations_left: int = 0
    organizations_in_groups: float | None = None
    members: int = 0
    members_joined: int = 0
    members_left: int = 0
    decisions: int = 0
    decision_actions: int = 0
    decision_actions_on_time: int = 0
    actions_opened: int = 0
    actions_done: int = 0
    actions_overdue: int = 0
    median_days_to_done: float | None = None
    goals_reached: int = 0
    milestones_reached: int = 0


# (field, label, kind, definition): the order in which dashboard, PDF and CSV list the key figures;
# the definition is the footnote of the printed report
KEY_FIGURES = (
    ("meetings_held", _l("Treffen abgehalten"), "count",
     _l("Treffen mit dem Status „abgehalten“, die im Zeitraum begannen; abgesagte Treffen zählen nie.")),
    ("plenary_meetings", _l("davon Plenum"), "count", None),
    ("group_meetings", _l("davon Reallabore"), "count", None),
    ("attendances", _l("Teilnahmen (anwesend, mit Gästen)"), "count",
     _l("Als anwesend eingetragene Teilnahmen an diesen Treffen, Gäste eingeschlossen.")),
    ("participants", _l("Verschiedene Teilnehmende"), "count",
     _l("Verschiedene Personen mit Zugang, die an mindestens einem Treffen anwesend waren (ohne Gäste).")),
    ("attendance_rate", _l("Anwesenheitsquote der Eingeladenen"), "percent",
     _l("Anwesende Eingeladene geteilt durch Eingeladene, über alle abgehaltenen Treffen.")),
    ("organizations_per_meeting", _l("Teilnehmende Organisationen je Treffen (Mittel)"), "decimal",
     _l("Verschiedene Organisationen der anwesenden Mitglieder je abgehaltenem Treffen, gemittelt; "
        "Gäste ohne Zugang zählen nicht.")),
    ("organizations", _l("Mitgliedsorganisationen am Ende des Zeitraums"), "count",
     _l("Organisationen mit mindestens einem Mitglied (Rolle Mitglied), das vor Ende des Zeitraums "
        "beigetreten und bis dahin nicht ausgetreten war.")),
    ("organizations_joined", _l("Organisationen beigetreten"), "count",
     _l("Organisationen, deren erstes Mitglied im Zeitraum beitrat.")),
    ("organizations_left", _l("Organisationen ausgetreten"), "count",
     _l("Organisationen, deren letztes Mitglied im Zeitraum austrat (und kein Mitglied mehr haben).")),
    ("organizations_in_groups", _l("Anteil der Organisationen in mindestens einem Reallabor"), "percent",
     _l("Mitgliedsorganisationen am Ende des Zeitraums, von denen im Zeitraum mindestens eine Person "
        "Mitglied eines Reallabors war, geteilt durch alle Mitgliedsorganisationen.")),
    ("members", _l("Personen (Mitglieder) am Ende des Zeitraums"), "count",
     _l("Personen mit der Rolle Mitglied, die vor Ende des Zeitraums beitraten und bis dahin nicht austraten.")),
    ("members_joined", _l("Personen beigetreten"), "count", None),
    ("members_left", _l("Personen ausgetreten"), "count", None),
    ("decisions", _l("Beschlüsse"), "count",
     _l("Beschlüsse der Treffen des Zeitraums mit veröffentlichtem Protokoll.")),
    ("decision_actions", _l("Aufgaben aus diesen Beschlüssen"), "count",
     _l("Aufgaben, die aus einem dieser Beschlüsse hervorgingen.")),
    ("decision_actions_on_time", _l("davon fristgerecht erledigt"), "count",
     _l("Davon erledigt spätestens am Tag ihrer Frist (Ortszeit).")),
    ("actions_opened", _l("Aufgaben angelegt"), "count", None),
    ("actions_done", _l("Aufgaben erledigt"), "count", None),
    ("actions_overdue", _l("Aufgaben überfällig am Ende des Zeitraums"), "count",
     _l("Vor Ende des Zeitraums angelegt, an dessen letztem Tag (oder heute) noch offen und mit Frist davor.")),
    ("median_days_to_done", _l("Median Tage bis erledigt"), "days", None),
    ("goals_reached", _l("Ziele erreicht"), "count", None),
    ("milestones_reached", _l("Meilensteine erreicht"), "count", None),
)


# what the dashboard shows of its growing lists (the PDF shows them whole; the rest on their own pages)
RECENT = 5          # the latest meetings and decisions
CHAPTERS_SHOWN = 10  # the plenary and the first working groups

NO_COMPARISON = _l("Kein Vergleich: Der Vorzeitraum liegt vor dem Beginn der Allianz.")


@dataclass
class FigureRow:
    name: str
    label: str
    kind: str  # count | percent | days | decimal
    current: float | None
    previous: float | None
    note: str | None = None  # its definition (footnote of the PDF)
    note_number: int | None = None

    @property
    def change(self) -> float | None:
        if self.current is None or self.previous is None:
            return None
        return self.current - self.previous


@dataclass(kw_only=True)
class Attendance:
    attendances: int = 0      # present, people and guests
    invited: int = 0          # invited people (guests are not invited)
    invited_present: int = 0

    @property
    def rate(self) -> float | None:
        return self.invited_present / self.invited if self.invited else None


@dataclass
class MeetingRow(Attendance):
    meeting: Meeting
    organizations: int = 0  # different organizations of the members present (guests never)

    @property
    def decisions(self) -> list[Decision]:
        """The decisions the report counts and lists: only those of published minutes. Before
        publication they may still change, and readers of the report (observers) may not see them."""
        return self.meeting.decisions if self.meeting.minutes_status == "published" else []


@dataclass
class AttendancePoint(Attendance):
    bucket: Bucket
    meetings: int = 0


@dataclass
class ActionPoint:
    bucket: Bucket
    opened: int = 0
    done: int = 0


@dataclass
class Chapter:
    """A working group's part of the report (group None: the plenary)."""

    group: WorkingGroup | None
    meetings: list[MeetingRow] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    narrative: ReportNarrative | None = None

    @property
    def goals(self):
        return self.group.goals if self.group is not None else []

    @property
    def held(self) -> int:
        return sum(1 for row in self.meetings if row.meeting.is_held)

    @property
    def key(self) -> str:
        return f"group-{self.group.id}" if self.group is not None else "plenary"

    def is_quiet(self, period: Period) -> bool:
        """No meeting, decision, goal or milestone reached in the period: the chapter says so in one line."""
        return not (self.meetings or self.decisions
                    or any(period.contains_day(g.reached_on) for g in self.goals)
                    or any(period.contains_day(m.reached_on) for o in self.outcomes for m in o.milestones))


@dataclass
class Section:
    """A section of the Sachbericht: the office's text (None: not written yet) and the facts the
    portal computes for it."""

    key: str
    title: str
    text: str | None
    facts: list[tuple[str, str]] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    items_title: str = ""  # what the items are (they are not the facts above them)
    markdown: str = ""  # e.g. the goals of the phase, as the office wrote them


@dataclass
class Report:
    period: Period
    previous_period: Period | None  # None: no comparison (see comparison_note)
    group: WorkingGroup | None
    as_of: date
    figures: Figures
    previous: Figures | None
    meetings: list[MeetingRow]
    decisions: list[Decision]
    chapters: list[Chapter]
    outcomes: list[Outcome]
    sectors: list[tuple[str, int]]
    attendance: list[AttendancePoint]
    actions: list[ActionPoint]
    narrative: ReportNarrative | None = None
    phase: FundingPhase | None = None
    organization_sectors: list[tuple[str, int]] = field(default_factory=list)
    sachbericht: list[Section] = field(default_factory=list)
    # cancelled meetings of the period: listed apart, never counted or tabled as meetings
    cancelled: list[Meeting] = field(default_factory=list)

    @property
    def key_figures(self) -> list[FigureRow]:
        rows, number = [], 0
        for name, label, kind, note in _key_figure_texts(str(get_locale())):
            number += note is not None
            rows.append(FigureRow(name, label, kind, getattr(self.figures, name),
                                  getattr(self.previous, name, None), note, number if note else None))
        return rows

    @property
    def empty_sections(self) -> list[Section]:
        return [s for s in self.sachbericht if s.text is None]

    @property
    def comparison_note(self) -> str | None:
        """The line that dashboard, PDF and CSV show instead of a comparison, when there is none."""
        return str(NO_COMPARISON) if self.previous_period is None else None

    @property
    def meetings_by_chapter(self) -> list[tuple[str, int]]:
        return [(chapter_title(c), c.held) for c in self.chapters]

    @property
    def recent_meetings(self) -> list[MeetingRow]:
        """The latest meetings of the period, the latest first (the dashboard's summary)."""
        return self.meetings[::-1][:RECENT]

    @property
    def recent_decisions(self) -> list[Decision]:
        """The latest decisions of the period: of the latest meeting first, in their order there."""
        latest = sorted(self.decisions[-RECENT:], key=lambda d: d.number)
        return sorted(latest, key=lambda d: (d.meeting.starts_at, d.meeting_id), reverse=True)

    @property
    def chapters_shown(self) -> list[Chapter]:
        return self.chapters[:CHAPTERS_SHOWN]

    @property
    def outcomes_by_status(self) -> list[tuple[str, int]]:
        """(status, how many outcomes have it), in the order of the statuses, only those that occur."""
        counts = Counter(o.status for o in self.outcomes)
        return [(status, counts[status]) for status in OUTCOME_STATUSES if counts[status]]

    @property
    def is_empty(self) -> bool:
        """Nothing happened in the period: no meeting, decision, action item or member change."""
        f = self.figures
        return not (self.meetings or f.decisions or f.actions_opened or f.actions_done
                    or f.members_joined or f.members_left or f.goals_reached or f.milestones_reached)


@cache
def _key_figure_texts(locale: str) -> tuple[tuple[str, str, str, str | None], ...]:
    """KEY_FIGURES with their labels and definitions translated, once per language (46 lookups)."""
    return tuple((name, str(label), kind, str(note) if note else None) for name, label, kind, note in KEY_FIGURES)


def chapter_title(chapter: Chapter) -> str:
    return chapter.group.name if chapter.group is not None else str(_l("Plenum"))
