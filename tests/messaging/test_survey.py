"""The follow-up question after a resolved item: who is asked, when, and what an answer does."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from messaging import delivery, survey
from messaging.models import Survey
from queue_app.models import Consent, ItemEvent, Message, WorkItem
from templates_lib.lint import lint_template
from templates_lib.models import ResponseTemplate
from tests import factories
from tests.concurrency import at_once
from tests.jobs import queued_tasks
from tests.messaging.helpers import NOON, outbound, receive_sms

ASKED_AT = NOON + survey.ASK_DELAY


def resolved_item(patient, *, at=NOON, sent="delivered", key="reschedule", **overrides):
    """An item resolved at `at`, with one approved-template message to the patient (unless
    `sent` is None) in the state `sent`."""
    item = factories.make_item(
        patient.practice,
        patient=patient,
        key=key,
        received_at=at - timedelta(hours=2),
        status=WorkItem.Status.RESOLVED,
        resolved_at=at,
        **overrides,
    )
    if sent:
        template = ResponseTemplate.objects.filter(
            moment=item.moment, language=item.language, channel="sms", status="approved"
        ).first()
        outbound(item, now=at, status=sent, template=template, created=at - timedelta(hours=1))
    return item


def ask(now=ASKED_AT) -> int:
    return survey.ask_due_surveys(now=now)


def question_went(item, at=ASKED_AT) -> Survey:
    """Ask about `item` and mark the question as sent by Twilio at `at`."""
    assert ask(at) == 1
    found = Survey.objects.get(item=item)
    Message.objects.filter(pk=found.question_id).update(status="sent", claimed_at=at)
    return found


# ---------------------------------------------------------------------------- who is asked


def test_the_patient_is_asked_once_a_short_while_after_the_resolution(
    db, practice_a, patient, django_capture_on_commit_callbacks
):
    item = resolved_item(patient)
    assert ask(NOON + timedelta(minutes=10)) == 0  # too soon after the closing message

    with django_capture_on_commit_callbacks(execute=False) as queued:
        assert ask() == 1
    assert ask(ASKED_AT + timedelta(minutes=5)) == 0  # a second run finds it decided

    found = Survey.objects.get(item=item)
    question = found.question
    assert found.status == "asked" and found.patient == patient
    assert question.status == "queued" and question.purpose == "survey"
    assert question.is_automatic and question.to_number == patient.phone
    assert question.body.startswith(f"{practice_a.name}: Did you know what to do next?")
    assert "Reply YES or NO" in question.body
    # The version of the template the patient got is what the answer is counted against.
    assert found.template == item.messages.exclude(pk=question.pk).get().template
    assert found.template is not None
    assert ItemEvent.objects.filter(item=item, kind="survey_queued").exists()
    assert len(queued_tasks(queued)) == 1  # its delivery, after the commit


def test_a_spanish_speaking_patient_is_asked_in_spanish(db, practice_a):
    patient = factories.make_patient(practice_a, preferred_language="es")
    item = resolved_item(patient)
    ask()
    body = Survey.objects.get(item=item).question.body
    assert "¿Supo qué hacer" in body and "Responda SÍ o NO" in body


def test_a_patient_is_asked_at_most_once_in_the_practices_interval(db, practice_a, patient):
    practice_a.survey_interval_days = 10
    practice_a.save(update_fields=["survey_interval_days"])
    first = resolved_item(patient)
    second = resolved_item(patient, at=NOON + timedelta(days=9), key="cancel")
    third = resolved_item(patient, at=NOON + timedelta(days=11), key="billing_question")

    assert ask() == 1
    assert ask(NOON + timedelta(days=9) + survey.ASK_DELAY) == 0
    assert ask(NOON + timedelta(days=11) + survey.ASK_DELAY) == 1

    assert Survey.objects.get(item=first).status == "asked"
    skipped = Survey.objects.get(item=second)
    assert skipped.status == "skipped" and skipped.question is None
    assert skipped.skip_reason == "The patient was asked within the last 10 days."
    assert Survey.objects.get(item=third).status == "asked"
    assert Message.objects.filter(purpose="survey").count() == 2


def test_a_question_that_never_went_does_not_count_as_asked(db, practice_a, patient):
    first = resolved_item(patient)
    ask()
    Message.objects.filter(survey_asked__item=first).update(status="blocked")
    later = resolved_item(patient, at=NOON + timedelta(days=2), key="cancel")
    assert ask(NOON + timedelta(days=2) + survey.ASK_DELAY) == 1
    assert Survey.objects.get(item=later).status == "asked"


def test_two_items_resolved_together_bring_one_question(db, practice_a, patient):
    resolved_item(patient)
    resolved_item(patient, key="cancel")
    assert ask() == 1
    assert Message.objects.filter(purpose="survey").count() == 1


def test_no_question_without_sms_consent(db, practice_a, patient):
    Consent.objects.create(
        patient=patient, channel="sms", granted=False, source="front desk",
        recorded_at=timezone.now(),
    )  # fmt: skip
    item = resolved_item(patient)
    assert ask() == 0
    skipped = Survey.objects.get(item=item)
    assert skipped.skip_reason == "No SMS consent is on record for the patient."
    assert not Message.objects.filter(purpose="survey").exists()


def test_no_question_to_a_patient_who_opted_out(db, practice_a, patient):
    item = resolved_item(patient)
    receive_sms(practice_a, patient.phone, "STOP", now=NOON + timedelta(minutes=5))
    assert ask() == 0
    assert Survey.objects.get(item=item).skip_reason == "The patient opted out of texts (STOP)."
    assert not Message.objects.filter(purpose="survey").exists()


@pytest.mark.parametrize("sent", [None, "blocked", "failed", "cancelled"])
def test_no_question_about_an_item_closed_without_a_message_to_the_patient(
    db, practice_a, patient, sent
):
    item = resolved_item(patient, sent=sent)
    assert ask() == 0
    skipped = Survey.objects.get(item=item)
    assert skipped.skip_reason == "No message went to the patient on this item."


def test_the_question_waits_for_a_closing_message_held_for_quiet_hours(db, practice_a, patient):
    item = resolved_item(patient, sent="scheduled")
    assert ask() == 0
    assert not Survey.objects.filter(item=item).exists()  # undecided, not skipped
    item.messages.update(status="delivered")
    assert ask(ASKED_AT + timedelta(hours=10)) == 1


def test_no_question_about_an_open_item_or_one_without_a_patient(db, practice_a, patient):
    open_item = factories.make_item(practice_a, patient=patient, received_at=NOON)
    outbound(open_item, status="delivered")
    anonymous = factories.make_item(
        practice_a, received_at=NOON - timedelta(hours=1), status="resolved", resolved_at=NOON
    )
    assert ask() == 0
    assert not Survey.objects.filter(item__in=[open_item, anonymous]).exists()


def test_no_question_about_a_duplicate_merged_into_another_item(db, practice_a, patient):
    survivor = factories.make_item(practice_a, patient=patient, received_at=NOON)
    duplicate = resolved_item(patient, merged_into=survivor)
    assert ask() == 0
    assert not Survey.objects.filter(item=duplicate).exists()


def test_a_question_due_in_quiet_hours_waits_for_the_morning(db, practice_a, patient):
    evening = datetime(2026, 3, 5, 0, 45, tzinfo=UTC)  # 19:45 in New York
    item = resolved_item(patient, at=evening)
    assert ask(evening + survey.ASK_DELAY) == 1
    question = Survey.objects.get(item=item).question
    assert question.status == "scheduled"
    assert question.send_after == datetime(2026, 3, 5, 13, 0, tzinfo=UTC)  # 08:00 there


def test_the_question_counts_against_the_patients_limit_of_automated_messages(
    db, fake_twilio, practice_a, patient
):
    practice_a.automated_daily_limit = 1
    practice_a.save(update_fields=["automated_daily_limit"])
    item = resolved_item(patient)
    outbound(item, is_automatic=True, purpose="reminder", status="delivered",
             claimed_at=NOON - timedelta(hours=1))  # fmt: skip
    ask()
    question = Survey.objects.get(item=item).question

    assert delivery.deliver_message(message_id=question.pk, now=ASKED_AT) == "over-limit"
    question.refresh_from_db()
    # A slot opens only the next day, past the question's window: it is not sent at all.
    assert question.status == "blocked"
    assert "limit of automated messages" in question.status_reason
    assert fake_twilio.total_posts() == 0


def test_a_question_that_cannot_be_delivered_opens_no_item(db, fake_twilio, practice_a, patient):
    item = resolved_item(patient)
    ask()
    question = Survey.objects.get(item=item).question
    fake_twilio.script[str(question.code)] = ["21211"]  # an invalid number: refused for good
    items_before = WorkItem.objects.count()
    delivery.deliver_message(message_id=question.pk, now=ASKED_AT)
    question.refresh_from_db()
    assert question.status == "failed"
    assert WorkItem.objects.count() == items_before


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_wording_passes_the_playbooks_lint(language):
    body = survey.QUESTION[language].format(practice="Alpha Family Medicine")
    assert lint_template(body, language=language, channel="sms", purpose="follow_up") == []


# ---------------------------------------------------------------------------- the parser


@pytest.mark.parametrize(
    "body",
    ["yes", "YES", "Yes!", "y", "Y.", "sí", "Sí", "SI", "si!!", "yeah", "Yep", "👍", "👍🏽",
     "yes 👍", " yes thanks ", "Sí, gracias"],
)  # fmt: skip
def test_the_parser_reads_yes(body):
    assert survey.parse_answer(body) == "yes"


@pytest.mark.parametrize(
    "body", ["no", "NO", "No.", "n", "N!", "nope", "Not really", "👎", "no 👎", "la verdad no"]
)
def test_the_parser_reads_no(body):
    assert survey.parse_answer(body) == "no"


@pytest.mark.parametrize(
    "body",
    ["", "   ", "no, I have chest pain now", "yes but when is my appointment?", "yes 👎",
     "👍👎", "no sé", "maybe", "STOP", "not yet", "yes no", "I don't know"],
)  # fmt: skip
def test_the_parser_leaves_anything_else_to_a_person(body):
    assert survey.parse_answer(body) is None


# ---------------------------------------------------------------------------- the answers


def test_a_yes_is_recorded_against_the_survey_and_opens_nothing(db, practice_a, patient):
    item = resolved_item(patient)
    asked = question_went(item)
    items_before = WorkItem.objects.count()

    receive_sms(practice_a, patient.phone, "Yes!", now=ASKED_AT + timedelta(hours=2))

    asked.refresh_from_db()
    assert asked.answer == "yes" and asked.answered_at == ASKED_AT + timedelta(hours=2)
    assert asked.reply.body == "Yes!" and asked.reply.item == item
    assert WorkItem.objects.count() == items_before
    item.refresh_from_db()
    assert item.status == "resolved"
    assert ItemEvent.objects.filter(item=item, kind="survey_answered").get().after["answer"] == (
        "yes"
    )


def test_a_no_opens_an_item_in_the_resolved_items_lane(db, practice_a, patient):
    item = resolved_item(patient, key="referral_status")
    asked = question_went(item)

    receive_sms(practice_a, patient.phone, "no.", now=ASKED_AT + timedelta(hours=1))

    asked.refresh_from_db()
    follow_up = asked.follow_up
    assert asked.answer == "no" and follow_up is not None
    assert follow_up.moment.key == "referral_status" and follow_up.status == "new"
    assert follow_up.boundary == "administrative"
    assert survey.NO_REASON in follow_up.triage_reasons
    assert follow_up.patient_words.startswith(survey.NO_REASON)
    assert asked.reply.item == item  # under the question it answers
    event = follow_up.events.get(kind="survey_answered_no")
    assert event.after["resolved_item"] == str(item.code)
    # Answered once: a second "no" is an ordinary message on the open item.
    receive_sms(practice_a, patient.phone, "no", now=ASKED_AT + timedelta(hours=2))
    assert Survey.objects.get(pk=asked.pk).reply == asked.reply
    assert WorkItem.objects.filter(patient=patient, status="new").count() == 1


def test_an_emergency_beside_a_no_goes_to_triage_not_to_the_survey(db, practice_a, patient):
    item = resolved_item(patient)
    asked = question_went(item)

    receive_sms(practice_a, patient.phone, "no, I have chest pain now",
                now=ASKED_AT + timedelta(minutes=20))  # fmt: skip

    asked.refresh_from_db()
    assert asked.answer == ""
    opened = WorkItem.objects.filter(patient=patient).exclude(pk=item.pk).get()
    assert opened.boundary == "urgent"
    assert opened.status == "escalated"


def test_other_words_go_down_the_normal_path(db, practice_a, patient):
    item = resolved_item(patient)
    asked = question_went(item)

    receive_sms(practice_a, patient.phone, "Which form do I bring to the visit?",
                now=ASKED_AT + timedelta(minutes=20))  # fmt: skip

    asked.refresh_from_db()
    assert asked.answer == ""
    reply = Message.objects.get(direction="in", body__startswith="Which form")
    assert reply.item is not None and reply.item != item
    assert reply.item.patient_words == "Which form do I bring to the visit?"


def test_stop_after_the_question_still_opts_out(db, practice_a, patient):
    item = resolved_item(patient)
    asked = question_went(item)
    receive_sms(practice_a, patient.phone, "STOP", now=ASKED_AT + timedelta(minutes=20))
    patient.refresh_from_db()
    asked.refresh_from_db()
    assert patient.opted_out_at is not None and asked.answer == ""
    assert Message.objects.filter(purpose="opt_out_reply").count() == 1


def test_a_yes_after_the_answer_window_is_an_ordinary_message(db, practice_a, patient):
    item = resolved_item(patient)
    asked = question_went(item)
    late = ASKED_AT + survey.ANSWER_WINDOW + timedelta(minutes=1)

    receive_sms(practice_a, patient.phone, "yes", now=late)

    asked.refresh_from_db()
    assert asked.answer == ""
    assert Message.objects.get(direction="in", body="yes").item.status == "new"


def test_a_question_not_sent_yet_takes_no_answer(db, practice_a, patient):
    item = resolved_item(patient)
    assert ask() == 1  # queued, not yet sent
    receive_sms(practice_a, patient.phone, "no", now=ASKED_AT + timedelta(minutes=1))
    assert Survey.objects.get(item=item).answer == ""


def test_the_item_a_no_opened_tells_the_assistant_why(client, practice_a, patient, assistant):
    asked = question_went(resolved_item(patient))
    receive_sms(practice_a, patient.phone, "n", now=ASKED_AT + timedelta(hours=1))
    follow_up = Survey.objects.get(pk=asked.pk).follow_up

    client.force_login(assistant)
    page = client.get(reverse("queue:item", args=[follow_up.code]))
    assert page.status_code == 200
    assert "The patient answered NO to “Did you know what to do next?”" in page.text
    assert "Repeat contact within 7 days" in page.text


@pytest.mark.django_db(transaction=True)
def test_two_beats_at_once_ask_each_patient_once():
    practice = factories.make_practice()
    patients = [factories.make_patient(practice, phone=f"+1202558{n:04d}") for n in range(3)]
    for patient in patients:
        resolved_item(patient)
        resolved_item(patient, key="cancel")
    asked = at_once(ask, ask)

    assert sum(asked) == 3
    assert Survey.objects.count() == 6  # every item decided once
    questions = Message.objects.filter(purpose="survey")
    assert sorted(questions.values_list("patient_id", flat=True)) == sorted(p.pk for p in patients)
