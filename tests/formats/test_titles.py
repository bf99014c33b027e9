"""The title grammar (tasks/formats/titles.py) on real titles of podcast and video pages: which form reads
each, and what it finds. Titles are quoted from ../shared/training, ../shared/corpus and public show pages."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tasks.formats.titles import read_title, split_people

CASES = [
    # (title, form, show, number, hosts, guests, people)
    ("Ep17. Welcome Jensen Huang | BG2 w/ Bill Gurley & Brad Gerstner", "show_with_hosts", "BG2", "17",
     ("Bill Gurley", "Brad Gerstner"), ("Jensen Huang",), ()),
    ("Sam Altman: OpenAI, GPT-5, Sora, Board Saga, Elon Musk, Ilya, Power & AGI | Lex Fridman Podcast #419",
     "guest_colon_show", "Lex Fridman Podcast", "419", ("Lex Fridman",), ("Sam Altman",), ()),
    ("Go Time #100: Rob Pike and Robert Griesemer", "show_number_guest", "Go Time", "100", (),
     ("Rob Pike", "Robert Griesemer"), ()),
    ("Practical AI #219 with Rajiv Shah", "show_number_guest", "Practical AI", "219", (), ("Rajiv Shah",), ()),
    ("Hamilton Morris interviews Ethan Nadelmann", "host_interviews_guest", None, None, ("Hamilton Morris",),
     ("Ethan Nadelmann",), ()),
    ("The ultimate guide to founder-led sales | Jen Abel (co-founder of JJELLYFISH)", "topic_people", None, None,
     (), (), ("Jen Abel",)),
    ("Making time for what matters | Jake Knapp and John Zeratsky (Authors of Make Time)", "topic_people", None,
     None, (), (), ("Jake Knapp", "John Zeratsky")),
    ("Why securing AI is harder than anyone expected and guardrails are failing | HackAPrompt CEO Sander Schulhoff",
     "topic_people", None, None, (), (), ("Sander Schulhoff",)),
    ("Why Rick Rubin Loves Pro Wrestling | Rick Rubin & Dr. Andrew Huberman", "topic_people", None, None, (), (),
     ("Rick Rubin", "Dr. Andrew Huberman")),
    ("Gokul Rajaram on designing your product development process, when and how to hire your first PM",
     "guest_on_topic", None, None, (), ("Gokul Rajaram",), ()),
    ("Bogleheads University 101 2024 Key Portfolio Mistakes to Avoid with Allan Roth", "with_guest", None, None,
     (), ("Allan Roth",), ()),
    ("Late Night Sessions ft. Jane Doe", "featuring", None, None, (), ("Jane Doe",), ()),
    # real titles of bench/data/title_people.tsv (the forms written after reading them)
    ("What's next for AI agents ft. LangChain's Harrison Chase", "featuring", None, None, (), ("Harrison Chase",),
     ()),
    ("Open sourcing the AI ecosystem ft. Arthur Mensch of Mistral AI and Matt Miller", "featuring", None, None, (),
     ("Arthur Mensch", "Matt Miller"), ()),
    ("Why Google failed to make GPT-3 -- with David Luan of Adept", "with_guest", None, None, (), ("David Luan",),
     ()),
    ("Bogleheads® on Investing Podcast 050: Craig Lazzara on active versus passive funds, host Rick Ferri",
     "show_number_guest", "Bogleheads® on Investing Podcast", "050", ("Rick Ferri",), ("Craig Lazzara",), ()),
    ("Bogleheads® on Investing Podcast 045: Nick Gendron, Josh Barrickman on Total Bond Market Index Funds",
     "show_number_guest", "Bogleheads® on Investing Podcast", "045", (), ("Nick Gendron", "Josh Barrickman"), ()),
    ("Bogleheads® 2022 Conference – Burton Malkiel in Conversation with Rick Ferri", "dash_parts", None, None, (),
     (), ("Burton Malkiel", "Rick Ferri")),
    ("Bogleheads® 2022 Conference –Nick Maggiulli on “Just Keep Buying”", "dash_parts", None, None, (), (),
     ("Nick Maggiulli",)),
    ("Bogleheads® 2022 Conference – Joel Dickson and Paulo Costa from Vanguard", "dash_parts", None, None, (), (),
     ("Joel Dickson", "Paulo Costa")),
    # titles that name nobody
    ("Reckoning with Personal Failure", None, None, None, (), (), ()),
    ("Altman Out: Reasons, Reactions and the Repercussions for the Industry", None, None, None, (), (), ()),
    ("Google Gemini: AlphaGo-GPT?", None, None, None, (), (), ()),
    ("Berean Community Church: Wednesday Night Bible Study | Titus 1:7-9", None, None, None, (), (), ()),
    ("Cogito v1 Outperforms Llama 4 | Full Tutorial with LM Studio and LiteLLM", None, None, None, (), (), ()),
    ("How Startups Win | Full Episode", None, None, None, (), (), ()),
    ("Sleep | Huberman Lab Podcast", None, None, None, (), (), ()),
    ("The Changelog #267", None, "The Changelog", "267", (), (), ()),
]  # fmt: skip


@pytest.mark.parametrize(("title", "form", "show", "number", "hosts", "guests", "people"), CASES)
def test_each_form_reads_its_title(title, form, show, number, hosts, guests, people) -> None:
    facts = read_title(title)
    assert (facts.form, facts.show, facts.episode_number) == (form, show, number)
    assert (facts.hosts, facts.guests, facts.people) == (hosts, guests, people)


def test_show_and_channel_words_are_never_people() -> None:
    assert split_people("Startup School & Y Combinator") == []
    assert split_people("Huberman Lab Podcast") == []
    assert split_people("Bill Gurley & Brad Gerstner") == ["Bill Gurley", "Brad Gerstner"]


@given(st.text(max_size=200))
def test_any_text_reads_without_error_and_names_come_from_it(title: str) -> None:
    facts = read_title(title)
    for name in (*facts.hosts, *facts.guests, *facts.people):
        assert name.split()[-1] in title


def test_the_grammar_reads_the_speakers_of_real_titles_and_almost_nothing_else() -> None:
    # bench/data/title_people.tsv: 413 real titles labelled by hand (bench/eval_titles.py). The grammar read
    # 18% of their speakers (precision 79%) before its forms were extended while reading them; in-sample
    # now, so this guards against regressions only. The held-out figures are in the README.
    from bench.eval_titles import SETS, load_titles, score

    overall = score(load_titles(SETS["development"]))["overall"]
    assert overall["titles"] == 413 and overall["speakers"] >= 100
    assert overall["precision"] >= 0.95 and overall["recall"] >= 0.8
