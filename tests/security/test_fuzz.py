"""Property-based fuzzing of the inputs: no server error, no partial write, a clear answer."""

from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from twilio.request_validator import RequestValidator

from queue_app.lanes import NOTE_ELEMENTS
from queue_app.models import Message, PracticeNumber, Role, WebhookEvent
from templates_lib.rendering import MissingValueError, render, validate_template
from tests import factories
from tests.security.helpers import verified_client

pytestmark = pytest.mark.django_db
FUZZ = hypothesis_settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=400)


@pytest.mark.slow
@FUZZ
@given(
    body=text,
    sender=st.text(max_size=30),
    extra=st.dictionaries(
        st.from_regex(r"[A-Z][A-Za-z0-9]{0,11}", fullmatch=True), st.text(max_size=40), max_size=5
    ),
)
def test_signed_inbound_sms_with_any_content_never_errors(
    client,
    practice_a,
    fake_twilio,
    body,
    sender,
    extra,
):
    to = PracticeNumber.objects.filter(practice=practice_a).first().number
    params = {
        **extra,
        "MessageSid": f"SM{abs(hash((body, sender))):032d}"[:34],
        "From": sender,
        "To": to,
        "Body": body,
    }
    url = settings.BASE_URL + reverse("twilio:sms")
    signature = RequestValidator(settings.TWILIO_AUTH_TOKEN).compute_signature(url, params)
    events_before = WebhookEvent.objects.count()
    response = client.post(
        reverse("twilio:sms"),
        urlencode(params),
        content_type="application/x-www-form-urlencoded",
        HTTP_X_TWILIO_SIGNATURE=signature,
    )
    assert response.status_code in (200, 400)
    assert WebhookEvent.objects.count() - events_before in (0, 1)


@pytest.mark.slow
@FUZZ
@given(
    fields=st.dictionaries(
        st.sampled_from(
            [
                *NOTE_ELEMENTS,
                "free_text",
                "language",
                "follow_up_at",
            ]
        ),
        text,
        max_size=9,
    )
)
def test_the_note_form_answers_any_input_without_a_server_error(practice_a, patient, fields):
    assistant = factories.make_user(f"fz-{abs(hash(str(fields)))}", practice_a, Role.ASSISTANT)
    item = factories.make_item(practice_a, patient=patient, owner=assistant, status="assigned")
    response = verified_client(assistant).post(
        reverse("notes:item-notes", kwargs={"code": item.code}), fields
    )
    assert response.status_code in (200, 302)
    assert Message.objects.filter(item=item).count() == 0


@hypothesis_settings(max_examples=300, deadline=None)
@given(
    body=text,
    values=st.dictionaries(
        st.sampled_from(["first_name", "practice_name", "provider_name", "next_update"]),
        text,
        max_size=4,
    ),
)
def test_the_renderer_either_renders_without_braces_or_refuses_clearly(body, values):
    problems = validate_template(body)
    if problems:
        assert all(p.message for p in problems)
        return
    try:
        rendered = render(body, values)
    except MissingValueError as error:
        assert error.names
        return
    assert "{" not in rendered and "}" not in rendered
