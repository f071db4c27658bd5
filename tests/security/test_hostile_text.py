"""Patient-supplied text is data: escaped on every page that shows it, never executed."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from escalation import services as escalation_services
from queue_app.models import Role
from tests import factories
from tests.security.helpers import verified_client

pytestmark = pytest.mark.django_db

BASE_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    '"><script>alert(document.cookie)</script>',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="java\nscript:alert(1)">x</a>',
    '<div hx-get="/logout/" hx-trigger="load">x</div>',
    '<div hx-post="/items/" hx-trigger="load">x</div>',
    '<button hx-on:click="alert(1)">x</button>',
    '<div data-hx-get="/logout/" data-hx-trigger="load">x</div>',
    "<iframe src=javascript:alert(1)>",
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<style>*{display:none}</style>",
    "{{ request.user.password }}",
    "{% debug %}",
    "{first_name}{0.__class__}",
    '=HYPERLINK("http://evil.example")',
    "line1\r\nSet-Cookie: x=1",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
]
# Case and quoting variants bring the corpus past 60 strings.
PAYLOADS = (
    BASE_PAYLOADS
    + [p.upper() for p in BASE_PAYLOADS]
    + [p.replace("alert(1)", "fetch('/x')") for p in BASE_PAYLOADS]
)
DANGEROUS = (
    "<script",
    "<img",
    "<svg",
    "<iframe",
    "<body",
    "<details",
    "<style",
    'hx-get="/logout',
    "hx-on:",
    "data-hx-get",
    "<math",
    '<a href="javascript',
)


def unescaped(body: str, payload: str) -> bool:
    return payload in body and any(marker in payload.lower() for marker in DANGEROUS)


def test_the_corpus_is_large_enough():
    assert len(PAYLOADS) >= 60


@pytest.mark.slow
def test_hostile_text_is_escaped_on_every_page_that_shows_it(practice_a):
    now = timezone.now()
    assistant = factories.make_user("assistant-x", practice_a, Role.ASSISTANT, ["en", "es"])
    manager = factories.make_user("manager-x", practice_a, Role.MANAGER)
    client = verified_client(assistant)
    manager_client = verified_client(manager)
    items = []
    for n, payload in enumerate(PAYLOADS):
        patient = factories.make_patient(
            practice_a, first_name=payload[:80], last_name=f"Hostile{n}"
        )
        item = factories.make_item(
            practice_a, patient=patient, patient_words=payload, needed_from_patient=payload[:200]
        )
        factories.make_message(item, body=payload, status="sent", created=now)
        items.append(item)
    escalation_services.escalate_item(
        item=items[0], route_kind="clinical", reason=PAYLOADS[1], now=now, actor=assistant
    )
    pages = [
        (client, reverse("queue:queue") + "?scope=all&block=all"),
        (client, reverse("queue:outbox")),
        (manager_client, reverse("escalation:inbox")),
    ]
    for item in items[:25]:
        pages += [
            (client, reverse("queue:item", kwargs={"code": item.code})),
            (client, reverse("notes:item-notes", kwargs={"code": item.code})),
            (client, reverse("escalation:item-panel", kwargs={"code": item.code})),
        ]
    for page_client, url in pages:
        response = page_client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert not [p for p in PAYLOADS if unescaped(body, p)], url


def test_patient_text_containing_a_placeholder_is_not_expanded_in_a_send(practice_a):
    now = timezone.now()
    patient = factories.make_patient(practice_a, first_name="{practice_phone}")
    factories.make_appointment(patient, provider_name="{first_name}")
    item = factories.make_item(
        practice_a, patient=patient, needed_from_patient="{first_name} {0.__class__}"
    )
    from templates_lib.services import approved_template, render_for_item

    template = approved_template(moment=item.moment, language="en", channel="sms")
    body = render_for_item(template=template, item=item, now=now + timedelta(minutes=1))
    assert "{" not in body and "}" not in body
