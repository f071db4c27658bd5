import pytest

from templates_lib.lint import LintIssue, has_errors, lint_template

RECEIVED_PART = "thanks for your message to {practice_name}. We received your request and "
GOOD_EN = (
    f"Hi {{first_name}}, {RECEIVED_PART}are checking the earliest available times. Nothing "
    "needed from you right now. We will text you {next_update}."
)
GOOD_ES = (
    "Hola {first_name}, recibimos su solicitud de cita en {practice_name}. Estamos revisando "
    "los primeros horarios disponibles. No necesita hacer nada por ahora. Le escribiremos "
    "{next_update}."
)
GOOD_EN_PORTAL = (
    "Hi {first_name}, we got your message about your referral. We're looking into whether "
    "the specialist’s office has the paperwork. Could you tell us the name of the office? "
    "You’ll hear from us by 3 PM today."
)
GOOD_ES_PORTAL = (
    "Hola {first_name}, gracias por su mensaje sobre su referido. Estamos verificando si el "
    "especialista ya recibió los documentos. ¿Nos puede decir el nombre de la oficina? Le "
    "daremos una respuesta hoy antes de las 3 p. m."
)
REMINDER_EN = (
    "{practice_name}: reminder for {first_name}, {appointment_date} at {appointment_time}. "
    "Reply C to confirm. Call {practice_phone} to change."
)


def lint(body: str, *, language: str = "en", channel: str = "sms", purpose: str = "follow_up"):
    return lint_template(body, language=language, channel=channel, purpose=purpose)


def rules(issues: list[LintIssue]) -> list[str]:
    return [issue.rule for issue in issues]


@pytest.mark.parametrize(
    ("body", "language", "channel"),
    [
        (GOOD_EN, "en", "sms"),
        (GOOD_ES, "es", "sms"),
        (GOOD_EN_PORTAL, "en", "portal"),
        (GOOD_ES_PORTAL, "es", "portal"),
        (GOOD_EN, "en", "voice"),
    ],
)
def test_a_good_first_response_passes(body: str, language: str, channel: str) -> None:
    assert lint(body, language=language, channel=channel, purpose="first_response") == []


def test_a_good_reminder_passes() -> None:
    assert lint(REMINDER_EN, purpose="reminder") == []


@pytest.mark.parametrize(
    ("removed", "part"),
    [
        (RECEIVED_PART, "what was received"),
        ("are checking the earliest available times", "what is being checked"),
        ("Nothing needed from you right now. ", "what is needed from the patient"),
        (" {next_update}", "when the next update comes"),
    ],
)
def test_a_first_response_missing_a_part_names_it(removed: str, part: str) -> None:
    body = GOOD_EN.replace(removed, "")
    assert body != GOOD_EN
    issues = lint(body, purpose="first_response")
    assert [(i.rule, i.severity) for i in issues] == [("four_parts", "error")]
    assert part in issues[0].message


def test_a_spanish_first_response_missing_parts_fails() -> None:
    issues = lint(
        "Hola {first_name}, le escribiremos hoy.", language="es", purpose="first_response"
    )
    assert rules(issues) == ["four_parts"] * 3
    assert "when the next update" not in " ".join(issue.message for issue in issues)


def test_four_parts_apply_only_to_first_responses() -> None:
    assert lint("Hi {first_name}, thanks!", channel="portal", purpose="follow_up") == []


@pytest.mark.parametrize(
    ("body", "language"),
    [
        ("Good news: your insurance will cover the visit.", "en"),
        ("The MRI is covered.", "en"),
        ("It was approved by your insurance.", "en"),
        ("Authorization is guaranteed.", "en"),
        ("You should take two tablets.", "en"),
        ("Please stop taking it until the visit.", "en"),
        ("It’s nothing serious.", "en"),
        ("That swelling is normal.", "en"),
        ("We guarantee a call back.", "en"),
        ("We will call you definitely today.", "en"),
        ("Su seguro cubrirá la consulta.", "es"),
        ("Su seguro cubre la visita.", "es"),
        ("Está garantizado.", "es"),
        ("Debe tomar dos pastillas.", "es"),
        ("No es grave.", "es"),
        ("Le llamamos hoy sin falta.", "es"),
    ],
)
def test_forbidden_promises_are_errors(body: str, language: str) -> None:
    issues = lint(body, language=language, channel="portal")
    assert "forbidden_promise" in rules(issues)
    assert has_errors(issues)


@pytest.mark.parametrize(
    "body",
    [
        "Reply CANCEL to cancel your appointment",
        "reply cancel to cancel your appointment",
        "Reply C to confirm or CANCEL to cancel.",
        "Reply C to confirm or 'cancel' to cancel.",
        "Text END when you are done.",
        "Reply STOP to cancel your visit.",
        "Reply QUIT to leave the waitlist.",
        "Responda CANCELAR para cancelar su cita.",
        "Responda BAJA para quitar su cita.",
        "Envíe PARAR para reprogramar.",
    ],
)
def test_opt_out_words_used_as_reply_commands_are_errors(body: str) -> None:
    issues = lint(body)
    assert "opt_out_command" in rules(issues)
    assert has_errors(issues)


@pytest.mark.parametrize(
    "body",
    [
        "Reply STOP to opt out.",
        "Reply STOP to OPT OUT.",
        'Text "STOP" to unsubscribe.',
        "Reply STOP to stop receiving texts.",
        "Responda STOP para no recibir más mensajes.",
        "Responda BAJA para darse de baja.",
        "Please call us to cancel or stop by the front desk.",
        "Responda C para confirmar.",
    ],
)
def test_the_standard_opt_out_notice_and_ordinary_words_are_allowed(body: str) -> None:
    assert "opt_out_command" not in rules(lint(body))


def test_opt_out_words_are_only_checked_on_sms() -> None:
    assert lint("Reply CANCEL to cancel your appointment", channel="portal") == []


@pytest.mark.parametrize(
    ("body", "language"),
    [
        ("Your test results are in.", "en"),
        ("Your diagnosis is ready.", "en"),
        ("Your lab values came back.", "en"),
        ("The test was negative.", "en"),
        ("Pick up your metformin.", "en"),
        ("Take 20 mg.", "en"),
        ("Confirm your date of birth.", "en"),
        ("Your member ID ends in 42.", "en"),
        ("Sus resultados están listos.", "es"),
        ("Su diagnóstico está listo.", "es"),
        ("La prueba salió positiva.", "es"),
        ("Confirme su fecha de nacimiento.", "es"),
        ("Su número de póliza es 42.", "es"),
    ],
)
def test_sensitive_details_are_errors_on_sms(body: str, language: str) -> None:
    issues = lint(body, language=language)
    assert "sms_sensitive" in rules(issues)
    assert has_errors(issues)


def test_sensitive_details_are_allowed_on_the_portal() -> None:
    assert lint("Your test results are in the portal.", channel="portal") == []


def test_as_a_result_is_not_a_result() -> None:
    assert lint("As a result, your visit moved. Como resultado, su cita cambió.") == []


def test_sms_over_two_segments_warns_with_count_and_encoding() -> None:
    body = "Hi {first_name}. " + "Thanks for waiting. " * 20
    [issue] = lint(body)
    assert (issue.rule, issue.severity) == ("sms_length", "warning")
    assert "3 segments (GSM-7" in issue.message


def test_a_stray_accent_forcing_ucs2_is_named() -> None:
    body = "Hi {first_name}, your visit is confirmed. See you soon at {location}. " * 2
    assert lint(body) == []
    [issue] = lint(body.replace("soon", "pronto, gracias por la información"))
    assert "UCS-2" in issue.message
    assert "'ó'" in issue.message


def test_sms_over_the_twilio_limit_is_an_error() -> None:
    issues = lint("Thanks. " * 201)
    assert ("sms_length", "error") in [(i.rule, i.severity) for i in issues]
    assert "21617" in " ".join(i.message for i in issues)


@pytest.mark.parametrize(
    "purpose", ["confirmation_request", "reminder", "telehealth_link", "form_reminder"]
)
def test_sms_reminders_must_name_the_practice_and_a_callback_number(purpose: str) -> None:
    issues = lint("Hi {first_name}, see you {appointment_date}.", purpose=purpose)
    messages = [i.message for i in issues if i.rule == "reminder_identity"]
    assert len(messages) == 2
    assert "{practice_name}" in messages[0] and "{practice_phone}" in messages[1]


def test_reminder_identity_does_not_apply_to_other_purposes() -> None:
    assert lint("Hi {first_name}, see you {appointment_date}.", purpose="follow_up") == []


def test_a_reminder_over_one_segment_warns_about_the_exempt_budget() -> None:
    body = REMINDER_EN + " Bring your photo ID and insurance card, and arrive 15 min early."
    issues = lint(body, purpose="reminder")
    assert rules(issues) == ["length_budget_exempt"]
    assert issues[0].severity == "warning"
    assert "2 segments" in issues[0].message


def test_an_accent_in_a_spanish_reminder_breaks_the_one_segment_budget() -> None:
    body = (
        "{practice_name}: recordatorio de su cita {appointment_date}, {appointment_time}. "
        "Responda C para confirmar. Más info: {practice_phone}"
    )
    [issue] = lint(body, language="es", purpose="confirmation_request")
    assert issue.rule == "length_budget_exempt"
    assert "'á'" in issue.message


def test_long_sentences_warn_about_reading_level() -> None:
    body = (
        "We wanted to let you know that the front desk team has your note and the team will "
        "get back to you about it as soon as the team has had a chance to look at it closely."
    )
    issues = lint(body, channel="portal")
    assert rules(issues) == ["reading_level"]
    assert "average 38 words" in issues[0].message


@pytest.mark.parametrize(
    ("body", "language"),
    [
        (
            "The administrative coordination department is evaluating the comprehensive "
            "documentation associated with your authorization application.",
            "en",
        ),
        (
            "El departamento administrativo está evaluando la documentación complementaria "
            "asociada con su autorización correspondiente.",
            "es",
        ),
    ],
)
def test_many_long_words_warn_about_reading_level(body: str, language: str) -> None:
    issues = lint(body, language=language, channel="portal")
    assert rules(issues) == ["reading_level"]
    assert "4 or more syllables" in issues[0].message


def test_placeholder_problems_are_lint_errors() -> None:
    issues = lint("Hi {first_name},\n{0.__class__}", channel="portal")
    assert [(i.rule, i.severity) for i in issues] == [("placeholders", "error")]
    assert issues[0].message.startswith("Line 2: ")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"language": "fr", "channel": "sms", "purpose": "reminder"},
        {"language": "en", "channel": "fax", "purpose": "reminder"},
        {"language": "en", "channel": "sms", "purpose": "telehealth_prep"},
    ],
)
def test_unknown_language_channel_or_purpose_is_refused(kwargs: dict[str, str]) -> None:
    with pytest.raises(ValueError):
        lint_template("Hi", **kwargs)


def test_has_errors_ignores_warnings() -> None:
    assert not has_errors([LintIssue("reading_level", "warning", "long")])
    assert has_errors([LintIssue("reading_level", "warning", "x"), LintIssue("a", "error", "y")])


def rules_of(body, language="en", channel="sms", purpose="follow_up"):
    return {
        i.rule for i in lint_template(body, language=language, channel=channel, purpose=purpose)
    }


@pytest.mark.parametrize(
    "link", ["bit.ly/3xYz", "https://bit.ly/3xYz", "tinyurl.com/abc", "http://t.co/x1"]
)
def test_a_link_shortener_is_refused(link):
    body = f"Hi {{first_name}}, please fill in the form here: {link} Thanks, {{practice_name}}."
    assert "links" in rules_of(body)
    assert has_errors(lint_template(body, language="en", channel="sms", purpose="follow_up"))


def test_the_practices_own_https_link_passes_the_link_rule():
    body = "Hi {first_name}, the form is at https://lakeside.example.org/forms/intake today."
    assert "links" not in rules_of(body)


def test_a_doubled_period_is_refused_but_an_ellipsis_is_not():
    assert "punctuation" in rules_of("Hola {first_name}, le llamamos antes de las 10:00 a. m..")
    assert "punctuation" not in rules_of("Hi {first_name}, one moment... we are checking.")
