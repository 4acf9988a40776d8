"""Imports every area's models, so that SQLAlchemy and Alembic know all tables."""
from portal.actions.models import ActionItem, ActionItemEvent, CarriedActionItem, ReminderDelivery  # noqa: F401
from portal.audit.models import AuditEvent  # noqa: F401
from portal.auth.models import AuthAttempt, LoginSession  # noqa: F401
from portal.circulars.models import Circular, CircularRecipient  # noqa: F401
from portal.documents.models import StoredDocument  # noqa: F401
from portal.exchange.models import OrganizationTheme, Theme  # noqa: F401
from portal.groups.models import GroupGoal, Membership, WorkingGroup  # noqa: F401
from portal.jobs.models import Job  # noqa: F401
from portal.kept_pages import PageChange  # noqa: F401  (and its change log's session events)
from portal.materials.models import Material, MaterialBlob, MaterialVersion  # noqa: F401
from portal.meetings.models import AgendaItem, Decision, Meeting, Participation  # noqa: F401
from portal.members.models import Organization, Person  # noqa: F401
from portal.minutes.models import (  # noqa: F401
    MinutesAmendment,
    MinutesComment,
    MinutesDocument,
    MinutesRevision,
)
from portal.privacy.models import DataExport, ErasureRecord  # noqa: F401
from portal.privacy_notice.models import NoticeAcceptance, PrivacyNotice  # noqa: F401
from portal.reports.changes import DashboardEntry, DataChange  # noqa: F401  (and the change log's session events)
from portal.reports.models import FundingPhase, Milestone, Outcome, ReportNarrative  # noqa: F401
from portal.search.models import SearchDocument  # noqa: F401
from portal.site_settings.models import SiteSetting  # noqa: F401
from portal.surveys.models import (  # noqa: F401
    Survey,
    SurveyAnswer,
    SurveyQuestion,
    SurveyReminder,
    SurveyResponse,
)
