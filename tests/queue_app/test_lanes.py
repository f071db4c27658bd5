"""The lane registry is the one list of moments; every other list must agree with it."""

from demo.seed import MOMENT_WEIGHTS, PATIENT_WORDS
from escalation import triage
from notes import checker
from queue_app import lanes
from templates_lib.default_playbook import DEFAULT_MOMENTS


def test_there_are_fifteen_lanes_and_two_playbook_only_moments():
    assert len(set(lanes.LANES)) == 15
    assert lanes.PLAYBOOK_MOMENTS[15:] == ("bilingual_intake", "service_recovery")


def test_every_moment_has_an_english_and_a_spanish_label():
    for key in lanes.PLAYBOOK_MOMENTS:
        assert set(lanes.LABELS[key]) == {"en", "es"}
    assert lanes.label("cancel", "es") == "Cancelación de cita"
    assert lanes.label("a_practice_moment") == "a_practice_moment"


def test_required_elements_follow_the_data_readme():
    assert lanes.required_elements("missed_call_callback") == (
        "request",
        "contact_attempt",
        "promised_follow_up",
        "escalation_status",
    )
    assert lanes.required_elements("no_show_recovery") == lanes.NOTE_ELEMENTS
    assert "contact_attempt" not in lanes.required_elements("billing_question")
    for key in lanes.LANES:
        assert set(lanes.required_elements(key)) <= set(lanes.NOTE_ELEMENTS)


def test_triage_and_the_note_checker_speak_the_registry_lanes():
    assert tuple(triage.LANES) == lanes.LANES
    assert tuple(checker.LANES) == lanes.LANES
    for key in lanes.LANES:
        assert checker.required_elements(key) == lanes.required_elements(key)


def test_the_default_playbook_and_the_demo_cover_every_moment():
    assert [moment["key"] for moment in DEFAULT_MOMENTS] == list(lanes.PLAYBOOK_MOMENTS)
    for moment in DEFAULT_MOMENTS:
        assert moment["name"] == lanes.LABELS[moment["key"]]
    assert set(MOMENT_WEIGHTS) == set(PATIENT_WORDS) == set(lanes.PLAYBOOK_MOMENTS)
