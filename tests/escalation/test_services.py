"""Routes, escalating an item, alerts and email, and the route's answers, tested as services."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from config.celery import app as celery_app
from escalation import services
from escalation.models import Alert, Escalation, EscalationRoute, RouteKind
from queue_app.models import ItemEvent, Role, WorkItem
from queue_app.services import closing, intake, shared
from tests import factories
from tests.jobs import queued_tasks


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The personas' password hashing dominates these tests' setup; security is not under test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def eager_celery():
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


@pytest.fixture
def now():
    return timezone.now()


def test_default_routes_are_created_for_each_kind_with_deadlines_and_scripts(practice_a):
    routes = services.ensure_default_routes(practice=practice_a)

    assert list(routes) == services.ROUTE_ORDER
    assert routes[RouteKind.URGENT].ack_minutes == 5
    assert routes[RouteKind.CLINICAL].ack_minutes == 60
    assert routes[RouteKind.URGENT].patient_script["en"] == practice_a.emergency_script
    assert "911" in routes[RouteKind.URGENT].patient_script["es"]
    for route in routes.values():
        assert route.patient_script["en"] and route.patient_script["es"]


def test_ensuring_default_routes_twice_creates_nothing_twice_and_keeps_edits(practice_a):
    services.ensure_default_routes(practice=practice_a)
    EscalationRoute.objects.filter(practice=practice_a, kind="clinical").update(ack_minutes=15)

    services.ensure_default_routes(practice=practice_a)

    assert EscalationRoute.objects.filter(practice=practice_a).count() == 5
    assert services.route_for(practice=practice_a, kind="clinical").ack_minutes == 15


def test_route_for_a_new_practice_brings_the_practice_emergency_script(db):
    practice = factories.make_practice(emergency_script="Call 911 or go to Mercy ER.")

    route = services.route_for(practice=practice, kind="urgent")

    assert route.script("en") == "Call 911 or go to Mercy ER."


def test_recipients_default_to_escalation_handlers_and_complaints_to_managers(
    practice_a, clinical, manager, assistant
):
    routes = services.ensure_default_routes(practice=practice_a)

    assert set(services.route_recipients(routes["urgent"])) == {clinical, manager}
    assert services.route_recipients(routes["complaints"]) == [manager]


def test_chosen_recipients_replace_the_default_but_only_while_they_hold_the_role(
    practice_a, clinical, manager, assistant
):
    route = services.route_for(practice=practice_a, kind="clinical")
    route.recipients.set([clinical, assistant])  # the assistant does not handle escalations

    assert services.route_recipients(route) == [clinical]


def test_update_route_refuses_a_backup_from_another_practice(practice_a, outsider, clinical):
    route = services.route_for(practice=practice_a, kind="clinical")

    with pytest.raises(services.EscalationError):
        services.update_route(
            route=route,
            name="RN pool",
            ack_minutes=30,
            backup=outsider,
            recipients=[clinical],
            patient_script={"en": "A nurse will call you."},
        )


def test_urgent_escalation_alerts_every_recipient_and_emails_them_ids_only(
    item, clinical, manager, assistant, now, django_capture_on_commit_callbacks, eager_celery
):
    clinical.email = "rn@example.org"
    clinical.save()
    manager.email = "boss@example.org"
    manager.save()

    with django_capture_on_commit_callbacks(execute=True):
        escalation = services.escalate_item(
            item=item, route_kind="urgent", reason="chest pain right now", now=now, actor=assistant
        )

    alerts = Alert.objects.filter(escalation=escalation)
    assert {a.recipient for a in alerts} == {clinical, manager}
    assert {a.kind for a in alerts} == {Alert.Kind.URGENT}
    assert all(a.emailed_at is not None for a in alerts)
    assert sorted(m.to[0] for m in mail.outbox) == ["boss@example.org", "rn@example.org"]
    for message in mail.outbox:
        assert str(escalation.code) in message.body
        assert item.patient.last_name not in message.body + message.subject
        assert "chest" not in message.body + message.subject
        assert item.patient.phone not in message.body


def test_a_clinical_escalation_alerts_in_the_app_without_email(
    item, clinical, assistant, now, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        escalation = services.escalate_item(
            item=item, route_kind="clinical", reason="refill question", now=now, actor=assistant
        )

    assert Alert.objects.get(escalation=escalation).kind == Alert.Kind.ESCALATED
    assert queued_tasks(callbacks) == []


def test_email_alerts_sends_each_alert_once(item, clinical, now):
    clinical.email = "rn@example.org"
    clinical.save()
    escalation = services.escalate_item(item=item, route_kind="urgent", reason="x", now=now)
    ids = list(Alert.objects.filter(escalation=escalation).values_list("pk", flat=True))

    assert services.email_alerts(alert_ids=ids, now=now) == 1
    assert services.email_alerts(alert_ids=ids, now=now) == 0
    assert len(mail.outbox) == 1


def test_escalating_an_escalated_item_is_refused(item, now):
    services.escalate_item(item=item, route_kind="clinical", reason="x", now=now)

    with pytest.raises(services.EscalationError):
        services.escalate_item(item=item, route_kind="urgent", reason="y", now=now)


def test_acknowledging_twice_is_refused_and_writes_one_event(item, clinical, now):
    escalation = services.escalate_item(item=item, route_kind="clinical", reason="x", now=now)

    services.acknowledge_escalation(escalation=escalation, actor=clinical, now=now)
    with pytest.raises(services.EscalationError):
        services.acknowledge_escalation(escalation=escalation, actor=clinical, now=now)

    escalation.refresh_from_db()
    assert escalation.status == Escalation.Status.ACKNOWLEDGED
    assert escalation.acknowledged_by == clinical
    assert ItemEvent.objects.filter(item=item, kind="escalation_acknowledged").count() == 1


def test_resolving_hands_the_item_back_to_its_owner(item, assistant, clinical, now):
    WorkItem.objects.filter(pk=item.pk).update(status="assigned", owner=assistant)
    item.refresh_from_db()
    escalation = services.escalate_item(item=item, route_kind="clinical", reason="x", now=now)

    services.resolve_escalation(escalation=escalation, actor=clinical, note="RN called", now=now)

    escalation.refresh_from_db()
    item.refresh_from_db()
    assert escalation.status == Escalation.Status.RESOLVED
    assert escalation.acknowledged_at == now and escalation.acknowledged_by == clinical
    assert item.status == WorkItem.Status.ASSIGNED and item.owner == assistant
    event = ItemEvent.objects.get(item=item, kind="escalation_resolved")
    assert event.actor == clinical and event.after["status"] == "assigned"


def test_returning_an_unowned_item_puts_it_back_in_the_queue_with_the_instruction(
    item, clinical, now
):
    escalation = services.escalate_item(item=item, route_kind="clinical", reason="x", now=now)

    services.return_escalation(
        escalation=escalation, actor=clinical, instruction="Book a same-day visit", now=now
    )

    item.refresh_from_db()
    escalation.refresh_from_db()
    assert item.status == WorkItem.Status.NEW
    assert escalation.instruction == "Book a same-day visit"
    assert services.blocks_resolution(item) == ""


def test_returning_without_an_instruction_is_refused(item, clinical, now):
    escalation = services.escalate_item(item=item, route_kind="clinical", reason="x", now=now)

    with pytest.raises(services.EscalationError):
        services.return_escalation(escalation=escalation, actor=clinical, instruction=" ", now=now)


def test_judging_is_recorded_once(item, clinical, now):
    escalation = services.escalate_item(item=item, route_kind="clinical", reason="x", now=now)

    services.judge_escalation(escalation=escalation, actor=clinical, appropriate=False, now=now)
    with pytest.raises(services.EscalationError):
        services.judge_escalation(escalation=escalation, actor=clinical, appropriate=True, now=now)

    escalation.refresh_from_db()
    assert escalation.judged_appropriate is False and escalation.judged_by == clinical


def test_an_escalated_item_blocks_resolution_until_its_route_answers(item, clinical, now):
    escalation = services.escalate_item(item=item, route_kind="clinical", reason="x", now=now)
    assert services.blocks_resolution(item)

    services.acknowledge_escalation(escalation=escalation, actor=clinical, now=now)
    assert services.blocks_resolution(item)

    services.resolve_escalation(escalation=escalation, actor=clinical, note="", now=now)
    assert services.blocks_resolution(item) == ""


def test_the_queue_refuses_to_resolve_an_escalated_item(practice_a, patient, assistant, now):
    item = factories.make_item(practice_a, patient=patient, status="assigned", owner=assistant)
    services.escalate_item(item=item, route_kind="clinical", reason="x", now=now, actor=assistant)

    with pytest.raises(shared.ActionRefused, match="escalated"):
        closing.resolve_item(item=item, actor=assistant, now=now + timedelta(minutes=1))

    item.refresh_from_db()
    assert item.status == WorkItem.Status.ESCALATED


def test_chest_pain_inside_a_reschedule_request_reaches_the_urgent_route(practice_a, patient):
    clinical = factories.make_user("rn-e2e", practice_a, Role.CLINICAL)

    item = intake.create_item(
        practice=practice_a,
        patient=patient,
        moment=factories.moment(practice_a, "reschedule"),
        channel="sms",
        words="need to reschedule, also having chest pain right now",
        language="en",
        now=timezone.now(),
        service="twilio-webhook",
    )

    escalation = services.open_escalation(item)
    assert item.boundary == "urgent"
    assert escalation is not None and escalation.route.kind == "urgent"
    assert escalation.detected_by == "triage"
    assert Alert.objects.filter(escalation=escalation, recipient=clinical, kind="urgent").exists()


@pytest.mark.parametrize(
    ("words", "route"),
    [
        ("no chest pain, just need a refill form for my lisinopril", "clinical"),
        ("necesito cambiar mi cita, tengo dolor de pecho ahorita", "urgent"),
        ("necesito cambiar mi cita, mi hijo tiene fiebre y no respira bien", "urgent"),
        ("third time nobody called me back, I want to talk to a manager", "complaints"),
        ("need to reschedule bc I have the flu", None),
    ],
)
def test_tricky_messages_take_the_route_the_rules_give(practice_a, patient, words, route):

    item = intake.create_item(
        practice=practice_a,
        patient=patient,
        moment=factories.moment(practice_a, "reschedule"),
        channel="sms",
        words=words,
        language="es" if "necesito" in words else "en",
        now=timezone.now(),
        service="twilio-webhook",
    )

    escalation = services.open_escalation(item)
    assert (escalation.route.kind if escalation else None) == route
