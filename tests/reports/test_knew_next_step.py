"""The scorecard's "Knew what to do next": a hand-built week with two versions of one template,
asked and answered through the real question job and the real inbound path."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from messaging import survey
from messaging.models import Survey
from queue_app.models import Message, Role
from reports.drilldown import drilldown
from reports.exports import scorecard_rows
from reports.metrics import compute_scorecard
from templates_lib.models import ResponseTemplate
from tests import factories
from tests.messaging.helpers import receive_sms
from tests.reports.conftest import WEEK, day, item, local, send, template

NOW = local(day(7), "12:00")  # the next Monday: the week is complete


def two_versions(practice):
    """The reschedule SMS first response as approved at install (v1), and a new wording (v2)."""
    v1 = template(practice, "reschedule", "en")
    retired_at = local(day(0), "07:00")
    ResponseTemplate.objects.filter(pk=v1.pk).update(status="retired", retired_at=retired_at)
    v2 = ResponseTemplate.objects.create(
        practice=practice, moment=v1.moment, language="en", channel="sms", purpose=v1.purpose,
        version=v1.version + 1, body=v1.body + " Reply here with any question.",
        status="approved", approved_at=local(day(0), "07:00"), created=local(day(0), "06:00"),
    )  # fmt: skip
    return v1, v2


def resolved_and_asked(practice, tmpl, when, *, language="en", key="reschedule"):
    """An item answered with `tmpl` and resolved at `when`; the question sent 31 min later."""
    patient = factories.make_patient(practice, preferred_language=language)
    work = item(practice, patient, key, when - timedelta(hours=2), status="resolved",
                resolved_at=when)  # fmt: skip
    send(work, when - timedelta(hours=1), tmpl=tmpl)
    asked_at = when + survey.ASK_DELAY + timedelta(minutes=1)
    assert survey.ask_due_surveys(now=asked_at) == 1
    question = Survey.objects.get(item=work).question
    Message.objects.filter(pk=question.pk).update(status="delivered", claimed_at=asked_at)
    return patient, asked_at


def answer(practice, patient, asked_at, body):
    receive_sms(practice, patient.phone, body, now=asked_at + timedelta(hours=1))


@pytest.fixture
def week(practice_a):
    """v1: yes, no, unanswered. v2: yes, yes, unanswered. Spanish: no. Plus rows that must
    not count: a skipped question, one not sent yet, one about last week's item."""
    factories.make_user("lead", practice_a, Role.MANAGER)
    v1, v2 = two_versions(practice_a)
    spanish = template(practice_a, "reschedule", "es")
    people = {}
    for n, (tmpl, reply) in enumerate(
        [(v1, "yes"), (v1, "No"), (v1, None), (v2, "Sí!"), (v2, "👍"), (v2, None)]
    ):
        patient, asked_at = resolved_and_asked(practice_a, tmpl, local(day(n % 5), "10:00"))
        people[n] = (patient, asked_at)
        if reply:
            answer(practice_a, patient, asked_at, reply)
    patient, asked_at = resolved_and_asked(
        practice_a, spanish, local(day(1), "11:00"), language="es"
    )
    answer(practice_a, patient, asked_at, "no")
    # Not counted: resolved the week before, answered yes.
    before, asked_at = resolved_and_asked(practice_a, v1, local(day(-3), "10:00"))
    answer(practice_a, before, asked_at, "yes")
    # Not counted: no SMS consent, so never asked.
    silent = factories.make_patient(practice_a, phone="+12025559001")
    silent.consents.create(channel="sms", granted=False, source="front desk",
                           recorded_at=timezone.now())  # fmt: skip
    quiet = item(practice_a, silent, "reschedule", local(day(2), "08:00"), status="resolved",
                 resolved_at=local(day(2), "10:00"))  # fmt: skip
    send(quiet, local(day(2), "09:00"), tmpl=v2)
    survey.ask_due_surveys(now=local(day(2), "10:31"))
    assert Survey.objects.get(item=quiet).status == "skipped"
    return {"v1": v1, "v2": v2, "spanish": spanish, "people": people}


def card(practice, **kwargs):
    return compute_scorecard(practice=practice, week=WEEK, now=NOW, **kwargs)["metrics"]


def by_template(metrics, tmpl) -> dict:
    return next(
        row for row in metrics["knew_next_step_by_template"] if row["template"] == str(tmpl.code)
    )


def test_it_counts_asked_answered_and_yes_per_template_version(practice_a, week):
    m = card(practice_a)
    knew = m["knew_next_step"]
    assert (knew["asked"]["value"], knew["of"], knew["value"]) == (7, 5, 3)
    assert knew["rate"] == 0.6

    v1, v2 = by_template(m, week["v1"]), by_template(m, week["v2"])
    assert (v1["asked"], v1["answered"], v1["yes"], v1["rate"]) == (3, 2, 1, 0.5)
    assert (v2["asked"], v2["answered"], v2["yes"], v2["rate"]) == (3, 2, 2, 1.0)
    assert v1["label"].endswith("v1") and v2["label"].endswith("v2")
    # Beside each version, its repeat-contact rate: v1's "no" opened an item on the same
    # moment for the same patient, a repeat contact.
    assert (v1["repeat_items"], v1["repeat_rate"]) == (3, 0.3333)
    # v2 also answered the patient without SMS consent, who was never asked.
    assert (v2["repeat_items"], v2["repeat_rate"]) == (4, 0)


def test_a_new_answer_moves_the_per_template_figure(practice_a, week):
    before = by_template(card(practice_a), week["v2"])
    patient, asked_at = week["people"][5]
    answer(practice_a, patient, asked_at, "no")
    after = by_template(card(practice_a), week["v2"])
    assert (before["yes"], before["answered"], before["rate"]) == (2, 2, 1.0)
    assert (after["yes"], after["answered"]) == (2, 3)
    assert (after["rate"], after["repeat_rate"]) == (0.6667, 0.25)


def test_it_counts_per_moment_and_language(practice_a, week):
    knew = card(practice_a)["knew_next_step"]
    languages = {row["key"]: (row["asked"], row["of"], row["value"]) for row in knew["by_language"]}
    assert languages == {"en": (6, 4, 3), "es": (1, 1, 0)}
    moments = {row["key"]: (row["asked"], row["of"], row["value"]) for row in knew["by_moment"]}
    assert moments == {"reschedule": (7, 5, 3)}
    spanish = card(practice_a, language="es")
    assert spanish["knew_next_step"]["of"] == 1
    assert by_template(spanish, week["spanish"])["answered"] == 1


def test_each_figure_drills_down_to_its_resolved_items(practice_a, week):
    m = card(practice_a)

    def rows(drill):
        filters = {k: v for k, v in drill.items() if k != "metric"}
        return drilldown(practice=practice_a, week=WEEK, metric=drill["metric"], filters=filters,
                         now=NOW)  # fmt: skip

    knew = m["knew_next_step"]
    assert rows(knew["drill"]).count() == 3
    assert rows(knew["of_drill"]).count() == 5
    assert rows(knew["asked"]["drill"]).count() == 7
    v1 = by_template(m, week["v1"])
    assert rows(v1["drill"]).count() == 1 and rows(v1["answered_drill"]).count() == 2
    assert set(rows(v1["drill"]).values_list("status", flat=True)) == {"resolved"}


def test_the_page_and_the_csv_show_it(client, practice_a, week):
    manager = factories.make_user("boss", practice_a, Role.MANAGER)
    factories.verified_login(client, manager)
    page = client.get(reverse("reports:scorecard", kwargs={"slug": practice_a.slug,
                                                           "week": "2026-W46"}))  # fmt: skip
    assert page.status_code == 200
    assert "Did patients know what to do next?" in page.text
    assert "Knew what to do next" in page.text
    assert "3 yes of 5 answered, 7 asked" in page.text
    loop = client.get(reverse("reports:quality-loop", kwargs={"slug": practice_a.slug,
                                                              "week": "2026-W46"}))  # fmt: skip
    assert loop.status_code == 200 and 'data-breakdown="next-step-template"' in loop.text
    assert "Reschedule · en · sms · first_response v2" in loop.text
    data = compute_scorecard(practice=practice_a, week=WEEK, now=NOW)
    lines = [row for row in scorecard_rows(data) if row[2] == "knew_next_step"]
    assert lines[0][6:9] == [3, 5, 0.6]
    # One line per template version: yes, answered (en v1, en v2, es v1).
    assert [row[6:8] for row in lines if row[3] == "template"] == [[1, 2], [2, 2], [0, 1]]
