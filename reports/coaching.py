"""The coaching view: one practice-week's figures per assistant, for the practice's managers.

Counts only, each grouped in the database by person (one query per figure, whatever the
number of assistants or items). The week, its populations and the first-response arithmetic
are the scorecard's own (`reports.metrics`, `reports.response_times`), so a figure here is
the scorecard's figure split by person:

- resolved: items resolved in the week, counted for their owner at resolution;
- worked: items whose trail has an event under the person's name in the week (a claim, a
  send, a call, a note saved over the checker, an escalation, a resolution...);
- first response: the week's received items whose first meaningful response (the scorecard's
  definition) the person made, by message or by call: median business minutes and the share
  within the moment's target;
- QA: the week's finished reviews of the person's items, passed and failed, and how often
  each checklist point failed;
- escalations: the ones the person raised in the week (the scorecard's population), judged
  appropriate, judged not, waiting for a verdict;
- notes over the checker: items with a note the person saved over the checker's refusal
  (the scorecard's note_overrides, by author);
- promises: the promises the person made whose time fell in the week (the scorecard's
  promises kept), and how many of them were kept on time.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.contrib.auth.models import User
from django.db.models import Count, Q, QuerySet, Subquery
from guardian.shortcuts import get_users_with_perms

from notes.models import Note, QAReview
from queue_app.access import WORK
from queue_app.models import CommunicationMoment, ItemEvent, Practice
from reports.metrics import (
    Week,
    escalation_base,
    items_of,
    promise_base,
    qa_base,
    received_q,
    week_of,
)
from reports.response_times import (
    PAIR_FIELDS,
    Response,
    first_messages,
    from_pairs,
    pairs_query,
    reached_calls,
    response_summary,
)


@dataclass
class AssistantWeek:
    """One person's figures for the week."""

    user_id: int
    name: str = ""
    resolved: int = 0
    worked: int = 0
    first_response: dict = field(default_factory=lambda: response_summary([]))
    qa_passed: int = 0
    qa_failed: int = 0
    failed_checks: list[tuple[str, int]] = field(default_factory=list)
    escalations_appropriate: int = 0
    escalations_not_appropriate: int = 0
    escalations_unjudged: int = 0
    note_overrides: int = 0
    promises_due: int = 0
    promises_kept: int = 0


def coaching_week(*, practice: Practice, week: date, now: datetime) -> list[AssistantWeek]:
    """Every person who works the practice's queue, or who shows in a figure, with their week."""
    w = week_of(practice=practice, week=week, now=now)
    rows: dict[int, AssistantWeek] = {}

    def row(user_id: int) -> AssistantWeek:
        return rows.setdefault(user_id, AssistantWeek(user_id))

    for user_id, count in _resolved(w):
        row(user_id).resolved = count
    for user_id, answered in _first_responses(w).items():
        row(user_id).first_response = response_summary(answered)
    for review in _qa(w):
        found = row(review["assistant"])
        found.qa_passed = review["qa_passed"]
        found.qa_failed = review["qa_failed"]
        found.failed_checks = [
            (label, review[f"failed_{name}"])
            for name, label in QAReview.CHECKS
            if review[f"failed_{name}"]
        ]
    for user_id, good, bad, unjudged in _escalations(w):
        found = row(user_id)
        found.escalations_appropriate = good
        found.escalations_not_appropriate = bad
        found.escalations_unjudged = unjudged
    for user_id, count in _note_overrides(w):
        row(user_id).note_overrides = count
    for user_id, due, kept in _promises(w):
        found = row(user_id)
        found.promises_due, found.promises_kept = due, kept
    # People who only touched items (a clinician's acknowledgement, a manager's reassignment)
    # are not coached here; the practice's assistants are listed even in a quiet week.
    workers = get_users_with_perms(
        practice, only_with_perms_in=[WORK], with_superusers=False, with_group_users=True
    )
    for user_id in workers.filter(is_active=True).values_list("pk", flat=True):
        row(user_id)
    for user_id, count in _worked(w, list(rows)):
        row(user_id).worked = count
    for user in User.objects.filter(pk__in=list(rows)).only("username", "first_name", "last_name"):
        rows[user.pk].name = user.get_full_name() or user.username
    return sorted(rows.values(), key=lambda r: (r.name.casefold(), r.user_id))


def _resolved(w: Week) -> QuerySet:
    """Items resolved in the week, by owner (the owner stays on a resolved item)."""
    return (
        items_of(w)
        .filter(resolved_at__gte=w.start, resolved_at__lt=w.end, owner__isnull=False)
        .values("owner")
        .annotate(n=Count("pk"))
        .values_list("owner", "n")
        .order_by()
    )


def _worked(w: Week, user_ids: list[int]) -> QuerySet:
    return (
        ItemEvent.objects.filter(
            item__practice=w.practice,
            actor__in=user_ids,
            created__gte=w.start,
            created__lt=w.end,
        )
        .values("actor")
        .annotate(n=Count("item", distinct=True))
        .values_list("actor", "n")
        .order_by()
    )


def _first_responses(w: Week) -> dict[int, list[Response]]:
    """The scorecard's answered first responses of the week's items, by who made each one.

    One query: the scorecard's (received, first message, first call) pairs, with the person
    behind the first message and the person behind the first reached call beside them.
    """
    message_by = first_messages(now=w.now).order_by("at", "pk").values("sent_by")[:1]
    call_by = reached_calls(now=w.now).order_by("attempted_at", "pk").values("by")[:1]
    items = (
        items_of(w)
        .filter(received_q(w))
        .annotate(message_by=Subquery(message_by), call_by=Subquery(call_by))
    )
    rows = list(pairs_query(items, now=w.now, extra=("message_by", "call_by")))
    width = len(PAIR_FIELDS)
    responses = from_pairs(
        (row[:width] for row in rows), hours=w.hours, now=w.now, moments=_moments(w)
    )
    answered: dict[int, list[Response]] = {}
    for row, response in zip(rows, responses, strict=True):
        _, _, message_at, call_at, *_, sender, caller = row
        by_message = message_at is not None and (call_at is None or message_at <= call_at)
        person = sender if by_message else caller
        if response.minutes is not None and person is not None:
            answered.setdefault(person, []).append(response)
    return answered


def _moments(w: Week) -> dict[int, tuple[str, int]]:
    moments = CommunicationMoment.objects.filter(practice=w.practice)
    return {
        pk: (key, target)
        for pk, key, target in moments.values_list("pk", "key", "first_response_minutes")
    }


def _qa(w: Week) -> QuerySet:
    """The week's finished reviews by assistant: passed, failed, and each check failed."""
    failed_checks = {
        f"failed_{name}": Count("pk", filter=Q(**{f"checks__{name}": False}))
        for name, _ in QAReview.CHECKS
    }
    return (
        qa_base(w)
        .values("assistant")
        .annotate(
            qa_passed=Count("pk", filter=Q(passed=True)),
            qa_failed=Count("pk", filter=Q(passed=False)),
            **failed_checks,
        )
        .order_by()
    )


def _escalations(w: Week) -> QuerySet:
    """Escalations the person raised in the week (the scorecard's population), by verdict."""
    return (
        escalation_base(w)
        .filter(created_by__isnull=False)
        .values("created_by")
        .annotate(
            good=Count("pk", filter=Q(judged_appropriate=True)),
            bad=Count("pk", filter=Q(judged_appropriate=False)),
            unjudged=Count("pk", filter=Q(judged_appropriate__isnull=True)),
        )
        .values_list("created_by", "good", "bad", "unjudged")
        .order_by()
    )


def _note_overrides(w: Week) -> QuerySet:
    """Items with a note the person saved over the checker in the week: the condition of
    `metrics.overridden_note_items`, counted by author."""
    return (
        Note.objects.filter(
            practice=w.practice,
            created__gte=w.start,
            created__lt=w.end,
        )
        .exclude(override_reason="")
        .values("author")
        .annotate(n=Count("item", distinct=True))
        .values_list("author", "n")
        .order_by()
    )


def _promises(w: Week) -> QuerySet:
    """The week's promises (`metrics.promise_base`), by the person who made them."""
    return (
        promise_base(w)
        .exclude(made_by=None)
        .values("made_by")
        .annotate(due=Count("pk"), kept=Count("pk", filter=Q(kept_at__isnull=False)))
        .values_list("made_by", "due", "kept")
        .order_by()
    )
