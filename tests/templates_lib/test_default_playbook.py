"""The default playbook ships complete, lint-clean, bilingual moments (no database needed)."""

import ast
import json
import re
from pathlib import Path

import pytest

from notes.checker import check_note
from queue_app import lanes
from queue_app.lanes import NOTE_ELEMENTS
from templates_lib import default_playbook as playbook
from templates_lib.default_playbook import (
    ALLOWED_PLACEHOLDERS,
    DEFAULT_MOMENTS,
    RHYTHM_BLOCKS,
    ROUTES,
    VERIFICATION_FIELDS,
)
from templates_lib.lint import has_errors, lint_template
from templates_lib.rendering import PLACEHOLDERS, validate_template

EXPECTED_KEYS = list(lanes.PLAYBOOK_MOMENTS)
MOMENT_KEYS_IN_ORDER = [
    "key",
    "name",
    "likely_question",
    "verification_fields",
    "verification_checks",
    "note_elements",
    "note_example",
    "escalation_point",
    "escalation_route",
    "allowed_channels",
    "live_call_required",
    "consent_required_channels",
    "first_response_minutes",
    "rhythm_block",
    "delegated",
    "templates",
]
BILINGUAL_TEXT_FIELDS = (
    "name",
    "likely_question",
    "verification_checks",
    "note_example",
    "escalation_point",
)
STANDARD_NOTE = {
    "request",
    "verified_details",
    "action_taken",
    "promised_follow_up",
    "escalation_status",
}
REMINDERS = {
    "appointment_time_question": ("confirmation_request", "reminder"),
    "telehealth_prep": ("telehealth_link",),
    "form_reminder": ("form_reminder",),
    "missed_call_callback": ("callback_fallback",),
}
VOICEMAIL_MOMENTS = ("missed_call_callback", "no_show_recovery", "service_recovery")
BRACE_TOKEN = re.compile(r"\{[^{}]*\}|[{}]")

ALL_TEMPLATES = [
    pytest.param(
        moment["key"],
        template,
        id=f"{moment['key']}-{template['purpose']}-{template['channel']}-{template['language']}",
    )
    for moment in DEFAULT_MOMENTS
    for template in moment["templates"]
]


def by_key(key):
    return next(moment for moment in DEFAULT_MOMENTS if moment["key"] == key)


def templates_of(moment, purpose):
    return {(t["language"], t["channel"]) for t in moment["templates"] if t["purpose"] == purpose}


def test_all_seventeen_moments_in_order():
    assert [moment["key"] for moment in DEFAULT_MOMENTS] == EXPECTED_KEYS


def test_every_moment_has_the_documented_keys_in_order():
    for moment in DEFAULT_MOMENTS:
        assert list(moment) == MOMENT_KEYS_IN_ORDER, moment["key"]


def test_bilingual_text_fields_are_filled_in_both_languages():
    for moment in DEFAULT_MOMENTS:
        for field in BILINGUAL_TEXT_FIELDS:
            assert set(moment[field]) == {"en", "es"}, (moment["key"], field)
            assert all(text.strip() for text in moment[field].values()), (moment["key"], field)


def test_moment_settings_use_the_shared_vocabularies():
    for moment in DEFAULT_MOMENTS:
        key = moment["key"]
        assert moment["verification_fields"], key
        assert set(moment["verification_fields"]) <= set(VERIFICATION_FIELDS), key
        assert set(moment["note_elements"]) <= set(NOTE_ELEMENTS), key
        assert moment["escalation_route"] in ROUTES, key
        assert moment["rhythm_block"] in RHYTHM_BLOCKS, key
        assert set(moment["allowed_channels"]) <= {"sms", "portal", "voice"}, key
        assert set(moment["consent_required_channels"]) <= set(moment["allowed_channels"]), key
        assert isinstance(moment["first_response_minutes"], int), key
        assert moment["first_response_minutes"] > 0, key
        assert isinstance(moment["live_call_required"], bool), key
        assert isinstance(moment["delegated"], bool), key
        for template in moment["templates"]:
            assert template["channel"] in moment["allowed_channels"], key


def test_note_standards_follow_the_lane_rules():
    assert by_key("missed_call_callback")["note_elements"] == [
        "request",
        "contact_attempt",
        "promised_follow_up",
        "escalation_status",
    ]
    assert set(by_key("no_show_recovery")["note_elements"]) == set(NOTE_ELEMENTS)
    for moment in DEFAULT_MOMENTS:
        if moment["key"] in ("missed_call_callback", "no_show_recovery", "service_recovery"):
            continue
        if moment["key"] == "bilingual_intake":
            assert set(moment["note_elements"]) >= STANDARD_NOTE
            continue
        assert set(moment["note_elements"]) == STANDARD_NOTE, moment["key"]
    recovery = set(by_key("service_recovery")["note_elements"])
    assert {"escalation_status", "promised_follow_up"} <= recovery


def test_default_routes_and_live_calls():
    assert by_key("service_recovery")["escalation_route"] == "complaints"
    assert by_key("bilingual_intake")["escalation_route"] == "interpreter"
    assert by_key("billing_question")["escalation_route"] == "billing"
    assert by_key("service_recovery")["live_call_required"] is True


def test_urgent_callbacks_are_faster_than_document_follow_up():
    minutes = {moment["key"]: moment["first_response_minutes"] for moment in DEFAULT_MOMENTS}
    assert minutes["telehealth_connection_problem"] < minutes["appointment_request"]
    assert minutes["missed_call_callback"] < minutes["insurance_document"]
    assert minutes["appointment_request"] < minutes["records_request"]


def test_every_moment_has_first_responses_in_both_languages_for_sms_and_portal():
    wanted = {(lang, channel) for lang in ("en", "es") for channel in ("sms", "portal")}
    for moment in DEFAULT_MOMENTS:
        assert wanted <= templates_of(moment, "first_response"), moment["key"]


def test_voicemail_scripts_exist_where_calls_are_made():
    for key in VOICEMAIL_MOMENTS:
        assert templates_of(by_key(key), "voicemail_script") == {("en", "voice"), ("es", "voice")}


def test_reminder_templates_sit_on_their_moments():
    for key, purposes in REMINDERS.items():
        for purpose in purposes:
            assert templates_of(by_key(key), purpose) == {("en", "sms"), ("es", "sms")}, purpose


def test_each_language_channel_purpose_appears_once_per_moment():
    for moment in DEFAULT_MOMENTS:
        combos = [(t["language"], t["channel"], t["purpose"]) for t in moment["templates"]]
        assert len(combos) == len(set(combos)), moment["key"]


@pytest.mark.parametrize(("key", "template"), ALL_TEMPLATES)
def test_template_uses_only_allowed_placeholders(key, template):
    tokens = BRACE_TOKEN.findall(template["body"])
    assert {token[1:-1] for token in tokens} <= set(ALLOWED_PLACEHOLDERS), tokens
    assert all(len(token) > 2 for token in tokens), tokens
    assert validate_template(template["body"]) == []


def test_allowed_placeholders_match_the_renderer():
    assert set(ALLOWED_PLACEHOLDERS) == set(PLACEHOLDERS)


@pytest.mark.parametrize(("key", "template"), ALL_TEMPLATES)
def test_template_lints_without_errors(key, template):
    issues = lint_template(
        template["body"],
        language=template["language"],
        channel=template["channel"],
        purpose=template["purpose"],
    )
    assert not has_errors(issues), [(i.rule, i.message) for i in issues]


def test_reminders_name_the_practice_and_its_number():
    for key, purposes in REMINDERS.items():
        for template in by_key(key)["templates"]:
            if template["purpose"] in purposes:
                assert "{practice_name}" in template["body"], (key, template["purpose"])
                assert "{practice_phone}" in template["body"], (key, template["purpose"])


def test_confirmation_request_asks_for_c_or_r_and_no_opt_out_word():
    for template in by_key("appointment_time_question")["templates"]:
        if template["purpose"] != "confirmation_request":
            continue
        body = template["body"]
        assert re.search(r"\bC\b", body) and re.search(r"\bR\b", body), body
        for word in ("CANCEL", "STOP", "END", "QUIT", "CANCELAR", "UNSUBSCRIBE"):
            assert not re.search(rf"\b{word}\b", body, re.IGNORECASE), (word, body)


def test_missing_items_moments_name_what_is_missing():
    for key in ("form_reminder", "insurance_document", "bilingual_intake"):
        for template in by_key(key)["templates"]:
            if template["purpose"] in ("first_response", "form_reminder"):
                assert "{missing_items}" in template["body"], (key, template["language"])


@pytest.mark.parametrize("key", EXPECTED_KEYS)
@pytest.mark.parametrize("language", ["en", "es"])
def test_note_example_is_actionable(key, language):
    moment = by_key(key)
    verdict = check_note(
        moment["note_example"][language],
        key,
        required=tuple(moment["note_elements"]),
        language=language,
    )
    assert verdict.label == "actionable", verdict.missing


def _imports(path: Path) -> set[str]:
    imported = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module or "")
    return imported


def test_playbook_module_is_pure_standard_library():
    # The lane registry is pure Python too, so the playbook still loads without Django.
    assert _imports(Path(playbook.__file__)) <= {"__future__", "json", "pathlib", "queue_app.lanes"}
    assert _imports(Path(lanes.__file__)) <= {"__future__", "enum"}


def _copy_playbook(tmp_path: Path) -> Path:
    for path in playbook.DATA_DIR.glob("*.json"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    return tmp_path


def test_the_playbook_is_read_from_one_data_file_per_moment():
    files = sorted(path.stem for path in playbook.DATA_DIR.glob("*.json"))
    assert files == sorted(lanes.PLAYBOOK_MOMENTS)
    assert playbook.load_moments() == DEFAULT_MOMENTS


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda data: data.pop("escalation_point"), "lacks ['escalation_point']"),
        (lambda data: data.update(rhythm_block="night"), "moment.rhythm_block has unknown"),
        (lambda data: data.update(first_response_minutes="soon"), "positive whole number"),
        (lambda data: data["likely_question"].pop("es"), "must give the text in en, es"),
        (lambda data: data["templates"][0].update(channel="fax"), "template 1.channel"),
    ],
)
def test_a_malformed_file_is_refused_naming_the_file_and_field(tmp_path, change, message):
    directory = _copy_playbook(tmp_path)
    path = directory / "cancel.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(playbook.PlaybookError, match=re.escape(message)) as refused:
        playbook.load_moments(directory)
    assert str(refused.value).startswith("cancel.json: ")


def test_a_file_for_an_unknown_moment_is_refused(tmp_path):
    directory = _copy_playbook(tmp_path)
    (directory / "walk_in.json").write_text("{}", encoding="utf-8")
    with pytest.raises(playbook.PlaybookError, match="walk_in"):
        playbook.load_moments(directory)
