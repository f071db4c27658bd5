"""Every URL × every actor × another practice's objects: never a 2xx, never its data.

The routes come from the URL resolver, so a new view without an entry in ROUTES fails
`test_every_url_pattern_has_a_matrix_entry` until someone decides who may use it.
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from campaigns.models import Campaign
from escalation import service_recovery
from escalation import services as escalation_services
from escalation.models import Alert
from integrations.models import ImportRun
from messaging.models import Attachment
from notes import services as note_services
from queue_app.models import DeadLetter, Role
from templates_lib.models import ResponseTemplate
from tests import factories
from tests.security.helpers import verified_client

pytestmark = pytest.mark.django_db

CANARIES = ("Qzxv", "Canarypatient", "5550199", "canary-body-7f3a")
WEEK = "2026-W47"


@dataclass(frozen=True)
class Route:
    """What the URL's parameters point at; `public` routes need no sign-in at all."""

    code: str | None = None  # which object's uuid fills <code>
    public: bool = False
    webhook: bool = False


# url name -> what its <code> is. Slugs, keys and the like are filled from PARAMS below.
ROUTES: dict[str, Route] = {
    "login": Route(public=True),
    "logout": Route(public=True),
    "sign-in-again": Route(public=True),
    "account-2fa-setup": Route(public=True),
    "account-2fa-verify": Route(public=True),
    "twilio:sms": Route(webhook=True),
    "twilio:status": Route(webhook=True),
    "twilio:voice": Route(webhook=True),
    "twilio:voice-recording": Route(webhook=True),
    "twilio:voice-transcription": Route(webhook=True),
    "portal-message": Route(webhook=True),
    "email-inbound": Route(webhook=True),
    "email-events": Route(webhook=True),
    "escalation:inbox": Route(),
    "escalation:alerts": Route(),
    "escalation:alert-seen": Route(code="alert"),
    "escalation:routes": Route(),
    "escalation:route-edit": Route(),
    "escalation:item-panel": Route(code="item"),
    "escalation:item-escalate": Route(code="item"),
    "escalation:item-confirm-triage": Route(code="item"),
    "escalation:item-recovery": Route(code="item"),
    "escalation:recovery-close": Route(code="recovery"),
    "escalation:detail": Route(code="escalation"),
    "escalation:acknowledge": Route(code="escalation"),
    "escalation:resolve": Route(code="escalation"),
    "escalation:return": Route(code="escalation"),
    "escalation:judge": Route(code="escalation"),
    "notes:item-notes": Route(code="item"),
    "notes:item-notes-check": Route(code="item"),
    "notes:qa-queue": Route(),
    "notes:qa-review": Route(code="qa_review"),
    "notes:qa-settings": Route(),
    "notes:my-reviews": Route(),
    "reports:scorecard-home": Route(),
    "reports:scorecard-practice": Route(),
    "reports:scorecard": Route(),
    "reports:scorecard-csv": Route(),
    "reports:scorecard-build": Route(),
    "reports:drilldown": Route(),
    "reports:quality-loop": Route(),
    "reports:decision-create": Route(),
    "reports:coaching": Route(),
    "playbook:home": Route(),
    "playbook:moments": Route(),
    "playbook:training": Route(),
    "playbook:sending": Route(),
    "playbook:preview": Route(),
    "playbook:moment": Route(),
    "playbook:moment-update": Route(),
    "playbook:channel-rule-update": Route(),
    "playbook:moment-templates": Route(),
    "playbook:template-new": Route(),
    "playbook:template-create": Route(),
    "playbook:template": Route(code="template"),
    "playbook:template-save": Route(code="template"),
    "playbook:template-new-draft": Route(code="template"),
    "playbook:template-approve": Route(code="template"),
    "playbook:template-retire": Route(code="template"),
    "playbook:template-diff": Route(code="template"),
    "imports:home": Route(),
    "imports:practice": Route(),
    "imports:fhir-import": Route(),
    "imports:fhir-export": Route(),
    "imports:csv-upload": Route(),
    "imports:csv-mapping": Route(),
    "imports:csv-preview": Route(),
    "imports:csv-commit": Route(),
    "imports:csv-discard": Route(),
    "imports:csv-run": Route(code="import_run"),
    "queue:queue": Route(),
    "queue:item": Route(code="item"),
    "queue:item-head": Route(code="item"),
    "queue:item-conversation": Route(code="item"),
    "queue:item-claim": Route(code="item"),
    "queue:take-next": Route(),
    "queue:live": Route(),
    "queue:item-new": Route(),
    "queue:item-new-lookup": Route(),
    "queue:item-release": Route(code="item"),
    "queue:item-reassign": Route(code="item"),
    "queue:item-verify": Route(code="item"),
    "queue:item-send": Route(code="item"),
    "queue:item-compose-check": Route(code="item"),
    "queue:item-composer": Route(code="item"),
    "queue:item-call": Route(code="item"),
    "queue:item-needed": Route(code="item"),
    "queue:item-follow-up": Route(code="item"),
    "queue:item-resolve": Route(code="item"),
    "queue:item-links": Route(code="item"),
    "queue:item-merge": Route(code="item"),
    "queue:item-link": Route(code="item"),
    "queue:item-unlink": Route(code="item"),
    "queue:attachment": Route(code="attachment"),
    "queue:item-presence": Route(code="item"),
    "queue:outbox": Route(),
    "queue:audit-log": Route(),
    "queue:audit-log-export": Route(),
    "delivery:failed-home": Route(),
    "queue:break-glass": Route(),
    "queue:break-glass-log": Route(),
    "delivery:failed": Route(),
    "delivery:failed-retry": Route(code="failed_message"),
    "patients:search": Route(),
    "patients:patient": Route(code="patient"),
    "campaigns:home": Route(),
    "campaigns:list": Route(),
    "campaigns:new": Route(),
    "campaigns:campaign": Route(code="campaign"),
    "campaigns:edit": Route(code="campaign"),
    "campaigns:approve": Route(code="campaign"),
    "campaigns:send": Route(code="campaign"),
    "campaigns:pause": Route(code="campaign"),
    "campaigns:resume": Route(code="campaign"),
    "campaigns:report": Route(code="campaign"),
}

# Non-code URL parameters, filled with the foreign practice's values.
PARAMS = {"key": "reschedule", "channel": "sms", "kind": "clinical", "metric": "received"}


def url_patterns(patterns=None, namespace: str = "") -> list[tuple[str, URLPattern]]:
    """Every named route of the project except Django's admin (checked on its own)."""
    found = []
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found += url_patterns(entry.url_patterns, inner)
        elif entry.name:
            found.append((f"{namespace}{entry.name}", entry))
    return found


def test_every_url_pattern_has_a_matrix_entry():
    names = {name for name, _ in url_patterns()}
    assert names - set(ROUTES) == set(), "add these routes to the authorization matrix"
    assert set(ROUTES) - names == set(), "these matrix entries no longer exist"


@pytest.fixture
def foreign(practice_b):
    """Practice B's objects, with a canary patient whose details must never leak."""
    now = timezone.now()
    patient = factories.make_patient(
        practice_b, first_name="Qzxv", last_name="Canarypatient", phone="+15005550199"
    )
    item = factories.make_item(
        practice_b, patient=patient, patient_words="canary-body-7f3a chest pain right now"
    )
    message = factories.make_message(
        item, direction="in", body="canary-body-7f3a", status="received", created=now
    )
    failed = factories.make_message(
        item, direction="out", body="canary-body-7f3a reply", status="failed", created=now
    )
    DeadLetter.objects.create(
        kind=DeadLetter.Kind.MESSAGE, object_id=failed.pk, reason="refused", created=now
    )
    attachment = Attachment.objects.create(
        practice=practice_b,
        message=message,
        position=0,
        status="stored",
        file=f"{practice_b.code}/canary-body-7f3a",
        content_type="image/jpeg",
        size=16,
        created=now,
    )
    clinician = factories.make_user("clinical-b", practice_b, Role.CLINICAL)
    assistant_b = factories.make_user("assistant-b2", practice_b, Role.ASSISTANT)
    escalation = escalation_services.escalate_item(
        item=item, route_kind="urgent", reason="canary-body-7f3a", now=now, actor=assistant_b
    )
    complaint_item = factories.make_item(
        practice_b, patient=patient, key="service_recovery", boundary="complaint"
    )
    recovery = service_recovery.open_service_recovery(
        item=complaint_item,
        actor=assistant_b,
        cause="no_callback",
        action="canary-body-7f3a apology",
        follow_up_at=now + timedelta(days=1),
        now=now,
        route_kind="complaints",
    )
    resolved = factories.make_item(practice_b, patient=patient, key="cancel")
    note_services.record_note(
        item=resolved,
        author=assistant_b,
        now=now,
        fields={"request": "canary-body-7f3a wants to cancel"},
    )
    review = factories.make_review(resolved, assistant_b, now.date(), created=now)
    manager_b = factories.make_user("manager-b", practice_b, Role.MANAGER)
    campaign = Campaign.objects.create(
        practice=practice_b,
        name="canary-body-7f3a campaign",
        moment=practice_b.moments.get(key="reschedule"),
        audience=Campaign.Audience.MRN_LIST,
        mrns=[patient.external_id],
        body_en="Hi {first_name}, canary-body-7f3a. Call {practice_name} at {practice_phone}.",
        author=manager_b,
        created=now,
        updated=now,
    )
    return {
        "practice": practice_b,
        "campaign": campaign,
        "patient": patient,
        "item": item,
        "attachment": attachment,
        "escalation": escalation,
        "alert": Alert.objects.filter(escalation=escalation, recipient=clinician).first(),
        "recovery": recovery,
        "qa_review": review,
        "template": ResponseTemplate.objects.filter(practice=practice_b).first(),
        "failed_message": failed,
        "import_run": ImportRun.objects.create(
            practice=practice_b,
            filename="canary.csv",
            refusals=[[2, "canary-body-7f3a has no date of birth"]],
            created=now,
        ),
    }


def build_url(name: str, pattern: URLPattern, objects: dict, practice) -> str:
    kwargs = {}
    for param in pattern.pattern.converters:
        if param == "code":
            kwargs[param] = objects[ROUTES[name].code].code
        elif param in ("slug", "practice"):
            kwargs[param] = practice.slug
        elif param == "week":
            from reports.weeks import parse_iso_week

            kwargs[param] = parse_iso_week(WEEK)
        else:
            kwargs[param] = PARAMS[param]
    return reverse(name, kwargs=kwargs)


@pytest.fixture
def actors(practice_a, practice_b):
    """Everyone who must not reach practice B's data, signed in as far as they can get."""
    people = {"anonymous": Client()}
    for role in Role.values:
        people[f"{role} of A"] = verified_client(
            factories.make_user(f"{role}-matrix", practice_a, role, languages=["en", "es"])
        )
    global_perm = factories.make_user("global-perm")
    global_perm.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=[
                "queue_app",
                "escalation",
                "notes",
                "reports",
                "templates_lib",
            ]
        )
    )
    people["global permissions"] = verified_client(global_perm)
    staff = factories.make_user("staff-no-grants")
    staff.is_staff = True
    staff.save()
    people["staff without grants"] = verified_client(staff)
    inactive = factories.make_user("inactive-b", practice_b, Role.MANAGER)
    client = verified_client(inactive)
    inactive.is_active = False
    inactive.save()
    people["inactive member of B"] = client
    return people


DENIED = {302, 400, 403, 404, 405}


def body_of(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


@pytest.mark.slow
def test_no_actor_reaches_another_practices_objects(foreign, actors):
    failures = []
    for name, pattern in url_patterns():
        route = ROUTES[name]
        if route.public:
            continue
        url = build_url(name, pattern, foreign, foreign["practice"])
        # A route without parameters lists the actor's own practices: it may answer, empty.
        own_scope = not pattern.pattern.converters and not route.webhook
        for actor, client in actors.items():
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                leaked = [c for c in CANARIES if c in body_of(response)]
                location = response.get("Location", "")
                redirect_ok = response.status_code != 302 or location.startswith(
                    ("/login/", "/account/2fa/")
                )
                if route.webhook:
                    # 401: no credential at all (a portal token, an email signature).
                    ok = response.status_code in (401, 403, 405)
                elif own_scope:
                    # It may send the actor on to one of their own practices' pages.
                    ok = response.status_code < 500 and foreign["practice"].slug not in location
                else:
                    ok = response.status_code in DENIED and redirect_ok
                if not ok or leaked:
                    failures.append((name, actor, method, response.status_code, location, leaked))
    assert failures == []


def test_a_parent_of_my_practice_with_a_child_of_another_is_refused(foreign, practice_a):
    """Nested ids: my practice's slug with another practice's template changes nothing."""
    admin = verified_client(factories.make_user("admin-nested", practice_a, Role.ADMIN))
    template = foreign["template"]
    before = (template.body, template.status)
    for name in (
        "playbook:template",
        "playbook:template-save",
        "playbook:template-approve",
        "playbook:template-retire",
        "playbook:template-new-draft",
    ):
        url = reverse(name, kwargs={"slug": practice_a.slug, "code": template.code})
        assert admin.get(url).status_code in (404, 405)
        assert admin.post(url, {"body": "changed"}).status_code in (404, 405)
    template.refresh_from_db()
    assert (template.body, template.status) == before


LIST_PAGES = [
    "queue:queue",
    "queue:outbox",
    "queue:audit-log",
    "escalation:inbox",
    "escalation:alerts",
    "notes:qa-queue",
    "notes:my-reviews",
    "reports:scorecard-home",
    "playbook:home",
    "imports:home",
    "delivery:failed-home",
    "campaigns:home",
]


def test_lists_and_counts_of_my_practices_hold_nothing_of_another(foreign, actors):
    for actor, client in actors.items():
        for name in LIST_PAGES:
            body = body_of(client.get(reverse(name)))
            assert not [c for c in CANARIES if c in body], (actor, name)


def test_no_search_finds_another_practices_patient(foreign, actors):
    for actor, client in actors.items():
        for words in ("Qzxv", "canarypatient", "(500) 555-0199", foreign["item"].reference):
            body = body_of(client.post(reverse("patients:search"), {"q": words}))
            assert "data-result" not in body, (actor, words)
            assert not [c for c in CANARIES if c in body.replace(words, "")], (actor, words)


def test_the_matrix_is_not_vacuous_members_reach_their_own_pages(practice_a, patient):
    item = factories.make_item(practice_a, patient=patient)
    assistant = verified_client(factories.make_user("assistant-own", practice_a, Role.ASSISTANT))
    manager = verified_client(factories.make_user("manager-own", practice_a, Role.MANAGER))
    admin = verified_client(factories.make_user("admin-own", practice_a, Role.ADMIN))
    assert assistant.get(reverse("queue:item", kwargs={"code": item.code})).status_code == 200
    assert assistant.get(reverse("notes:item-notes", kwargs={"code": item.code})).status_code == 200
    assert manager.get(reverse("escalation:inbox")).status_code == 200
    assert manager.get(
        reverse("reports:scorecard-practice", kwargs={"slug": practice_a.slug})
    ).status_code in (200, 302)
    assert (
        admin.get(reverse("playbook:moments", kwargs={"slug": practice_a.slug})).status_code == 200
    )
