"""The queue's domain: practices, patients, work items, messages, calls, appointments, audit.

Every row that holds patient data carries its practice, so that access is decided by one
foreign key. Patients and their history are never cascade-deleted (PROTECT).

Over 600 lines on purpose: this is the whole schema the other apps stand on, with its
constraints and partial indexes, kept in one app so that its migration history stays whole
(docs/ARCHITECTURE.md says why the models did not move with messaging and integrations).
"""

import re
from datetime import datetime, time, timedelta
from uuid import uuid4

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Coalesce, Least
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from queue_app import lanes
from queue_app.search import SearchName
from queue_app.search_terms import reference

E164_REGEX = r"^\+[1-9][0-9]{1,14}$"
# A US short code, as Twilio writes it in a webhook's `To`: the digits alone, no "+".
SHORT_CODE_REGEX = r"^[0-9]{5,6}$"
SENDING_NUMBER_HELP = "A phone number in E.164 (+13055550123) or a 5–6 digit US short code (52712)."


class Language(models.TextChoices):
    ENGLISH = "en", "English"
    SPANISH = "es", "Español"


class Role(models.TextChoices):
    ASSISTANT = "assistant", "Assistant"
    CLINICAL = "clinical", "Clinical team"
    MANAGER = "manager", "Manager"
    ADMIN = "admin", "Admin"


class Practice(models.Model):
    class AssignmentRule(models.TextChoices):
        ROUND_ROBIN = "round_robin", "Round robin among assistants on shift"
        CLAIM = "claim", "Left for assistants to claim"

    class NamePolicy(models.TextChoices):
        FULL = "full", "Full name"
        FIRST_INITIAL = "first_initial", "First name and last initial"

    code = models.UUIDField(default=uuid4, unique=True, editable=False)
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120)
    timezone = models.CharField(max_length=64, default="America/New_York")
    # {"mon": ["08:00", "17:00"], ..., "holidays": ["2026-12-25"]}; see queue_app.clock.
    business_hours = models.JSONField(default=dict)
    quiet_start = models.TimeField(default=time(20, 0))
    quiet_end = models.TimeField(default=time(8, 0))
    languages = models.JSONField(default=list)
    phone = models.CharField(max_length=16, help_text="Main number, E.164")
    emergency_script = models.TextField(blank=True)
    assignment_rule = models.CharField(
        max_length=16, choices=AssignmentRule, default=AssignmentRule.ROUND_ROBIN
    )
    assignment_cap = models.PositiveSmallIntegerField(default=12)
    name_policy = models.CharField(max_length=16, choices=NamePolicy, default=NamePolicy.FULL)
    idle_logoff_minutes = models.PositiveSmallIntegerField(default=15)
    callback_attempts = models.PositiveSmallIntegerField(default=3)
    callback_interval_minutes = models.PositiveIntegerField(default=120)
    # At most this many automated messages (reminders, callbacks' texts) per patient in any
    # 24 hours and any 7 days; replies a person writes are never capped (messaging.frequency).
    automated_daily_limit = models.PositiveSmallIntegerField(
        default=3, help_text="Automated messages a patient may get in any 24 hours."
    )
    automated_weekly_limit = models.PositiveSmallIntegerField(
        default=8, help_text="Automated messages a patient may get in any 7 days."
    )
    # "Did you know what to do next?" goes to a patient at most once in this many days
    # (messaging.survey), so a patient with many items is not asked after each one.
    survey_interval_days = models.PositiveSmallIntegerField(
        default=30, help_text="Days between two follow-up questions to the same patient."
    )
    # {"morning": ["00:00", "11:00"], "midday": [...], "afternoon": [...]}
    rhythm_blocks = models.JSONField(default=dict, blank=True)
    # Reminder offsets before an appointment, in minutes: {"confirmation_request": 4320, ...}
    reminder_offsets = models.JSONField(default=dict, blank=True)
    # Days each kind of data is kept before it is removed (queue_app.retention; defaults there).
    retention = models.JSONField(default=dict, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        permissions = [
            ("work_queue", "Work the practice's queue"),
            ("handle_escalations", "Receive and resolve escalations"),
            ("manage_practice", "Review quality and read the scorecard"),
            ("edit_playbook", "Edit moments, templates and channel rules"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(phone__regex=E164_REGEX), name="practice_phone_e164"
            ),
            models.CheckConstraint(
                condition=Q(assignment_cap__gte=1), name="practice_assignment_cap_positive"
            ),
            models.CheckConstraint(
                condition=Q(automated_daily_limit__gte=1)
                & Q(automated_weekly_limit__gte=F("automated_daily_limit")),
                name="practice_automated_limits_ordered",
            ),
            models.CheckConstraint(
                condition=Q(survey_interval_days__gte=1), name="practice_survey_interval_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_bilingual(self) -> bool:
        return len(self.languages) > 1


class PracticeUserObjectPermission(UserObjectPermissionBase):
    """Direct-FK grants: deleting a practice or a user removes its grants, no orphans."""

    content_object = models.ForeignKey(Practice, on_delete=models.CASCADE)


class PracticeGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Practice, on_delete=models.CASCADE)


def validate_sending_number(value: str) -> None:
    """A practice's Twilio number: E.164, or a short code written as its digits alone."""
    if re.fullmatch(r"\+[0-9]{5,6}", value):
        # "+52712" passes as E.164, but Twilio posts a short code's `To` as "52712": stored
        # with the "+", no inbound text would ever find its practice.
        raise ValidationError(
            "A short code is written without the “+”: enter %(digits)s.",
            code="short_code_plus",
            params={"digits": value[1:]},
        )
    if not (re.fullmatch(E164_REGEX, value) or re.fullmatch(SHORT_CODE_REGEX, value)):
        raise ValidationError(
            "Enter a phone number in E.164, like +13055550123, or a US short code of 5 or 6 "
            "digits, like 52712.",
            code="invalid_sending_number",
        )


class PracticeNumber(models.Model):
    """A Twilio number of a practice (a long code, toll-free or short code): inbound messages
    find their practice by it."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="numbers")
    number = models.CharField(
        max_length=16,
        unique=True,
        validators=[validate_sending_number],
        help_text=SENDING_NUMBER_HELP,
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(number__regex=E164_REGEX) | Q(number__regex=SHORT_CODE_REGEX),
                name="number_e164_or_short_code",
            )
        ]

    def __str__(self) -> str:
        return self.number


class StaffProfile(models.Model):
    """What the assignment rule needs to know about a person."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    languages = models.JSONField(default=list)
    on_shift = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"profile of {self.user}"


class Patient(models.Model):
    code = models.UUIDField(default=uuid4, unique=True, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="patients")
    first_name = models.CharField(max_length=80)
    last_name = models.CharField(max_length=80)
    date_of_birth = models.DateField(null=True, blank=True)
    phone = models.CharField(max_length=16, blank=True)
    email = models.EmailField(blank=True)
    preferred_language = models.CharField(max_length=2, choices=Language, default=Language.ENGLISH)
    contact_window = models.CharField(max_length=80, blank=True)
    external_id = models.CharField(max_length=64, blank=True)
    opted_out_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    # "gómez" → "rosa gomez": what a name search matches, kept by the database itself on every
    # write (queue_app.search says why; its trigram index is in migration 0011).
    search_name = models.GeneratedField(
        expression=SearchName(), output_field=models.TextField(), db_persist=True
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(phone="") | Q(phone__regex=E164_REGEX), name="patient_phone_e164"
            ),
            models.UniqueConstraint(
                fields=["practice", "external_id"],
                condition=~Q(external_id=""),
                name="patient_unique_external_id",
            ),
        ]
        indexes = [
            models.Index(fields=["practice", "phone"], name="patient_practice_phone"),
            models.Index(fields=["practice", "last_name", "first_name"], name="patient_name"),
            # Search by date of birth; the name's trigram index is in migration 0011.
            models.Index(fields=["practice", "date_of_birth"], name="patient_practice_dob"),
        ]

    def __str__(self) -> str:
        return f"patient {self.code}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def display_name(self, policy: str) -> str:
        if policy == Practice.NamePolicy.FIRST_INITIAL:
            return f"{self.first_name} {self.last_name[:1]}."
        return self.full_name


class Consent(models.Model):
    """Consent ledger: each grant or withdrawal is a row; the latest per channel counts."""

    class Channel(models.TextChoices):
        SMS = "sms", "Text messages"
        EMAIL = "email", "Email"
        PORTAL = "portal", "Portal messages"
        VOICE = "voice", "Automated calls"

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="consents")
    channel = models.CharField(max_length=8, choices=Channel)
    granted = models.BooleanField()
    recorded_at = models.DateTimeField()
    source = models.CharField(max_length=120, help_text="How it was given, e.g. intake form")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        indexes = [
            models.Index(fields=["patient", "channel", "-recorded_at"], name="consent_latest")
        ]
        constraints = [models.CheckConstraint(condition=~Q(source=""), name="consent_source_named")]

    def __str__(self) -> str:
        return f"{self.channel} {'granted' if self.granted else 'withdrawn'}"


class CommunicationMoment(models.Model):
    """One routine situation a practice delegates: the playbook's lane.

    Texts that exist per language are stored as {"en": ..., "es": ...}.
    """

    class Block(models.TextChoices):
        MORNING = "morning", "Morning"
        MIDDAY = "midday", "Midday"
        AFTERNOON = "afternoon", "Afternoon"

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="moments")
    key = models.SlugField(max_length=40)
    name = models.JSONField(default=dict)
    likely_question = models.JSONField(default=dict)
    verification_fields = models.JSONField(default=list)
    verification_checks = models.JSONField(default=dict)
    note_elements = models.JSONField(default=list)
    note_example = models.JSONField(default=dict)
    escalation_point = models.JSONField(default=dict)
    escalation_route = models.CharField(max_length=16, default="clinical")
    allowed_channels = models.JSONField(default=list)
    consent_required_channels = models.JSONField(default=list)
    live_call_required = models.BooleanField(default=False)
    first_response_minutes = models.PositiveIntegerField(default=120)
    rhythm_block = models.CharField(max_length=10, choices=Block, default=Block.MORNING)
    delegated = models.BooleanField(default=True)

    class Meta:
        ordering = ["key"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "key"], name="moment_unique_key"),
            models.CheckConstraint(
                condition=Q(first_response_minutes__gte=1), name="moment_target_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.key

    def text(self, field: str, language: str) -> str:
        values = getattr(self, field)
        return values.get(language) or values.get("en", "")

    def label(self, language: str = "en") -> str:
        # The practice's own name for the moment, else the lane registry's: never the key.
        return self.text("name", language) or lanes.label(self.key, language)


# The queue's order (queue_app.selectors.queue_items): urgent, then items the clinical team
# sent back (their instruction is waiting for the assistant), then escalated, then what is due
# next (the promised follow-up once a first response went out), and items waiting on the
# patient last: nothing can be done on them until the patient answers. An index holds exactly these
# expressions, so the queue reads its first page in order instead of sorting every open item.
QUEUE_RANK = Case(
    When(boundary="urgent", then=Value(0)),
    When(status="escalated", then=Value(2)),
    When(status="waiting", then=Value(4)),
    When(sent_back_at__isnull=False, then=Value(1)),
    default=Value(3),
    output_field=models.IntegerField(),
)
QUEUE_DUE = Case(
    When(first_response_at__isnull=True, then=Least("due_at", Coalesce("follow_up_at", "due_at"))),
    default=Coalesce("follow_up_at", "due_at"),
)


def overdue_q(now: datetime) -> Q:
    """Open items past their first-response target with no response yet. An item waiting on
    the patient is left out: its clock is paused, and the queue shows it as waiting."""
    return Q(first_response_at__isnull=True, due_at__lt=now) & ~Q(
        status__in=["waiting", "resolved"]
    )


# Sent back by the clinical team and not yet acted on; waiting or escalated again, it is not.
SENT_BACK = Q(sent_back_at__isnull=False, status__in=["new", "assigned"])


class WorkItemQuerySet(models.QuerySet):
    def open(self) -> "WorkItemQuerySet":
        return self.exclude(status=WorkItem.Status.RESOLVED)


class WorkItem(models.Model):
    class Status(models.TextChoices):
        NEW = "new", "Unassigned"
        ASSIGNED = "assigned", "Assigned"
        WAITING = "waiting", "Waiting on patient"
        ESCALATED = "escalated", "Escalated"
        RESOLVED = "resolved", "Resolved"

    class Channel(models.TextChoices):
        SMS = "sms", "SMS"
        PORTAL = "portal", "Portal"
        EMAIL = "email", "Email"
        VOICEMAIL = "voicemail", "Voicemail"
        CALL = "call", "Phone call"
        MANUAL = "manual", "Staff entry"
        SCHEDULE = "schedule", "Schedule event"
        # Entered by staff from the new-item form (queue_app.services.staff_intake).
        FRONT_DESK = "front_desk", "Phone call (front desk)"
        WALK_IN = "walk_in", "Walk-in"
        FAX = "fax", "Fax"
        HANDOFF = "handoff", "Hand-off"

    class Boundary(models.TextChoices):
        ADMINISTRATIVE = "administrative", "Administrative"
        CLINICAL = "clinical", "Clinical"
        URGENT = "urgent", "Urgent"
        COMPLAINT = "complaint", "Complaint"
        IDENTITY_UNCLEAR = "identity_unclear", "Identity unclear"

    code = models.UUIDField(default=uuid4, unique=True, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="items")
    patient = models.ForeignKey(
        Patient, null=True, blank=True, on_delete=models.PROTECT, related_name="items"
    )
    moment = models.ForeignKey(CommunicationMoment, on_delete=models.PROTECT, related_name="items")
    channel = models.CharField(max_length=10, choices=Channel)
    patient_words = models.TextField(blank=True)
    language = models.CharField(max_length=2, choices=Language, default=Language.ENGLISH)
    status = models.CharField(max_length=10, choices=Status, default=Status.NEW)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_items",
    )
    boundary = models.CharField(max_length=16, choices=Boundary, default=Boundary.ADMINISTRATIVE)
    triage_reasons = models.JSONField(default=list, blank=True)
    # Triage was not sure of the boundary: the panel asks the assistant to confirm it.
    triage_unsure = models.BooleanField(default=False)
    priority = models.SmallIntegerField(default=0, help_text="Higher is more pressing")
    received_at = models.DateTimeField()
    due_at = models.DateTimeField()
    first_response_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    follow_up_at = models.DateTimeField(null=True, blank=True)
    needed_from_patient = models.CharField(max_length=200, blank=True)
    identity_verified_at = models.DateTimeField(null=True, blank=True)
    verified_fields = models.JSONField(default=list, blank=True)
    raised_to_manager_at = models.DateTimeField(null=True, blank=True)
    # When the clinical team last sent the item back with an instruction; cleared once the
    # assistant acts on it (a send, a call, waiting on the patient, a follow-up) or it is
    # escalated again. The queue ranks these first after urgent items (QUEUE_RANK).
    sent_back_at = models.DateTimeField(null=True, blank=True)
    repeat_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="repeats"
    )
    # A duplicate merged into another item (queue_app.services.merging): closed, pointing here.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_items"
    )
    # Optimistic locking: a form posts the version it was rendered with.
    version = models.PositiveIntegerField(default=1)
    updated = models.DateTimeField(auto_now=True)

    objects = WorkItemQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=["assigned", "waiting"]) | Q(owner__isnull=False),
                name="item_worked_has_owner",
            ),
            models.CheckConstraint(
                condition=~Q(status="new") | Q(owner__isnull=True), name="item_new_has_no_owner"
            ),
            models.CheckConstraint(
                condition=Q(status="resolved", resolved_at__isnull=False)
                | ~Q(status="resolved") & Q(resolved_at__isnull=True),
                name="item_resolved_has_time",
            ),
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True) | Q(resolved_at__gte=F("received_at")),
                name="item_resolved_after_received",
            ),
            models.CheckConstraint(
                condition=Q(due_at__gte=F("received_at")), name="item_due_after_received"
            ),
            models.CheckConstraint(
                condition=Q(first_response_at__isnull=True)
                | Q(first_response_at__gte=F("received_at")),
                name="item_response_after_received",
            ),
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True)
                | Q(status="resolved") & ~Q(merged_into=F("pk")),
                name="item_merged_is_resolved",
            ),
        ]
        indexes = [
            # The queue reads only open items: a partial index keeps it flat with history.
            models.Index(
                fields=["practice", "due_at"],
                condition=~Q(status="resolved"),
                name="item_open_due",
            ),
            models.Index(
                fields=["owner", "due_at"], condition=~Q(status="resolved"), name="item_open_owner"
            ),
            models.Index(fields=["patient", "moment", "received_at"], name="item_patient_moment"),
            models.Index(fields=["practice", "received_at"], name="item_practice_received"),
            models.Index(fields=["practice", "resolved_at"], name="item_practice_resolved"),
            # The follow-up question's job reads the last day's resolutions of every practice.
            models.Index(
                fields=["resolved_at"], condition=Q(status="resolved"), name="item_resolved_at"
            ),
            # Open items of one patient: the queue's name search and the panel's context.
            models.Index(
                fields=["patient"], condition=~Q(status="resolved"), name="item_open_patient"
            ),
            models.Index(
                QUEUE_RANK,
                QUEUE_DUE,
                F("id"),
                name="item_queue_order",
                condition=~Q(status="resolved"),
            ),
            # The quick filters' counts read every open item of the user's practices: with
            # every column they test in the index, PostgreSQL counts from the index alone
            # instead of visiting one heap page per open item (92 ms at 40,000 open items).
            # (Key columns, not INCLUDE: SQLite, the embedded default, has no covering indexes.)
            models.Index(
                fields=[
                    "practice",
                    "status",
                    "owner",
                    "due_at",
                    "first_response_at",
                    "sent_back_at",
                    "boundary",
                    "moment",
                    "language",
                    "channel",
                    "id",
                ],
                condition=~Q(status="resolved"),
                name="item_open_counts",
            ),
        ]

    def __str__(self) -> str:
        return f"item {self.code}"

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.RESOLVED

    @property
    def reference(self) -> str:
        """The short code staff see and can type into the search ("7A381661")."""
        return reference(self.code)

    def is_overdue(self, now: datetime) -> bool:
        return self.is_open and self.first_response_at is None and self.due_at < now

    @property
    def is_sent_back(self) -> bool:
        return self.sent_back_at is not None and self.status in (
            self.Status.NEW,
            self.Status.ASSIGNED,
        )

    def age(self, now: datetime) -> timedelta:
        return now - self.received_at

    def identity_verified(self) -> bool:
        return self.identity_verified_at is not None


class ItemLink(models.Model):
    """Two related items of one practice, linked both ways: stored once, lower id first."""

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="+")
    first = models.ForeignKey(WorkItem, on_delete=models.PROTECT, related_name="+")
    second = models.ForeignKey(WorkItem, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="item_link_once"),
            models.CheckConstraint(condition=Q(first__lt=F("second")), name="item_link_ordered"),
        ]
        indexes = [models.Index(fields=["second"], name="item_link_second")]

    def __str__(self) -> str:
        return f"link {self.first_id}-{self.second_id}"


class StaffEntry(models.Model):
    """One submission of the new-item form: its token makes a double submit open one item."""

    token = models.UUIDField(unique=True)
    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="+")
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    # Set in the same transaction that inserts the row; null only while it is being created.
    item = models.OneToOneField(
        WorkItem, null=True, blank=True, on_delete=models.PROTECT, related_name="staff_entry"
    )
    created = models.DateTimeField()

    def __str__(self) -> str:
        return f"staff entry {self.token}"


class ItemEvent(models.Model):
    """Append-only trail of every change to a work item, with a named actor."""

    item = models.ForeignKey(WorkItem, on_delete=models.PROTECT, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    # Workers and webhooks act as a named service ("worker", "twilio-webhook").
    service = models.CharField(max_length=40, blank=True)
    kind = models.CharField(max_length=40)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    created = models.DateTimeField()

    class Meta:
        ordering = ["created", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(actor__isnull=False, service="")
                | Q(actor__isnull=True) & ~Q(service=""),
                name="item_event_named_actor",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} on {self.item_id}"


class Message(models.Model):
    """One inbound or outbound message; outbound rows are the outbox, the record of sends."""

    class Direction(models.TextChoices):
        INBOUND = "in", "Inbound"
        OUTBOUND = "out", "Outbound"

    class Channel(models.TextChoices):
        SMS = "sms", "SMS"
        PORTAL = "portal", "Portal"
        EMAIL = "email", "Email"
        VOICE = "voice", "Voice"

    # The purpose of a message the assistant wrote in their own words: QA reviews its item.
    FREE_TEXT = "free_text"
    # The purpose of a campaign's message (campaigns.sending).
    CAMPAIGN = "campaign"

    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        SCHEDULED = "scheduled", "Scheduled"
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        UNKNOWN = "unknown", "Outcome unknown"
        SENT = "sent", "Sent"
        DELIVERED = "delivered", "Delivered"
        UNDELIVERED = "undelivered", "Undelivered"
        FAILED = "failed", "Failed"
        BLOCKED = "blocked", "Blocked by channel rules"
        CANCELLED = "cancelled", "Cancelled"

    code = models.UUIDField(default=uuid4, unique=True, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="messages")
    item = models.ForeignKey(
        WorkItem, null=True, blank=True, on_delete=models.PROTECT, related_name="messages"
    )
    patient = models.ForeignKey(
        Patient, null=True, blank=True, on_delete=models.PROTECT, related_name="messages"
    )
    direction = models.CharField(max_length=3, choices=Direction)
    channel = models.CharField(max_length=8, choices=Channel)
    body = models.TextField()
    language = models.CharField(max_length=2, choices=Language, default=Language.ENGLISH)
    template = models.ForeignKey(
        "templates_lib.ResponseTemplate",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="messages",
    )
    # Automatic acknowledgements and reminders do not count as a first meaningful response.
    is_automatic = models.BooleanField(default=False)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    to_number = models.CharField(max_length=16, blank=True)
    from_number = models.CharField(max_length=16, blank=True)
    status = models.CharField(max_length=12, choices=Status)
    status_reason = models.CharField(max_length=200, blank=True)
    provider_sid = models.CharField(max_length=64, null=True, blank=True, unique=True)
    error_code = models.CharField(max_length=8, blank=True)
    idempotency_key = models.CharField(max_length=100, unique=True)
    send_after = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # What an automatic message is for (reminder kinds, "opt_out_reply", "help_reply", ...),
    # or how the composer's send was made when it is not an approved template (FREE_TEXT,
    # "holding_script").
    purpose = models.CharField(max_length=24, blank=True)
    # When a worker last claimed it (QUEUED → SENDING): the sweeper's lease starts here.
    claimed_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField()
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(direction="in", status="received")
                | Q(direction="out") & ~Q(status="received"),
                name="message_status_matches_direction",
            ),
            # A patient's number is E.164; a text a patient sent may be to a short code.
            models.CheckConstraint(
                condition=Q(to_number="")
                | Q(to_number__regex=E164_REGEX)
                | Q(direction="in", to_number__regex=SHORT_CODE_REGEX),
                name="message_to_e164",
            ),
        ]
        indexes = [
            models.Index(fields=["item", "created"], name="message_item_created"),
            models.Index(
                fields=["status", "send_after"],
                condition=Q(status__in=["scheduled", "queued", "sending", "unknown"]),
                name="message_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"message {self.code}"


class CallAttempt(models.Model):
    class Outcome(models.TextChoices):
        REACHED = "reached", "Reached"
        NO_ANSWER = "no_answer", "No answer"
        VOICEMAIL = "voicemail", "Voicemail left"
        TEXT_INSTEAD = "text_instead", "Text sent instead"
        WRONG_NUMBER = "wrong_number", "Wrong number"
        SCHEDULED = "scheduled", "Scheduled, not yet made"

    code = models.UUIDField(default=uuid4, unique=True, editable=False)
    item = models.ForeignKey(WorkItem, on_delete=models.PROTECT, related_name="call_attempts")
    number = models.PositiveSmallIntegerField(help_text="1 for the first attempt")
    due_at = models.DateTimeField(null=True, blank=True)
    attempted_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=14, choices=Outcome, default=Outcome.SCHEDULED)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="call_attempt_unique_number"),
            models.CheckConstraint(
                condition=Q(outcome="scheduled") | Q(attempted_at__isnull=False),
                name="call_attempt_made_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"attempt {self.number} on {self.item_id}"


class Promise(models.Model):
    """A time the patient was promised something on an item (the next update, a callback),
    tracked until the assistant acts on the item (kept) or its time passes (broken)."""

    class Kind(models.TextChoices):
        FOLLOW_UP = "follow_up", "Follow-up"
        CALLBACK = "callback", "Callback"

    item = models.ForeignKey(WorkItem, on_delete=models.PROTECT, related_name="promises")
    kind = models.CharField(max_length=10, choices=Kind)
    due_at = models.DateTimeField()
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    made_at = models.DateTimeField()
    kept_at = models.DateTimeField(null=True, blank=True)
    # The item event kind of the action that kept it: response_queued, call_logged, resolved.
    kept_by_action = models.CharField(max_length=32, blank=True)
    broken_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(kept_at__isnull=True) | Q(broken_at__isnull=True),
                name="promise_kept_or_broken",
            ),
            models.CheckConstraint(
                condition=Q(kept_at__isnull=True) | Q(kept_at__lte=F("due_at")),
                name="promise_kept_on_time",
            ),
        ]
        indexes = [
            # The breaking job reads only open promises.
            models.Index(
                fields=["due_at"],
                condition=Q(kept_at__isnull=True, broken_at__isnull=True),
                name="promise_open_due",
            ),
            models.Index(fields=["item", "due_at"], name="promise_item_due"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} promise on {self.item_id}"


class Appointment(models.Model):
    class Kind(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        TELEHEALTH = "telehealth", "Telehealth"

    class Status(models.TextChoices):
        BOOKED = "booked", "Booked"
        CANCELLED = "cancelled", "Cancelled"
        NO_SHOW = "no_show", "No-show"
        COMPLETED = "completed", "Completed"

    class Confirmation(models.TextChoices):
        UNCONFIRMED = "unconfirmed", "Unconfirmed"
        CONFIRMED = "confirmed", "Confirmed"
        RESCHEDULE_REQUESTED = "reschedule", "Asked to reschedule"

    code = models.UUIDField(default=uuid4, unique=True, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="appointments")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="appointments")
    provider_name = models.CharField(max_length=120)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.IN_PERSON)
    telehealth_link = models.URLField(blank=True)
    location = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.BOOKED)
    confirmation = models.CharField(
        max_length=12, choices=Confirmation, default=Confirmation.UNCONFIRMED
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    missing_forms = models.CharField(max_length=200, blank=True)
    external_id = models.CharField(max_length=64, blank=True)
    # The no-show recovery item; one per appointment, so a periodic run twice opens one.
    recovery_item = models.OneToOneField(
        WorkItem,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recovered_appointment",
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="appt_ends_after"),
            models.CheckConstraint(
                condition=~Q(kind="telehealth") | ~Q(telehealth_link="") | ~Q(status="booked"),
                name="appt_telehealth_has_link",
            ),
            models.UniqueConstraint(
                fields=["practice", "external_id"],
                condition=~Q(external_id=""),
                name="appt_unique_external_id",
            ),
        ]
        indexes = [
            models.Index(fields=["practice", "starts_at"], name="appt_practice_start"),
            models.Index(fields=["patient", "starts_at"], name="appt_patient_start"),
        ]

    def __str__(self) -> str:
        return f"appointment {self.code}"


class AuditEvent(models.Model):
    """Who saw or changed which patients' data: ids only, never bodies. Append-only."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    service = models.CharField(max_length=40, blank=True)
    practice = models.ForeignKey(Practice, null=True, blank=True, on_delete=models.PROTECT)
    action = models.CharField(max_length=40)
    route = models.CharField(max_length=120, blank=True)
    object_type = models.CharField(max_length=40, blank=True)
    object_code = models.CharField(max_length=64, blank=True)
    patient_ids = models.JSONField(default=list, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    # Why, where the person had to say (a break-glass reason); never patient data by design.
    detail = models.CharField(max_length=500, blank=True)
    created = models.DateTimeField()

    class Meta:
        ordering = ["-created", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(actor__isnull=False) | ~Q(service=""), name="audit_named_actor"
            )
        ]
        indexes = [models.Index(fields=["practice", "-created"], name="audit_practice_created")]

    def __str__(self) -> str:
        return f"{self.action} by {self.actor_id or self.service}"


class WebhookEvent(models.Model):
    """A Twilio webhook exactly as it arrived, stored before anything acts on it.

    Twilio retries and replays: the unique (kind, sid, status) makes the same request land
    once, so it has one effect however often and however concurrently it is delivered.
    """

    class Kind(models.TextChoices):
        SMS = "sms", "Inbound SMS"
        STATUS = "status", "Delivery status"
        CALL = "call", "Inbound call"
        RECORDING = "recording", "Voicemail recording"
        TRANSCRIPTION = "transcription", "Voicemail transcript"

    kind = models.CharField(max_length=14, choices=Kind)
    sid = models.CharField(max_length=64)
    # The reported status for status callbacks ("" for the others): each status is an event.
    status = models.CharField(max_length=20, blank=True)
    payload = models.JSONField(default=dict)
    path = models.CharField(max_length=200)
    # False only where signature checks are switched off (the embedded demo).
    signature_ok = models.BooleanField(default=True)
    received_at = models.DateTimeField()
    processed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "sid", "status"], name="webhook_event_once")
        ]
        indexes = [
            models.Index(
                fields=["received_at"],
                condition=Q(processed_at__isnull=True),
                name="webhook_event_unprocessed",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.sid} {self.status}".strip()


class Reminder(models.Model):
    """An automatic message due relative to an appointment; one row per (appointment, kind)."""

    class Kind(models.TextChoices):
        CONFIRMATION_REQUEST = "confirmation_request", "Confirmation request"
        REMINDER = "reminder", "Reminder with preparation"
        TELEHEALTH_LINK = "telehealth_link", "Telehealth link and technology check"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        QUEUED = "queued", "Message queued"
        CANCELLED = "cancelled", "Cancelled"
        SKIPPED = "skipped", "Skipped"
        # Its message finally failed: an item asks an assistant to reach the patient.
        FAILED = "failed", "Could not be delivered"

    appointment = models.ForeignKey(Appointment, on_delete=models.PROTECT, related_name="reminders")
    kind = models.CharField(max_length=24, choices=Kind)
    offset_minutes = models.PositiveIntegerField()
    due_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    status_reason = models.CharField(max_length=200, blank=True)
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.PROTECT, related_name="reminders"
    )
    created = models.DateTimeField()
    updated = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["appointment", "kind"], name="reminder_once_per_kind"),
            models.CheckConstraint(
                condition=~Q(status="queued") | Q(message__isnull=False),
                name="reminder_queued_has_message",
            ),
        ]
        indexes = [
            models.Index(
                fields=["due_at"], condition=Q(status="pending"), name="reminder_pending_due"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.appointment_id}"


class DeadLetter(models.Model):
    """Work that kept failing and was set aside for a person, instead of looping forever."""

    class Kind(models.TextChoices):
        MESSAGE = "message", "Outbound message"
        WEBHOOK_EVENT = "webhook_event", "Webhook event"

    kind = models.CharField(max_length=14, choices=Kind)
    object_id = models.BigIntegerField()
    reason = models.CharField(max_length=200)
    attempts = models.PositiveSmallIntegerField(default=0)
    created = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    # The admin who sent it again (or set it aside); empty while it waits for one.
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="dead_letter_once")
        ]

    def __str__(self) -> str:
        return f"dead {self.kind} {self.object_id}"


class BreakGlassGrant(models.Model):
    """A manager's emergency, time-limited, read-only access to another practice's item."""

    code = models.UUIDField(default=uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="break_glass_grants"
    )
    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(WorkItem, on_delete=models.PROTECT, related_name="break_glass_grants")
    reason = models.CharField(max_length=500)
    created = models.DateTimeField()
    expires_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("created")), name="break_glass_expires_after_start"
            )
        ]
        indexes = [models.Index(fields=["user", "item", "-expires_at"], name="break_glass_lookup")]

    def __str__(self) -> str:
        return f"break-glass {self.code}"
