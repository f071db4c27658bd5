import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from templates_lib.segments import (
    GSM7_EXTENSION,
    MAX_BODY_CHARS,
    SEGMENT_BITS,
    UDH_BITS,
    _graphemes,
    _is_gsm7,
    _utf16_len,
    count_segments,
)

# The four reference vectors of Twilio's message-segment-calculator (tests/index.test.js),
# with its messageSize in bits turned into units (7 bits per septet, 16 per UCS-2 unit).
TWILIO_VECTORS = [
    (
        "{23456789012345678901234567890123456789012345678901234567890123456789012345678901234"
        "567890123456789012345678901234567890123456789012345678901234567890123456789",
        "GSM-7",
        1,
        1120 // 7,
    ),
    (
        "{23456789012345678901234567890123456789012345678901234567890123456789012345678901234"
        "5678901234567890123456789012345678901234567890123456789012345678901234567890",
        "GSM-7",
        2,
        1127 // 7,
    ),
    (
        "😜23456789012345678901234567890123456789012345678901234567890123456789",
        "UCS-2",
        1,
        1120 // 16,
    ),
    (
        "😜234567890123456789012345678901234567890123456789012345678901234567890",
        "UCS-2",
        2,
        1136 // 16,
    ),
]


@pytest.mark.parametrize(("body", "encoding", "segments", "units"), TWILIO_VECTORS)
def test_it_matches_twilio_reference_vectors(
    body: str, encoding: str, segments: int, units: int
) -> None:
    info = count_segments(body)
    assert (info.encoding, info.segments, info.units) == (encoding, segments, units)


@pytest.mark.parametrize(
    ("body", "segments"),
    [
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        ("a" * 153 * 10, 10),
        ("a" * (153 * 10 + 1), 11),
    ],
)
def test_gsm7_segments_hold_160_then_153_septets(body: str, segments: int) -> None:
    info = count_segments(body)
    assert info.encoding == "GSM-7"
    assert info.segments == segments


@pytest.mark.parametrize(
    ("body", "segments"),
    [("á" * 70, 1), ("á" * 71, 2), ("á" * 134, 2), ("á" * 135, 3)],
)
def test_ucs2_segments_hold_70_then_67_units(body: str, segments: int) -> None:
    info = count_segments(body)
    assert info.encoding == "UCS-2"
    assert info.segments == segments


def test_spanish_n_tilde_and_e_acute_stay_gsm7() -> None:
    info = count_segments("Mañana, José. ¿Señor Peña? ¡Él también!")
    assert info.encoding == "GSM-7"
    assert info.non_gsm_chars == ()


@pytest.mark.parametrize("char", ["á", "í", "ó", "ú", "Á", "’", "“", "”", "😜", "ç"])
def test_a_single_non_gsm_char_forces_ucs2_and_is_named(char: str) -> None:
    info = count_segments(f"Hola {char} amigo")
    assert info.encoding == "UCS-2"
    assert info.non_gsm_chars == (char,)


def test_non_gsm_chars_are_distinct_in_order_of_appearance() -> None:
    assert count_segments("ó á ó ’ á").non_gsm_chars == ("ó", "á", "’")


@pytest.mark.parametrize("char", sorted(GSM7_EXTENSION))
def test_extension_chars_count_two_septets(char: str) -> None:
    info = count_segments(f"a{char}b")
    assert info.encoding == "GSM-7"
    assert info.units == 4


def test_euro_fills_one_segment_at_80_and_spills_at_81() -> None:
    assert count_segments("€" * 80).segments == 1
    assert count_segments("€" * 81).segments == 2
    assert count_segments("€" * 81).units == 162


def test_an_escape_sequence_is_never_split_across_segments() -> None:
    # 306 septets would fit 2 segments if the ESC and its character could be parted.
    info = count_segments("a" * 152 + "{" + "a" * 152)
    assert info.units == 306
    assert info.segments == 3


def test_a_surrogate_pair_is_never_split_across_segments() -> None:
    info = count_segments("á" * 66 + "😜" + "á" * 66)
    assert info.units == 134
    assert info.segments == 3


def test_an_emoji_counts_two_utf16_units() -> None:
    info = count_segments("😜")
    assert (info.encoding, info.units, info.segments) == ("UCS-2", 2, 1)


def test_gsm_chars_in_a_ucs2_message_count_one_unit_each() -> None:
    assert count_segments("{€}ó").units == 4


def test_an_emoji_zwj_sequence_is_one_character() -> None:
    family = "👨\u200d👩\u200d👧"
    info = count_segments(f"a{family}b")
    assert info.non_gsm_chars == (family,)
    assert info.units == 10


def test_crlf_is_two_gsm7_characters() -> None:
    info = count_segments("Hi\r\nthere")
    assert (info.encoding, info.units) == ("GSM-7", 9)


def test_an_empty_body_is_one_empty_segment() -> None:
    info = count_segments("")
    assert (info.encoding, info.units, info.segments) == ("GSM-7", 0, 1)


def test_twilio_body_limit_is_1600_characters() -> None:
    assert MAX_BODY_CHARS == 1600


def _reference_segment_count(body: str) -> int:
    """A literal port of the calculator's _buildSegments and Segment.addHeader."""
    graphemes = _graphemes(body)
    ucs2 = not all(_is_gsm7(g) for g in graphemes)
    if ucs2:
        sizes = [16 if _is_gsm7(g) else 16 * _utf16_len(g) for g in graphemes]
    else:
        sizes = [14 if g in GSM7_EXTENSION else 7 for g in graphemes]
    segments: list[list[int]] = [[]]
    for bits in sizes:
        if SEGMENT_BITS - sum(segments[-1]) < bits:
            previous = segments[-1]
            segments.append([UDH_BITS])
            if len(segments) == 2:
                previous.insert(0, UDH_BITS)
                moved: list[int] = []
                while SEGMENT_BITS - sum(previous) < 0:
                    moved.insert(0, previous.pop())
                segments[-1].extend(moved)
        segments[-1].append(bits)
    return len(segments)


SMS_ALPHABET = st.sampled_from(
    list("abcXYZ019 .,?!\n@$_")
    + list("{}[]~|^\\€\f")
    + list("ñéÉ¿¡")
    + list("áíóú’“”")
    + ["😜", "👍🏽", "🇲🇽"]
)


@settings(max_examples=400)
@given(st.lists(SMS_ALPHABET, max_size=500).map("".join))
def test_segment_count_matches_the_calculator_algorithm(body: str) -> None:
    assert count_segments(body).segments == _reference_segment_count(body)


@settings(max_examples=300)
@given(st.text(max_size=400))
def test_units_and_segments_are_consistent(body: str) -> None:
    info = count_segments(body)
    assert info.segments >= 1
    if info.encoding == "GSM-7":
        assert info.units == len(body) + sum(char in GSM7_EXTENSION for char in body)
        assert info.non_gsm_chars == ()
        single, multi = 160, 153
    else:
        assert info.units == _utf16_len(body)
        assert info.non_gsm_chars
        single, multi = 70, 67
    if info.units <= single:
        assert info.segments == 1
    else:
        assert info.segments >= math.ceil(info.units / multi)
