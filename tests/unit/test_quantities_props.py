"""Properties of the number rules: each holds for every number said in the same phrasing, not only the one in a
hand-picked sentence of tests/unit/test_quantities.py."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tasks.quantities import quantities


def _said(sentence: str) -> list[tuple[str, float, float, str]]:
    return [(q.surface, q.value_low, q.value_high, q.unit) for q in quantities(sentence)]


@given(st.sampled_from(["Llama", "Gemini", "Windows", "Beluga", "GPT", "S&P"]), st.integers(1, 999))
def test_a_number_after_a_name_inside_a_sentence_names_it(name: str, n: int) -> None:
    assert _said(f"We compared it with {name} {n} yesterday.") == []


@given(st.sampled_from(["episode", "chapter", "number", "step", "version", "page"]), st.integers(1, 999))
def test_a_number_after_a_labelling_noun_names_an_item(noun: str, n: int) -> None:
    assert _said(f"This is {noun} {n}, I think.") == []
    assert _said(f"It was #{n} on the list.") == []


@given(st.integers(1, 12), st.integers(0, 59), st.sampled_from(["", " AM", " pm"]))
def test_a_time_of_day_is_no_count(hour: int, minute: int, meridiem: str) -> None:
    assert _said(f"I get up at {hour}:{minute:02d}{meridiem} now every day.") == []
    assert _said(f"Then from 6 to {hour}{meridiem or ' PM'} I was working on it.") == []


@given(st.integers(200, 999), st.integers(200, 999), st.integers(1000, 9999))
def test_a_phone_number_is_no_count(area: int, exchange: int, line: int) -> None:
    assert _said(f"Call us at 1-{area}-{exchange}-{line} today.") == []
    assert _said(f"Call us at ({area}) {exchange}-{line} today.") == []


@given(st.integers(1, 110))
def test_a_number_said_of_a_person_is_an_age(age: int) -> None:
    assert _said(f"And I met these guys when I was {age}.") == [(str(age), age, age, "age_years")]
    assert _said(f"My dad died at the age of {age}.") == [(str(age), age, age, "age_years")]
    assert _said(f"His {age}-year-old uncle built it.") == [(f"{age}-year-old", age, age, "age_years")]


@given(st.integers(10, 99))
def test_two_digits_after_a_month_of_or_an_apostrophe_are_a_year(yy: int) -> None:
    year = 2000 + yy if yy < 30 else 1900 + yy
    assert _said(f"The forecast at that dinner in January of {yy} was bold.") == [(str(yy), year, year, "year")]
    assert _said(f"So I actually wrote about it back in '{yy}.") == [(str(yy), year, year, "year")]


@given(st.integers(1, 9))
def test_a_decade_is_its_first_year_or_age(tens: int) -> None:
    year = 2000 + 10 * tens if 10 * tens < 30 else 1900 + 10 * tens
    assert _said(f"If you look at the '{tens}0s, growth was slow.") == [(f"'{tens}0s", year, year, "year")]
    assert _said(f"She is in her {tens}0s now.") == [(f"{tens}0s", 10 * tens, 10 * tens, "age_years")]


@given(st.integers(1, 99))
def test_a_split_of_a_whole_is_its_first_part_in_percent(part: int) -> None:
    assert _said(f"It is a {part}/{100 - part} split.") == [(f"{part}/{100 - part}", part, part, "percent")]


@given(st.integers(1, 30), st.integers(1, 4))
def test_consecutive_numbers_listed_before_a_unit_are_a_range(first: int, more: int) -> None:
    listed = ", ".join(str(first + k) for k in range(more + 1))
    assert _said(f"It took {listed} years to build.") == [(f"{listed} years", first, first + more, "duration_years")]
