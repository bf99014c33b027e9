"""Numbers said, on the phrasings real pages use (the figures on hand-checked pages are in
bench/results/eval_quantities.json)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tasks.quantities import quantities


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("They did 26 billion of revenue last year.", [("26 billion", 26e9, 26e9, "usd")]),
        ("We raised 100 million from them.", [("100 million", 1e8, 1e8, "usd")]),
        ("It has 250 million weekly users.", [("250 million", 2.5e8, 2.5e8, "count")]),
        ("It is two or three times faster.", [("two or three times", 2, 3, "x")]),
        ("That is a factor of four.", [("a factor of four", 4, 4, "x")]),
        ("He ran twice as fast.", [("twice", 2, 2, "x")]),
        ("It was three to four years ago.", [("three to four years", 3, 4, "duration_years")]),
        ("I have three kids and one dog.", [("three", 3, 3, "count")]),
        ("We work 24/7 on it.", []),
        ("That was a couple of days.", []),
        ("GPT-4 came out in 2023.", [("2023", 2023, 2023, "year")]),
        ("It was six and a half billion dollars.", [("six and a half billion dollars", 6.5e9, 6.5e9, "usd")]),
        ("We expect 2 1/2 to 3% growth.", [("2 1/2 to 3%", 2.5, 3, "percent")]),
        ("About three hundred and forty two people came.", [("three hundred and forty two", 342, 342, "count")]),
        ("Twenty-five percent of people agree.", [("Twenty-five percent", 25, 25, "percent")]),
        ("It reached half a million people.", [("half a million", 5e5, 5e5, "count")]),
    ],
)
def test_numbers_people_say(sentence: str, expected: list[tuple[str, float, float, str]]) -> None:
    assert [(q.surface, q.value_low, q.value_high, q.unit) for q in quantities(sentence)] == expected


Found = list[tuple[str, float, float, str]]


def _said(sentence: str) -> Found:
    return [(q.surface, round(q.value_low, 4), round(q.value_high, 4), q.unit) for q in quantities(sentence)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # a number after a capitalised name inside a sentence, or after an acronym, names a model or an index
        ("Here, for example, is Stable Beluga 2, which on announcement was called Free Willy 2.", []),
        ("And so our model, Nemotron 340B is the best model in the world for reward systems.", []),
        ("Had I invested in Jack Bogle's S&P 500 Index Fund, how much more money would I have?", []),
        ("Apparently iXGPT beats GPT 3.5, the original ChatGPT, but not GPT 4.", []),
        ("GPT 4 is as good as it gets.", []),
        ("It's a bit like the Commons Clause, or License Zero.", []),
        ("In January 2024 we shipped the release.", [("2024", 2024, 2024, "year")]),
        # a labelling noun before a number, or "#", names an item
        ("This is episode 207.", []),
        ("Number two, it is under-celebrated the amount of technology that is dedicated to it.", []),
        ("I think it's #18, or #19 or something.", []),
        ("Did you get to see the recap video that we played on day two?", []),
        ("So if you type two letters, it might suggest the rest.", [("two", 2, 2, "count")]),
        # codes and titles
        ("You should max out your 401(k) before anything else.", []),
        ("I used to teach coding bootcamp-style web development 101, and getting people set up and running.", []),
        ("About 101 people came to the meetup.", [("101", 101, 101, "count")]),
        ("And in a scene reminiscent of 2001 A Space Odyssey, Robotic Transformer 2 was given the task.", []),
        ("I basically only need one T-shirt.", []),
    ],
)
def test_names_labels_and_codes_are_no_count(sentence: str, expected: Found) -> None:
    assert _said(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("They get me up in the morning too at 6:30 AM, 6 AM, that's a separate story.", []),
        ("Now, five o'clock comes around and my focus is on the kids.", []),
        ("Call the hotline at 1-800-555-1234 before noon.", []),
        ("It could be anywhere from 100-1000 people.", [("100-1000", 100, 1000, "count")]),
        # the day of a date is left out, as its ordinal is
        ("So between Feb 3 and Feb 10, we've had about 310 active pull requests.", [("310", 310, 310, "count")]),
        ("It's going to be in November 11 and 12, with possibly a workshop on the first day.", []),
        (
            "Stocks fell 35% in 33 days between February 19th and March 23rd, 2020.",
            [("35%", 35, 35, "percent"), ("33 days", 33, 33, "duration_days"), ("2020", 2020, 2020, "year")],
        ),
    ],
)
def test_times_of_day_phone_numbers_and_days_are_no_count(sentence: str, expected: Found) -> None:
    assert _said(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "The forecast for NVIDIA at that dinner in January of 23 was that you would do 26 billion of revenue.",
            [("23", 2023, 2023, "year"), ("26 billion", 26e9, 26e9, "usd")],
        ),
        (
            "We got so excited in November 22 because we had folks like Mustafa from Inflection.",
            [("22", 2022, 2022, "year")],
        ),
        ("So I actually wrote about it back in '22.", [("22", 2022, 2022, "year")]),
        ("You know, I think about the start of 23 when we were having dinner.", [("23", 2023, 2023, "year")]),
        (
            "If you look at the '90s, our productivity growth in the United States was about 2 1/2 to 3% a year, okay?",
            [("'90s", 1990, 1990, "year"), ("2 1/2 to 3%", 2.5, 3, "percent")],
        ),
        (
            "And then in the 2000s, it slowed down to about 1.8%.",
            [("2000s", 2000, 2000, "year"), ("1.8%", 1.8, 1.8, "percent")],
        ),
        (
            "Back in the 80s and 90s the laws were very different.",
            [("80s", 1980, 1980, "year"), ("90s", 1990, 1990, "year")],
        ),
        ("The thermometer read in the high 90s all week.", []),
    ],
)
def test_two_digit_years_and_decades_are_years(sentence: str, expected: Found) -> None:
    assert _said(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "I too have a client in his 90s who's over 90% stocks.",
            [("90s", 90, 90, "age_years"), ("90%", 90, 90, "percent")],
        ),
        (
            "You start in your mid-20s or late 20s and you know hundreds of people.",
            [("20s", 20, 20, "age_years"), ("20s", 20, 20, "age_years")],
        ),
        (
            "Now I'm 36, so 10 years fast-forward.",
            [("36", 36, 36, "age_years"), ("10 years", 10, 10, "duration_years")],
        ),
        ("My dad died of a massive heart attack at the age of 58.", [("58", 58, 58, "age_years")]),
        ("She plans to retire at 65 and travel.", [("65", 65, 65, "age_years")]),
        ("He tweeted about how his 11-year-old girl built an app in Replit.", [("11-year-old", 11, 11, "age_years")]),
        ("I was 14 or 15 years old at the time in high school.", [("14 or 15 years old", 14, 15, "age_years")]),
        ("When you're 3,000, the gravity is very different.", [("3,000", 3000, 3000, "count")]),
    ],
)
def test_ages(sentence: str, expected: Found) -> None:
    assert _said(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("So a third of the placement fee goes to the non-profit.", [("a third", 0.3333, 0.3333, "fraction")]),
        ("I'd probably have gone to maybe two thirds since then.", [("two thirds", 0.6667, 0.6667, "fraction")]),
        (
            "I would say three quarters of the team was working purely on the open source side.",
            [("three quarters", 0.75, 0.75, "fraction")],
        ),
        ("We had a third option on the table.", []),
        ("Revenue grew in each of the last three quarters.", [("three", 3, 3, "count")]),
        (
            "Let's say, if 50/50 is your allocation to stocks, 6% tolerance, 6 percentage points.",
            [("50/50", 50, 50, "percent"), ("6%", 6, 6, "percent"), ("6 percentage points", 6, 6, "percent")],
        ),
    ],
)
def test_fractions_and_splits(sentence: str, expected: Found) -> None:
    assert _said(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("If you look at our company slides, not one day does this company talk about market share.", []),
        ("Then maybe one or two more people joined.", []),
        ("I think our worlds overlap, but aren't one to one.", []),
        ("Zero.", [("Zero", 0, 0, "count")]),
        (
            "When you think about a company that had zero revenue, zero weekly average users 22 months ago.",
            [("zero", 0, 0, "count"), ("zero", 0, 0, "count"), ("22 months", 22, 22, "duration_months")],
        ),
        ("We were at ground zero of creating the 3D gaming PC market.", []),
        ("The model does zero-shot classification.", []),
        ("Sometimes zero to one is not the hard part.", []),
        ("Companies went from zero to 800 million in a year.", [("800 million", 8e8, 8e8, "count")]),
    ],
)
def test_one_and_zero_said_as_no_count(sentence: str, expected: Found) -> None:
    assert _said(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "But also, are we already at the age of clusters of 200 and 300,000 GPUs?",
            [("200 and 300,000", 2e5, 3e5, "count")],
        ),
        (
            "So each rack of servers, which is roughly between 30 and 40 servers, costs $250,000.",
            [("30 and 40", 30, 40, "count"), ("$250,000", 250000, 250000, "usd")],
        ),
        (
            "It's not such that you're only dependent on a world where there's a 500,000 or a million GPU cluster.",
            [("500,000", 5e5, 5e5, "count"), ("a million", 1e6, 1e6, "count")],
        ),
        (
            "The Hopper architecture is two, three, four times better than when they bought it.",
            [("two, three, four times", 2, 4, "x")],
        ),
        ("Hopefully you're going to be that in two, three years.", [("two, three years", 2, 3, "duration_years")]),
        ("Is this a question about the last hour and a half?", [("hour and a half", 1.5, 1.5, "duration_hours")]),
    ],
)
def test_ranges_lists_and_alternatives(sentence: str, expected: Found) -> None:
    assert _said(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Would I be pitching trying to sell you a one-year subscription to my newsletter at $199 a year?",
            [("one-year", 1, 1, "duration_years"), ("$199", 199, 199, "usd")],
        ),
        (
            "At one point somebody told you the company would never be worth more than a billion.",
            [("a billion", 1e9, 1e9, "usd")],
        ),
        ("D is right. Almost a million dollar mistake.", [("a million dollar", 1e6, 1e6, "usd")]),
        ("Trillion dollars worth of infrastructure.", [("Trillion dollars", 1e12, 1e12, "usd")]),
        (
            "Reports are that they'll do 5 billion-ish of revenue or run rate revenue this year.",
            [("5 billion", 5e9, 5e9, "usd")],
        ),
        (
            "So I bought 10 ounces of gold at $684 an ounce.",
            [("10 ounces", 10, 10, "ounces"), ("$684", 684, 684, "usd")],
        ),
    ],
)
def test_units_and_money(sentence: str, expected: Found) -> None:
    assert _said(sentence) == expected


@given(st.text(max_size=300))
def test_every_quantity_is_a_span_of_its_sentence_with_an_ordered_range(text: str) -> None:
    found = quantities(text)
    assert [q.start for q in found] == sorted(q.start for q in found)
    for q in found:
        assert text[q.start : q.end] == q.surface and q.value_low <= q.value_high
