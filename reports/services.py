"""Scorecard snapshots, their weekly delivery, and the quality loop's decisions."""

import logging
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Case, Count, F, OuterRef, Q, QuerySet, Subquery, When
from django.urls import reverse
from guardian.shortcuts import get_users_with_perms

from notes.models import QAReview
from queue_app.access import MANAGE
from queue_app.clock import zone
from queue_app.models import CommunicationMoment, Practice
from reports import metrics, weeks
from reports.models import QualityDecision, WeeklyScorecard
from templates_lib.models import ResponseTemplate

log = logging.getLogger(__name__)

TREND_WEEKS = 8
# Beat may run hourly; a practice's snapshot is built at the first run after this local time
# on Monday (or later in the week, if the workers were down on Monday).
DELIVERY_TIME = time(6, 0)


class ScorecardError(Exception):
    """A scorecard build or decision refused; the message says why."""


def current_snapshot(*, practice: Practice, week: date) -> WeeklyScorecard | None:
    return WeeklyScorecard.objects.filter(
        practice=practice,
        week=week,
        definitions_version=metrics.DEFINITIONS_VERSION,
        superseded_at__isnull=True,
    ).first()


def snapshot_data(*, practice: Practice, week: date, now: datetime) -> dict:
    """The whole practice's numbers plus each language's, so a filtered page reads the same."""
    data = {"all": metrics.compute_scorecard(practice=practice, week=week, now=now)}
    data["by_language"] = {
        language: metrics.compute_scorecard(
            practice=practice, week=week, language=language, now=now
        )
        for language in practice.languages
    }
    return data


@transaction.atomic
def build_weekly_scorecard(
    *,
    practice: Practice,
    week: date,
    now: datetime,
    service: str = "beat",
    actor: User | None = None,
) -> tuple[WeeklyScorecard, bool]:
    """Store a finished week's snapshot once; a second run returns the first (unique row)."""
    w = weeks.week_of(practice=practice, week=week, now=now)
    if not w.complete:
        raise ScorecardError(f"The week of {week} is not over yet in {practice.timezone}.")
    existing = current_snapshot(practice=practice, week=week)
    if existing is not None:
        return existing, False
    data = snapshot_data(practice=practice, week=week, now=now)
    try:
        with transaction.atomic():
            scorecard = WeeklyScorecard.objects.create(
                practice=practice,
                week=week,
                definitions_version=metrics.DEFINITIONS_VERSION,
                data=data,
                built_at=now,
                built_by=actor,
                service="" if actor else service,
            )
    except IntegrityError:
        # Another worker built it between the check and the insert: theirs stands.
        return current_snapshot(practice=practice, week=week), False
    log.info("scorecard built practice=%s week=%s id=%s", practice.pk, week, scorecard.pk)
    return scorecard, True


@transaction.atomic
def rebuild_weekly_scorecard(
    *,
    scorecard: WeeklyScorecard,
    reason: str,
    now: datetime,
    actor: User | None = None,
    service: str = "",
) -> WeeklyScorecard:
    """Replace a snapshot explicitly: the old row stays, superseded; the new one points to it."""
    if not reason.strip():
        raise ScorecardError("Say why this week is rebuilt; the reason is kept with it.")
    superseded = WeeklyScorecard.objects.filter(pk=scorecard.pk, superseded_at__isnull=True).update(
        superseded_at=now
    )
    if superseded == 0:
        raise ScorecardError("This snapshot was already replaced by a rebuild.")
    if scorecard.definitions_version != metrics.DEFINITIONS_VERSION and current_snapshot(
        practice=scorecard.practice, week=scorecard.week
    ):
        raise ScorecardError("A snapshot with the current definitions exists; rebuild that one.")
    rebuilt = WeeklyScorecard.objects.create(
        practice=scorecard.practice,
        week=scorecard.week,
        definitions_version=metrics.DEFINITIONS_VERSION,
        data=snapshot_data(practice=scorecard.practice, week=scorecard.week, now=now),
        built_at=now,
        built_by=actor,
        service="" if actor else (service or "command"),
        rebuilt_from=scorecard,
        rebuild_reason=reason.strip()[:200],
    )
    log.info("scorecard rebuilt id=%s from=%s", rebuilt.pk, scorecard.pk)
    return rebuilt


def scorecard_for(
    *, practice: Practice, week: date, now: datetime, language: str | None = None
) -> tuple[dict, WeeklyScorecard | None]:
    """What the page, the CSV and the command show: the stored snapshot, else computed live."""
    found = (
        WeeklyScorecard.objects.filter(
            practice=practice,
            week=week,
            definitions_version=metrics.DEFINITIONS_VERSION,
            superseded_at__isnull=True,
        )
        .defer("data")
        .annotate(part=F(_part(language)))
        .first()
    )
    if found is not None and found.part is not None:
        return found.part, found
    live = metrics.compute_scorecard(practice=practice, week=week, language=language, now=now)
    return live, None


def _part(language: str | None) -> str:
    """The snapshot's JSON path to one language's numbers (or all), read in the database:
    a stored week holds every language, and decoding all of it was most of the page's time."""
    return f"data__by_language__{language}" if language else "data__all"


def trend(
    *, practice: Practice, week: date, now: datetime, language: str | None = None
) -> list[dict]:
    """The previous weeks' scorecards, oldest first: snapshots where stored, else live."""
    weeks = [week - timedelta(weeks=n) for n in range(TREND_WEEKS, 0, -1)]
    stored = dict(
        WeeklyScorecard.objects.filter(
            practice=practice,
            week__in=weeks,
            definitions_version=metrics.DEFINITIONS_VERSION,
            superseded_at__isnull=True,
        ).values_list("week", _part(language))
    )
    found = []
    for monday in weeks:
        data = stored.get(monday)
        if data is None:
            data = metrics.compute_scorecard(
                practice=practice, week=monday, language=language, now=now
            )
        found.append(data)
    return found


def build_last_week_scorecards(*, now: datetime) -> list[int]:
    """Each practice's last finished week, once its Monday morning has come; ids to email.

    Earlier weeks of the trend that have no snapshot yet (a new install, a worker that was
    down) are stored too, without an email, so the page reads its trend from snapshots.
    """
    to_email = []
    for practice in Practice.objects.order_by("pk"):
        local = now.astimezone(zone(practice.timezone))
        if local.weekday() == 0 and local.time() < DELIVERY_TIME:
            continue
        scorecard, created = store_finished_weeks(practice=practice, now=now)
        if created or scorecard.emailed_at is None:
            to_email.append(scorecard.pk)
    return to_email


def store_finished_weeks(*, practice: Practice, now: datetime) -> tuple[WeeklyScorecard, bool]:
    """Store the practice's last finished week and any trend week before it still missing."""
    local = now.astimezone(zone(practice.timezone))
    last_week = local.date() - timedelta(days=local.weekday(), weeks=1)
    scorecard, created = build_weekly_scorecard(practice=practice, week=last_week, now=now)
    stored = set(
        WeeklyScorecard.objects.filter(
            practice=practice,
            week__gte=last_week - timedelta(weeks=TREND_WEEKS),
            definitions_version=metrics.DEFINITIONS_VERSION,
            superseded_at__isnull=True,
        ).values_list("week", flat=True)
    )
    for back in range(1, TREND_WEEKS + 1):
        if (earlier := last_week - timedelta(weeks=back)) not in stored:
            build_weekly_scorecard(practice=practice, week=earlier, now=now)
    return scorecard, created


def scorecard_url(scorecard: WeeklyScorecard) -> str:
    path = reverse(
        "reports:scorecard",
        kwargs={"slug": scorecard.practice.slug, "week": weeks.iso_week(scorecard.week)},
    )
    return f"{settings.BASE_URL}{path}"


def summary_text(scorecard: WeeklyScorecard) -> str:
    """The email: numbers and a link only, never a patient's detail."""
    m = scorecard.data["all"]["metrics"]
    first = m["first_response"]
    lines = [
        f"Weekly scorecard for {scorecard.practice.name}, week {weeks.iso_week(scorecard.week)}"
        f" (definitions {scorecard.definitions_version}).",
        "",
        f"Received: {m['received']['value']}   Completed: {m['resolved']['value']}   "
        f"Escalated: {m['escalated']['value']}   Unresolved at week's end: "
        f"{m['open_at_end']['value']} ({m['open_older']['value']} older than two business days)",
        f"Time to first meaningful response: median {_minutes(first['median_minutes'])}, "
        f"90th percentile {_minutes(first['p90_minutes'])}, "
        f"within target {_percent(first['share_within_target'])}",
    ]
    for row in first["by_language"]:
        lines.append(
            f"  {row['label']}: median {_minutes(row['median_minutes'])}, "
            f"90th percentile {_minutes(row['p90_minutes'])}, "
            f"within target {_percent(row['share_within_target'])}"
        )
    lines += [
        f"Repeat contacts: {m['repeat_contacts']['value']} "
        f"({_percent(m['repeat_contacts']['rate'])} of inbound items)",
        f"Complaints: {m['complaints']['value']}",
        "",
        f"Open the scorecard: {scorecard_url(scorecard)}",
    ]
    return "\n".join(lines)


def _minutes(value: float | None) -> str:
    return "n/a" if value is None else f"{value:g} business min"


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value * 100:.0f}%"


def managers_of(practice: Practice) -> QuerySet[User]:
    users = get_users_with_perms(
        practice, only_with_perms_in=[MANAGE], with_superusers=False, with_group_users=True
    )
    return users.filter(is_active=True).exclude(email="").order_by("pk")


def send_scorecard_summary(*, scorecard: WeeklyScorecard, now: datetime) -> int:
    """Email the practice's managers once (claimed by a conditional update); recipients sent."""
    claimed = WeeklyScorecard.objects.filter(pk=scorecard.pk, emailed_at__isnull=True).update(
        emailed_at=now
    )
    if claimed == 0:
        return 0
    recipients = list(managers_of(scorecard.practice).values_list("email", flat=True))
    if not recipients:
        return 0
    subject = f"Scorecard {weeks.iso_week(scorecard.week)}: {scorecard.practice.name}"
    send_mail(subject, summary_text(scorecard), None, recipients)
    log.info("scorecard emailed id=%s recipients=%s", scorecard.pk, len(recipients))
    return len(recipients)


# --------------------------------------------------------------------------------------
# The quality loop
# --------------------------------------------------------------------------------------


def record_quality_decision(
    *,
    practice: Practice,
    week: date,
    text: str,
    moment: CommunicationMoment,
    template: ResponseTemplate | None,
    actor: User,
    now: datetime,
) -> QualityDecision:
    """A decision tied to one playbook item of this practice (a moment or a template version)."""
    if not text.strip():
        raise ScorecardError("Write the decision, e.g. “revise the intake reminder”.")
    if moment.practice_id != practice.pk:
        raise ScorecardError("That moment belongs to another practice.")
    if template is not None and template.moment_id != moment.pk:
        raise ScorecardError("That template belongs to another moment.")
    return QualityDecision.objects.create(
        practice=practice,
        week=week,
        text=text.strip()[:300],
        moment=moment,
        template=template,
        decided_by=actor,
        created=now,
    )


def decisions_with_status(*, practice: Practice, week: date) -> QuerySet[QualityDecision]:
    """The week's decisions, each with `done_at`: when a newer playbook version was approved."""
    newer_version = ResponseTemplate.objects.filter(
        moment=OuterRef("template__moment"),
        language=OuterRef("template__language"),
        channel=OuterRef("template__channel"),
        purpose=OuterRef("template__purpose"),
        version__gt=OuterRef("template__version"),
        approved_at__gt=OuterRef("created"),
    )
    moment_template = ResponseTemplate.objects.filter(
        moment=OuterRef("moment"), approved_at__gt=OuterRef("created")
    )
    first = ("approved_at", "pk")
    return (
        QualityDecision.objects.filter(practice=practice, week=week)
        .select_related("moment", "template", "decided_by")
        .annotate(
            done_at=Case(
                When(
                    template__isnull=True,
                    then=Subquery(moment_template.order_by(*first).values("approved_at")[:1]),
                ),
                default=Subquery(newer_version.order_by(*first).values("approved_at")[:1]),
            )
        )
    )


def documentation_issues(*, practice: Practice, week: date) -> list[dict]:
    """How many of the week's failed QA reviews failed each check, counted in the database."""
    reviews = QAReview.objects.filter(
        practice=practice, week=week, status=QAReview.Status.DONE, passed=False
    )
    counts = reviews.aggregate(
        failed=Count("pk"),
        missed_escalation=Count("pk", filter=Q(missed_escalation=True)),
        **{key: Count("pk", filter=Q(**{f"checks__{key}": False})) for key, _ in QAReview.CHECKS},
    )
    rows = [
        {"key": key, "label": label, "value": counts[key]}
        for key, label in QAReview.CHECKS
        if counts[key]
    ]
    rows.sort(key=lambda row: -row["value"])
    return [{"key": "failed", "label": "Reviews failed", "value": counts["failed"]}, *rows]
