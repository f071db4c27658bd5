"""The per-assistant coaching page: a hand-counted week, who may see it, its cost, its audit."""

from datetime import date

import pytest
from django.urls import reverse

from queue_app.events import record_item_event
from queue_app.models import AuditEvent, CallAttempt, Message, Promise, Role
from reports import coaching
from reports.weeks import iso_week
from tests import factories
from tests.factories import verified_login
from tests.reports.conftest import (
    WEEK,
    call,
    day,
    escalate,
    fast_user,
    item,
    local,
    note,
    review,
    send,
    set_targets,
    template,
)

W46 = iso_week(WEEK)
ALL_CHECKS_PASS = {
    "outcome_present": True,
    "escalation_clear": True,
    "next_step_clear": True,
    "language_consistent": True,
    "identity_before_disclosure": True,
    "approved_template_used": True,
}


def url(slug: str = "alpha", week: str = W46) -> str:
    return reverse("reports:coaching", kwargs={"slug": slug, "week": week})


def sent(work_item, at, by, **fields) -> Message:
    tmpl = fields.pop("tmpl", None) or template(work_item.practice, work_item.moment.key, "en")
    message = send(work_item, at, tmpl=tmpl, **fields)
    Message.objects.filter(pk=message.pk).update(sent_by=by)
    return message


def called(work_item, at, by, outcome="reached", number=1) -> CallAttempt:
    attempt = call(work_item, at, outcome=outcome, number=number)
    CallAttempt.objects.filter(pk=attempt.pk).update(by=by)
    return attempt


def event(work_item, at, by, kind="claimed") -> None:
    record_item_event(item=work_item, kind=kind, now=at, actor=by)


@pytest.fixture
def team(practice_a, practice_b):
    """2026-W46 of practice_a, worked by Ana and Ben; Cleo had a quiet week.

    Targets 60 business minutes, hours Mon–Fri 08:00–17:00 (America/New_York). The figures
    each person must get are in `test_each_assistants_figures_match_the_hand_count`.
    """
    set_targets(practice_a)
    ana = fast_user("ana", practice_a, Role.ASSISTANT)
    ben = fast_user("ben", practice_a, Role.ASSISTANT)
    cleo = fast_user("cleo", practice_a, Role.ASSISTANT)
    doc = fast_user("doc", practice_a, Role.CLINICAL)
    patient = factories.make_patient(practice_a, preferred_language="en")
    done = {"status": "resolved"}

    # Ana's items. a1: she answers in 30 min and resolves it.
    a1 = item(
        practice_a,
        patient,
        "reschedule",
        local(day(0), "09:00"),
        owner=ana,
        **done,
        resolved_at=local(day(0), "10:00"),
    )
    event(a1, local(day(0), "09:01"), ana)
    sent(a1, local(day(0), "09:30"), ana)
    event(a1, local(day(0), "10:00"), ana, "resolved")
    # a2: her call reaches the patient after 120 min (late); Ben's later message is not first.
    a2 = item(
        practice_a,
        patient,
        "reschedule",
        local(day(0), "10:00"),
        owner=ana,
        **done,
        resolved_at=local(day(1), "09:00"),
    )
    event(a2, local(day(0), "10:01"), ana)
    called(a2, local(day(0), "11:00"), ana, outcome="no_answer", number=1)
    called(a2, local(day(0), "12:00"), ana, number=2)
    sent(a2, local(day(0), "13:00"), ben)
    # a3: Ben answered it in 10 min; Ana owned it when it was resolved.
    a3 = item(
        practice_a,
        patient,
        "reschedule",
        local(day(1), "09:00"),
        owner=ana,
        **done,
        resolved_at=local(day(1), "11:00"),
    )
    sent(a3, local(day(1), "09:10"), ben)
    event(a3, local(day(1), "09:10"), ben, "response_queued")
    event(a3, local(day(1), "11:00"), ana, "resolved")
    # a4: open and unanswered at the week's end.
    a4 = item(
        practice_a, patient, "reschedule", local(day(3), "09:00"), status="assigned", owner_user=ana
    )
    event(a4, local(day(3), "09:02"), ana)
    event(a4, local(day(3), "09:30"), ben, "released")
    # x1: resolved by Ana after the week; her event on it then is not this week's work.
    x1 = item(
        practice_a,
        patient,
        "reschedule",
        local(day(4), "09:00"),
        owner=ana,
        **done,
        resolved_at=local(day(8), "09:00"),
    )
    event(x1, local(day(8), "09:00"), ana, "resolved")

    # Ben's items. b1: answered in 20 min (Ana's failed message earlier does not count).
    b1 = item(
        practice_a,
        patient,
        "reschedule",
        local(day(2), "09:00"),
        owner=ben,
        **done,
        resolved_at=local(day(2), "10:00"),
    )
    sent(b1, local(day(2), "09:05"), ana, status="failed")
    send(b1, local(day(2), "09:01"), tmpl=template(practice_a, "reschedule", "en"), automatic=True)
    sent(b1, local(day(2), "09:20"), ben)
    event(b1, local(day(2), "09:01"), ben)
    event(b1, local(day(2), "10:00"), ben, "resolved")
    # b2: his call reaches the patient 240 business minutes later (overnight); still open.
    b2 = item(
        practice_a, patient, "reschedule", local(day(2), "14:00"), status="assigned", owner_user=ben
    )
    called(b2, local(day(3), "09:00"), ben)
    event(b2, local(day(2), "14:01"), ben)
    # b3: received the week before, resolved by Ben on Monday.
    b3 = item(
        practice_a,
        patient,
        "reschedule",
        local(date(2026, 11, 5), "09:00"),
        owner=ben,
        **done,
        resolved_at=local(day(0), "09:30"),
    )
    event(b3, local(date(2026, 11, 5), "09:05"), ben)
    event(b3, local(day(0), "09:30"), ben, "resolved")

    # QA: Ana's two finished reviews failed; Ben's passed; pending and other weeks' do not count.
    review(
        a1,
        WEEK,
        ana,
        status="done",
        passed=False,
        reviewed_at=local(day(8), "10:00"),
        checks=ALL_CHECKS_PASS | {"outcome_present": False, "next_step_clear": False},
    )
    review(
        a2,
        WEEK,
        ana,
        status="done",
        passed=False,
        reviewed_at=local(day(8), "10:00"),
        checks=ALL_CHECKS_PASS | {"outcome_present": False},
    )
    review(a3, WEEK, ana)
    review(
        b1,
        WEEK,
        ben,
        status="done",
        passed=True,
        reviewed_at=local(day(8), "10:00"),
        checks=ALL_CHECKS_PASS,
    )
    review(
        b3,
        date(2026, 11, 2),
        ben,
        status="done",
        passed=False,
        reviewed_at=local(day(1), "10:00"),
        checks=ALL_CHECKS_PASS | {"outcome_present": False},
    )

    # Escalations raised in the week, by verdict; triage's and QA's are nobody's.
    escalate(a4, local(day(3), "10:00"), "clinical", created_by=ana, judged_appropriate=True)
    escalate(a2, local(day(0), "11:00"), "clinical", created_by=ana, judged_appropriate=False)
    escalate(b2, local(day(2), "15:00"), "clinical", created_by=ben)
    escalate(a1, local(day(0), "09:00"), "clinical", detected_by="triage")
    escalate(b1, local(day(2), "09:30"), "clinical", detected_by="qa", created_by=ben)
    escalate(
        b3, local(date(2026, 11, 5), "10:00"), "clinical", created_by=ben, judged_appropriate=False
    )
    event(a4, local(day(3), "10:30"), doc, "escalation_acknowledged")

    # Notes saved over the checker: Ana on two items (twice on a1); Ben only the week before.
    note(a1, local(day(0), "10:00"), ana, override_reason="Patient hung up")
    note(a1, local(day(0), "10:05"), ana, override_reason="Corrected the time")
    note(a2, local(day(1), "09:00"), ana, override_reason="Only wanted the address")
    note(a4, local(day(3), "09:40"), ana)
    note(b3, local(date(2026, 11, 5), "11:00"), ben, override_reason="Before")

    # Another practice's assistant, busy the same week: never on practice_a's page.
    outsider = fast_user("zed", practice_b, Role.ASSISTANT)
    other = factories.make_item(
        practice_b,
        received_at=local(day(0), "09:00"),
        status="resolved",
        owner=outsider,
        resolved_at=local(day(0), "12:00"),
    )
    event(other, local(day(0), "09:30"), outsider)
    return {
        "ana": ana,
        "ben": ben,
        "cleo": cleo,
        "doc": doc,
        "outsider": outsider,
        "patient": patient,
        "now": local(day(11), "12:00"),
    }


def test_each_assistants_figures_match_the_hand_count(practice_a, team):
    people = coaching.coaching_week(practice=practice_a, week=WEEK, now=team["now"])
    by_name = {person.name: person for person in people}
    assert set(by_name) == {"ana", "ben", "cleo"}  # not the clinician, not practice_b's

    ana = by_name["ana"]
    assert (ana.resolved, ana.worked) == (3, 4)
    assert ana.first_response["answered"] == 2
    assert ana.first_response["median_minutes"] == 75.0  # 30 and 120
    assert ana.first_response["share_within_target"] == 0.5
    assert (ana.qa_passed, ana.qa_failed) == (0, 2)
    assert ana.failed_checks == [("Outcome present", 2), ("Next step clear", 1)]
    assert (
        ana.escalations_appropriate,
        ana.escalations_not_appropriate,
        ana.escalations_unjudged,
    ) == (1, 1, 0)
    assert ana.note_overrides == 2

    ben = by_name["ben"]
    assert (ben.resolved, ben.worked) == (2, 5)
    assert ben.first_response["answered"] == 3
    assert ben.first_response["median_minutes"] == 20.0  # 10, 20 and 240
    assert ben.first_response["share_within_target"] == 0.6667
    assert (ben.qa_passed, ben.qa_failed, ben.failed_checks) == (1, 0, [])
    assert (
        ben.escalations_appropriate,
        ben.escalations_not_appropriate,
        ben.escalations_unjudged,
    ) == (0, 0, 1)
    assert ben.note_overrides == 0

    cleo = by_name["cleo"]
    assert (cleo.resolved, cleo.worked, cleo.qa_passed, cleo.note_overrides) == (0, 0, 0, 0)
    assert cleo.first_response["answered"] == 0
    assert cleo.first_response["median_minutes"] is None


def test_a_manager_sees_the_page_from_the_scorecard_with_counts_only(
    client, practice_a, team, boss
):
    verified_login(client, boss)
    scorecard = client.get(reverse("reports:scorecard", kwargs={"slug": "alpha", "week": W46}))
    assert f'href="{url()}"' in scorecard.content.decode()

    response = client.get(url())
    assert response.status_code == 200
    html = response.content.decode()
    ana = f'data-assistant="{team["ana"].pk}"'
    assert ana in html
    row = html[html.index(ana) : html.index("</tr>", html.index(ana))]
    assert '<td data-figure="resolved">3</td>' in row
    assert '<td data-figure="answered">2</td>' in row
    assert '<td data-figure="within">50%</td>' in row
    assert "Outcome present ×2; Next step clear ×1" in row
    listed = {person.user_id for person in response.context["people"]}
    assert team["doc"].pk not in listed and team["outsider"].pk not in listed
    # Counts only: no patient's name, phone or item link on the page.
    patient = team["patient"]
    for detail in (patient.first_name, patient.last_name, patient.phone, "/queue/item/"):
        assert detail not in html
    assert 'href="/reports/alpha/2026-W46/items/resolved/"' in html


def test_viewing_the_page_is_audited_without_patients(client, practice_a, team, boss):
    verified_login(client, boss)
    client.get(url())
    audit = AuditEvent.objects.get(action="coaching_view")
    assert (audit.actor, audit.practice, audit.patient_ids) == (boss, practice_a, [])
    assert audit.route == "reports:coaching"
    assert audit.detail == W46


def test_another_practices_manager_gets_404(client, practice_b, team):
    manager_b = fast_user("boss-b", practice_b, Role.MANAGER)
    verified_login(client, manager_b)
    assert client.get(url()).status_code == 404
    assert not AuditEvent.objects.filter(action="coaching_view").exists()


def test_an_assistant_gets_403(client, practice_a, team):
    client.force_login(team["ana"])
    assert client.get(url()).status_code == 403


def test_a_manager_without_a_second_factor_is_sent_to_set_one_up(client, practice_a, boss):
    client.force_login(boss)
    response = client.get(url())
    assert response.status_code == 302
    assert response["Location"].startswith("/account/2fa/")


def test_the_page_costs_the_same_few_queries_however_many_assistants(
    client, practice_a, team, boss, django_assert_max_num_queries, django_assert_num_queries
):
    verified_login(client, boss)
    patient = factories.make_patient(practice_a, preferred_language="es")
    for n in range(12):
        person = fast_user(f"extra-{n}", practice_a, Role.ASSISTANT)
        work = item(
            practice_a,
            patient,
            "reschedule",
            local(day(n % 5), "09:00"),
            owner=person,
            status="resolved",
            resolved_at=local(day(n % 5), "11:00"),
        )
        sent(work, local(day(n % 5), "09:15"), person)
        event(work, local(day(n % 5), "09:01"), person)
        review(
            work,
            WEEK,
            person,
            status="done",
            passed=True,
            reviewed_at=local(day(8), "10:00"),
            checks=ALL_CHECKS_PASS,
        )
        escalate(work, local(day(n % 5), "10:00"), "clinical", created_by=person)
        note(work, local(day(n % 5), "10:30"), person, override_reason="Reason")
    # The page: the figures below plus what every signed-in page reads (session, roles, the
    # second factor, banners).
    with django_assert_max_num_queries(25):
        response = client.get(url())
    assert response.status_code == 200
    # Ana, Ben, Cleo, the twelve, and the manager (who also works the queue).
    assert len(response.context["people"]) == 16
    # One grouped query per figure, the moments' targets, the team and their names.
    with django_assert_num_queries(10):
        coaching.coaching_week(practice=practice_a, week=WEEK, now=team["now"])


def test_promises_count_for_the_person_who_made_them_in_the_week_they_fell_due(practice_a, team):
    ana, ben = team["ana"], team["ben"]
    item = factories.make_item(practice_a, patient=team["patient"])

    def promise(by, due, kept=None):
        Promise.objects.create(
            item=item, kind="follow_up", due_at=due, made_by=by, made_at=due, kept_at=kept
        )

    promise(ana, local(day(1), "10:00"), kept=local(day(1), "09:30"))
    promise(ana, local(day(2), "10:00"))  # broken
    promise(ben, local(day(3), "15:00"), kept=local(day(3), "14:00"))
    promise(ben, local(day(9), "10:00"), kept=local(day(9), "09:00"))  # due the week after

    people = {
        p.name: p for p in coaching.coaching_week(practice=practice_a, week=WEEK, now=team["now"])
    }
    assert (people["ana"].promises_kept, people["ana"].promises_due) == (1, 2)
    assert (people["ben"].promises_kept, people["ben"].promises_due) == (1, 1)
    assert (people["cleo"].promises_kept, people["cleo"].promises_due) == (0, 0)
