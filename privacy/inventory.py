"""Where Kazi holds a person's data: every model with a key to the User, and what export and erasure do with it.

The one explicit list. tests/privacy/test_inventory.py compares it with the app registry, so a new model
with a user key fails the tests until it is listed here with its erasure rule; the export and the erasure
both walk this list, so listing it is all either needs.

- DELETE: the rows are the person's (their profile, applications, notifications): removed.
- DETACH: the rows are also other people's (a job they posted for their company, a chat message the others
  still read, an interview they organised): kept, the key to the person cleared (and `clear` fields emptied).
"""

from dataclasses import dataclass, field
from enum import StrEnum

from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.db import models
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

from accounts.models import User
from analytics.models import Event, JobViewer, UserHourlyStats
from chat.models import Conversation, Message
from chat.models import Participant as ChatParticipant
from core.models import OutgoingMail
from interviews.models import Assessment, Attendance, ConnectionQualityReport, Interview, ReminderDelivery
from interviews.models import Participant as InterviewParticipant
from interviews.recording_models import Recording as InterviewRecording
from marketplace.models import (
    Application,
    ApplicationNote,
    ApplicationStatusChange,
    Bookmark,
    Company,
    CompanyInvitation,
    Document,
    Job,
    JobSeekerProfile,
    SavedSearch,
)
from matcher.models import Recommendation, RecommendationFeedback
from notifications.models import Notification, NotificationPreference, NotificationReceipt
from privacy.models import DataExport
from resumes.models import BulkImport, CandidateRecord, CandidateShare


class Erase(StrEnum):
    DELETE = "delete"
    DETACH = "detach"


@dataclass(frozen=True)
class Holding:
    model: type[models.Model]
    # The user key (a ForeignKey or OneToOneField to the User), or for `by_email` the field holding an address.
    field: str
    erase: Erase
    # Emptied when detaching: what would still say who the person was.
    clear: dict = field(default_factory=dict)
    # Never in an export: secrets (a password hash, a live token) and what only Kazi's machinery reads.
    secret: tuple[str, ...] = ()
    by_email: bool = False

    @property
    def label(self) -> str:
        return self.model._meta.label


HOLDINGS: tuple[Holding, ...] = (
    # accounts and authentication (the User row itself is exported and deleted last, by the services)
    Holding(OutstandingToken, "user", Erase.DELETE, secret=("token",)),
    Holding(LogEntry, "user", Erase.DELETE),
    # notifications
    Holding(Notification, "recipient", Erase.DELETE),
    Holding(NotificationReceipt, "user", Erase.DELETE),
    Holding(NotificationPreference, "user", Erase.DELETE),
    # marketplace
    Holding(JobSeekerProfile, "user", Erase.DELETE, secret=("search_vector",)),
    Holding(Document, "owner", Erase.DELETE),
    Holding(Application, "candidate", Erase.DELETE),
    Holding(Bookmark, "user", Erase.DELETE),
    Holding(SavedSearch, "seeker", Erase.DELETE),
    Holding(Job, "posted_by", Erase.DETACH),
    Holding(ApplicationStatusChange, "changed_by", Erase.DETACH),
    # A recruiter's note on an applicant is the company's record: it stays, shown as from a former recruiter.
    Holding(ApplicationNote, "author", Erase.DETACH),
    Holding(Company, "owner", Erase.DETACH),
    Holding(CompanyInvitation, "invited_by", Erase.DETACH, secret=("token_hash",)),
    Holding(CompanyInvitation, "accepted_by", Erase.DETACH, secret=("token_hash",)),
    Holding(CompanyInvitation, "email", Erase.DELETE, secret=("token_hash",), by_email=True),
    # matcher
    Holding(Recommendation, "seeker", Erase.DELETE),
    Holding(RecommendationFeedback, "seeker", Erase.DELETE),
    # resumes: a company's own records of candidates stay the company's; the link to the account goes
    Holding(CandidateRecord, "user", Erase.DETACH),
    Holding(CandidateRecord, "created_by", Erase.DETACH),
    Holding(BulkImport, "created_by", Erase.DETACH),
    Holding(CandidateShare, "seeker", Erase.DELETE),
    Holding(CandidateShare, "shared_with", Erase.DELETE),
    Holding(CandidateShare, "shared_by", Erase.DETACH),
    # chat: the others keep the conversation; the person's messages show as from a deleted user
    Holding(ChatParticipant, "user", Erase.DELETE),
    Holding(Message, "sender", Erase.DETACH),
    Holding(Conversation, "created_by", Erase.DETACH),
    # interviews
    Holding(Interview, "candidate", Erase.DELETE),
    Holding(Interview, "organizer", Erase.DETACH),
    Holding(Interview, "cancelled_by", Erase.DETACH),
    Holding(InterviewParticipant, "user", Erase.DELETE),
    Holding(Attendance, "user", Erase.DELETE),
    Holding(Assessment, "interviewer", Erase.DELETE),
    Holding(ReminderDelivery, "user", Erase.DELETE),
    Holding(ConnectionQualityReport, "user", Erase.DELETE),
    # A recording shows every participant: it goes with the interview when the candidate's account is erased
    # (Interview.candidate cascades, files included); the recruiter who started it is only detached. Their
    # export lists it without the video: the company's record of the interview (up to gigabytes), not theirs.
    Holding(InterviewRecording, "started_by", Erase.DETACH, secret=("file",)),
    # analytics: the counts of what happened stay right, nothing says who did it
    Holding(Event, "user", Erase.DETACH, clear={"metadata": {}}),
    Holding(JobViewer, "user", Erase.DELETE),
    Holding(UserHourlyStats, "user", Erase.DELETE),
    # mail sent to the person's address
    Holding(OutgoingMail, "to", Erase.DELETE, by_email=True),
    # privacy itself
    Holding(DataExport, "user", Erase.DELETE),
)

# Never exported from the User row.
USER_SECRETS = ("password",)


def user_key_fields() -> set[tuple[str, str]]:
    """(model label, field) of every ForeignKey and OneToOneField to the User in the installed apps."""
    found = set()
    for model in apps.get_models():
        for model_field in model._meta.concrete_fields:
            if model_field.is_relation and model_field.related_model is User:
                found.add((model._meta.label, model_field.name))
    return found


def unlisted_user_keys() -> set[tuple[str, str]]:
    """User keys of the installed models that HOLDINGS does not list: each is data that neither the export nor
    the erasure would reach."""
    listed = {(holding.label, holding.field) for holding in HOLDINGS if not holding.by_email}
    return user_key_fields() - listed
