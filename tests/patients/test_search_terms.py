"""How typed text is read into search terms (no database)."""

from datetime import date
from uuid import UUID

import pytest

from queue_app.search_terms import parse_query, reference

TODAY = date(2026, 12, 7)


def read(text: str, region: str = "US"):
    return parse_query(text, region=region, today=TODAY)


@pytest.mark.parametrize(
    "typed",
    [
        "3/14/1961",
        "03/14/1961",
        "1961-03-14",
        "14/03/1961",
        "3-14-1961",
        "14.03.1961",
        "3/14/61",
        "March 14 1961",
        "march 14, 1961",
        "Mar. 14th 1961",
        "14 March 1961",
        "14 de marzo de 1961",
    ],
)
def test_dates_in_the_formats_staff_type(typed):
    terms = read(typed)
    assert terms.dates == ((date(1961, 3, 14),),)
    assert terms.words == () and terms.phones == () and terms.notes == ()


def test_a_day_and_month_both_under_13_are_both_read_and_it_says_so():
    terms = read("03/04/1961")
    assert terms.dates == ((date(1961, 3, 4), date(1961, 4, 3)),)
    assert terms.notes == ("03/04/1961 can be 4 March 1961 or 3 April 1961: both are searched.",)


def test_an_impossible_date_matches_nobody_and_says_why():
    terms = read("13/13/1961")
    assert terms.dates == ((),)
    assert "13/13/1961 is not a date" in terms.notes[0]


def test_a_two_digit_year_is_never_in_the_future():
    assert read("1/20/30").dates == ((date(1930, 1, 20),),)
    assert read("1/20/05").dates == ((date(2005, 1, 20),),)


@pytest.mark.parametrize(
    "typed", ["(555) 123-4567", "555-123-4567", "555.123.4567", "+1 555 123 4567", "5551234567"]
)
def test_phones_in_any_format(typed):
    assert read(typed).phones == ("+15551234567",)


def test_a_phone_without_country_code_is_read_in_the_practices_country():
    assert read("020 7946 0958", region="GB").phones == ("+442079460958",)


def test_name_date_and_phone_combine():
    terms = read("Gómez 3/14/1961 (555) 123-4567")
    assert [w.folded for w in terms.words] == ["gomez"]
    assert terms.dates == ((date(1961, 3, 14),),)
    assert terms.phones == ("+15551234567",)


def test_a_word_keeps_what_was_typed_for_the_mrn():
    (word,) = read("MRN-1001").words
    assert (word.folded, word.typed, word.code) == ("mrn-1001", "MRN-1001", None)


def test_an_item_reference_and_a_full_code():
    code = UUID("ab12cd34-5678-4abc-9def-0123456789ab")
    (word,) = read(reference(code)).words
    assert word.code[0] <= code <= word.code[1]
    assert read(str(code)).codes == ((code, code),)


def test_single_letters_are_not_searched():
    assert read("a b").empty
