"""What a progress report contains: the data objects that the dashboard, the PDF and the CSV read.

They are filled by portal.reports.progress.build_progress_report; every figure is computed there
(and in portal.reports.counting), templates and exports only show it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l

from portal.groups.models import WorkingGroup
from portal.meetings.models import Decision, Meeting
from portal.reports.models import Outcome, ReportNarrative
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
    members: int = 0
    members_joined: int = 0
    members_left: int = 0
    decisions: int = 0
    actions_opened: int = 0
    actions_done: int = 0
    actions_overdue: int = 0
    median_days_to_done: float | None = None
    goals_reached: int = 0
    milestones_reached: int = 0


# (field, label, kind): the order in which dashboard, PDF and CSV list the key figures
KEY_FIGURES = (
    ("meetings_held", _l("Treffen abgehalten"), "count"),
    ("plenary_meetings", _l("davon Plenum"), "count"),
    ("group_meetings", _l("davon Reallabore"), "count"),
    ("attendances", _l("Teilnahmen (anwesend, mit Gästen)"), "count"),
    ("participants", _l("Verschiedene Teilnehmende"), "count"),
    ("attendance_rate", _l("Anwesenheitsquote der Eingeladenen"), "percent"),
    ("members", _l("Mitglieder am Ende des Zeitraums"), "count"),
    ("members_joined", _l("Mitglieder beigetreten"), "count"),
    ("members_left", _l("Mitglieder ausgetreten"), "count"),
    ("decisions", _l("Beschlüsse"), "count"),
    ("actions_opened", _l("Aufgaben angelegt"), "count"),
    ("actions_done", _l("Aufgaben erledigt"), "count"),
    ("actions_overdue", _l("Aufgaben überfällig am Ende des Zeitraums"), "count"),
    ("median_days_to_done", _l("Median Tage bis erledigt"), "days"),
    ("goals_reached", _l("Ziele erreicht"), "count"),
    ("milestones_reached", _l("Meilensteine erreicht"), "count"),
)


NO_COMPARISON = _l("Kein Vergleich: Der Vorzeitraum liegt vor dem Beginn der Allianz.")


@dataclass
class FigureRow:
    name: str
    label: str
    kind: str  # count | percent | days
    current: float | None
    previous: float | None

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
    # cancelled meetings of the period: listed apart, never counted or tabled as meetings
    cancelled: list[Meeting] = field(default_factory=list)

    @property
    def key_figures(self) -> list[FigureRow]:
        return [FigureRow(name, str(label), kind, getattr(self.figures, name), getattr(self.previous, name, None))
                for name, label, kind in KEY_FIGURES]

    @property
    def comparison_note(self) -> str | None:
        """The line that dashboard, PDF and CSV show instead of a comparison, when there is none."""
        return str(NO_COMPARISON) if self.previous_period is None else None

    @property
    def meetings_by_chapter(self) -> list[tuple[str, int]]:
        return [(chapter_title(c), c.held) for c in self.chapters]

    @property
    def is_empty(self) -> bool:
        """Nothing happened in the period: no meeting, decision, action item or member change."""
        f = self.figures
        return not (self.meetings or f.decisions or f.actions_opened or f.actions_done
                    or f.members_joined or f.members_left or f.goals_reached or f.milestones_reached)


def chapter_title(chapter: Chapter) -> str:
    return chapter.group.name if chapter.group is not None else str(_l("Plenum"))
