"""`manage.py lint_templates`: CI holds every approved template to the playbook's own lint."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from templates_lib.models import ResponseTemplate
from tests import factories


def run(*args: str) -> str:
    out = StringIO()
    call_command("lint_templates", *args, stdout=out)
    return out.getvalue()


def test_the_default_playbook_passes_its_own_lint(practice_a, practice_b):
    output = run()
    approved = ResponseTemplate.objects.filter(status="approved").count()
    assert approved > 100  # both practices' copies, in their languages
    assert f"{approved} approved template(s) linted, 0 with errors." in output


def test_it_fails_and_names_every_failure_of_a_planted_bad_template(practice_a, practice_b):
    moment = factories.moment(practice_a, "cancel")
    current = moment.templates.get(language="es", channel="sms", status="approved")
    # Planted straight through the ORM, as a bad data migration or a hand edit would.
    ResponseTemplate.objects.filter(pk=current.pk).update(
        body="Hola {first_name}. Responda CANCELAR para cancelar su cita."
    )
    out = StringIO()
    with pytest.raises(CommandError, match="1 with errors"):
        call_command("lint_templates", stdout=out)
    lines = [line.split("\t") for line in out.getvalue().splitlines()]
    assert lines, "each failure is printed"
    for fields in lines:
        assert fields[:6] == ["alpha", "cancel", "es", "sms", current.purpose, "v1"]
        assert fields[6] == "error"
    assert {fields[7] for fields in lines} >= {"opt_out_command", "four_parts"}


def test_practice_option_lints_only_that_practice(practice_a, practice_b):
    bad = factories.moment(practice_a, "cancel").templates.filter(status="approved").first()
    ResponseTemplate.objects.filter(pk=bad.pk).update(body="Reply STOP ALL {doctor}")
    output = run("--practice", practice_b.slug)
    assert "0 with errors" in output
    with pytest.raises(CommandError):
        run("--practice", practice_a.slug)


def test_drafts_and_retired_versions_are_not_held_to_it(practice_a):
    moment = factories.moment(practice_a, "cancel")
    ResponseTemplate.objects.create(
        practice=practice_a,
        moment=moment,
        language="en",
        channel="sms",
        purpose="first_response",
        version=9,
        body="reply CANCEL",
        status="draft",
        created=timezone.now(),
    )
    assert "0 with errors" in run("--practice", practice_a.slug)


def test_an_unknown_practice_is_an_error(db):
    with pytest.raises(CommandError, match="No practice"):
        run("--practice", "nowhere")
