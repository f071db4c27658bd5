import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from templates_lib.rendering import (
    LONGEST_VALUES,
    PLACEHOLDERS,
    SAMPLE_VALUES,
    MissingValueError,
    PlaceholderError,
    Problem,
    find_placeholders,
    render,
    validate_template,
)
from templates_lib.segments import count_segments


def test_the_vocabulary_has_sample_and_longest_values_for_every_name() -> None:
    assert set(SAMPLE_VALUES) == set(PLACEHOLDERS) == set(LONGEST_VALUES)
    assert all(len(LONGEST_VALUES[name]) >= len(SAMPLE_VALUES[name]) for name in PLACEHOLDERS)


def test_longest_values_are_gsm7_so_budgets_measure_the_template() -> None:
    assert count_segments(" ".join(LONGEST_VALUES.values())).encoding == "GSM-7"


def test_it_finds_placeholders_with_their_line_numbers() -> None:
    body = "Hi {first_name},\nsee you {appointment_date} at {appointment_time}.\n{dob}"
    assert find_placeholders(body) == [
        (1, "first_name"),
        (2, "appointment_date"),
        (2, "appointment_time"),
        (3, "dob"),
    ]


def test_django_style_tokens_are_not_reported_as_placeholders() -> None:
    assert find_placeholders("{{ first_name }} {{first_name}}") == []


def test_a_valid_template_has_no_problems() -> None:
    body = "Hi {first_name}, {practice_name} here.\nCall {practice_phone}. Copay is $25."
    assert validate_template(body) == []


def test_unknown_placeholder_is_reported_with_its_line_and_the_allowed_names() -> None:
    [problem] = validate_template("Hi {first_name},\nyour birthday {dob} is on file.")
    assert problem.line == 2
    assert problem.name == "dob"
    assert problem.message.startswith("Line 2: unknown placeholder {dob}; allowed: ")
    assert "{first_name}" in problem.message and "{practice_phone}" in problem.message


def test_a_misspelled_placeholder_gets_a_suggestion() -> None:
    [problem] = validate_template("Hi {First_Name}")
    assert "did you mean {first_name}?" in problem.message


@pytest.mark.parametrize(
    ("body", "name"),
    [
        ("{0.__class__}", "0.__class__"),
        ("{patient.__dict__}", "patient.__dict__"),
        ("{patient.name}", "patient.name"),
        ("{first_name!r}", "first_name!r"),
        ("{first_name:>10}", "first_name:>10"),
        ("{values[0]}", "values[0]"),
    ],
)
def test_attribute_index_and_format_placeholders_are_rejected(body: str, name: str) -> None:
    [problem] = validate_template(body)
    assert problem == Problem(line=1, name=name, message=problem.message)
    assert "plain names" in problem.message


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Hi {}", "empty placeholder"),
        ("Hi {first_name", "unbalanced '{'"),
        ("Hi first_name}", "unbalanced '}'"),
        ("Hi {{ first_name }}", "Django template syntax"),
        ("Hi {{first_name}}", "Django template syntax"),
        ("{% if first_name %}Hi{% endif %}", "Django template syntax"),
        ("Hi $first_name", "$-style"),
        ("Hi ${first_name}", "$-style"),
        ("Hi { first_name }", "unknown placeholder"),
        ("Hi {0}", "unknown placeholder"),
    ],
)
def test_malformed_placeholders_are_rejected(body: str, expected: str) -> None:
    problems = validate_template(body)
    assert problems
    assert all(problem.message.startswith("Line 1: ") for problem in problems)
    assert any(expected in problem.message for problem in problems)


def test_each_bad_token_gives_its_own_problem() -> None:
    problems = validate_template("{dob}\n{ssn} {0.__class__}")
    assert [(p.line, p.name) for p in problems] == [(1, "dob"), (2, "ssn"), (2, "0.__class__")]


def test_it_renders_allowlisted_placeholders() -> None:
    body = "Hi {first_name}, {practice_name} here. Call {practice_phone}."
    rendered = render(body, SAMPLE_VALUES)
    assert rendered == "Hi Ana, Lakeside Family Medicine here. Call (555) 555-0142."


def test_only_used_placeholders_need_values() -> None:
    assert render("Hi {first_name}", {"first_name": "Ana"}) == "Hi Ana"


@pytest.mark.parametrize("value", [None, "", "   "])
def test_a_missing_or_blank_value_is_refused(value: str | None) -> None:
    values = {"first_name": "Ana"}
    if value is not None:
        values["appointment_date"] = value
    with pytest.raises(MissingValueError) as caught:
        render("Hi {first_name}, see you {appointment_date} at {appointment_time}.", values)
    assert caught.value.names == ["appointment_date", "appointment_time"]
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize("body", ["{0.__class__}", "{patient.__dict__}", "Hi {dob}", "{{ x }}"])
def test_an_invalid_template_is_never_rendered(body: str) -> None:
    with pytest.raises(PlaceholderError) as caught:
        render(body, {**SAMPLE_VALUES, "dob": "1901-02-03", "x": "y"})
    assert caught.value.problems


def test_patient_text_containing_a_placeholder_is_not_re_expanded() -> None:
    values = {**SAMPLE_VALUES, "missing_items": "the form {first_name} {0.__class__}"}
    rendered = render("Hi {first_name}, still needed: {missing_items}", values)
    assert rendered == "Hi Ana, still needed: the form (first_name) (0.__class__)"
    assert "{" not in rendered and "}" not in rendered


@pytest.mark.slow
@settings(max_examples=200)
@given(st.dictionaries(st.sampled_from(sorted(PLACEHOLDERS)), st.text(min_size=1)))
def test_rendered_bodies_never_contain_braces(overrides: dict[str, str]) -> None:
    values = {**SAMPLE_VALUES, **overrides}
    body = " ".join("{" + name + "}" for name in PLACEHOLDERS)
    try:
        rendered = render(body, values)
    except MissingValueError:
        return
    assert "{" not in rendered and "}" not in rendered


def test_a_value_ending_in_a_period_absorbs_the_templates_period():
    from templates_lib.rendering import render

    body = "Le escribiremos {next_update}. Gracias."
    text = render(body, {"next_update": "hoy antes de las 10:00 a. m."})
    assert text == "Le escribiremos hoy antes de las 10:00 a. m. Gracias."
    assert render("By {next_update}.", {"next_update": "10 AM"}) == "By 10 AM."
