"""Keywords: normalised forms, phrases over their words, general vocabulary out, and every keyword a
spelling the text really uses."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from tasks.english import zipf
from tasks.keywords import MAX_WORD_ZIPF, STOPWORDS, keywords
from tests.conftest import REFERENCE


def _episode(text: str, **kw) -> list[str]:
    return [k for k, _ in keywords([text], **kw)[1]]


def test_a_plural_folds_into_the_singular_the_text_also_says() -> None:
    text = "AIs are everywhere. Every AI needs GPUs. One GPU is not enough. AI again, GPUs again, glasses, glasses."
    found = _episode(text)
    assert "AI" in found and "GPU" in found and "glasses" in found
    assert not {"AIs", "ais", "GPUs", "gpus"} & set(found)


def test_a_keyword_is_shown_as_written_away_from_the_start_of_a_sentence() -> None:
    text = "Inference is hard. We run inference daily. Cheap inference wins. We like PyTorch and pytorch and PyTorch."
    found = _episode(text)
    assert "inference" in found and "PyTorch" in found


def test_a_phrase_takes_the_place_of_the_words_it_is_made_of() -> None:
    text = "Moore's law slowed. Everyone quotes Moore's law. Is Moore's law dead? The law of Moore's law."
    found = _episode(text)
    assert "Moore's law" in found
    assert not {"law", "Moore", "Moore's"} & set(found)


def test_possessives_fold_into_the_name() -> None:
    found = _episode("NVIDIA's chips. We love NVIDIA. NVIDIA's moat is wide. NVIDIA ships.")
    assert "NVIDIA" in found and "NVIDIA's" not in found


def test_general_vocabulary_and_fillers_are_never_keywords() -> None:
    text = "Um, you know, the company did better. The company is fine. Basically, um, better and better. " * 3
    found = _episode(text)
    assert not {"company", "better", "um", "basically"} & {k.lower() for k in found}


def test_phrases_do_not_cross_a_clause_or_a_turn() -> None:
    text = "We need inference. Chips win. - inference, chips. Inference; chips."
    assert not [k for k in _episode(text) if " " in k]


def test_chapter_keywords_favour_what_only_that_chapter_says() -> None:
    shared = "Transformers everywhere, transformers again. "
    chapters = [shared + "Tokenizers and tokenizers.", shared + "Quantization and quantization."]
    per_chapter, _ = keywords(chapters)
    assert per_chapter[0][0][0].lower() == "tokenizers"
    assert per_chapter[1][0][0].lower() == "quantization"


def test_reference_page_keywords_are_words_a_person_would_pick() -> None:
    text = REFERENCE.read_text(encoding="utf-8")
    found = _episode(text)
    assert {"AI", "NVIDIA", "inference", "GPU"} <= set(found)
    assert "ais" not in {k.lower() for k in found}


_VOCABULARY = [
    "GPUs", "GPU", "inference", "Inference", "PyTorch", "the", "and", "um", "company", "Moore's", "law",
    "chips", "chip", "quantization", "model", "models", "NVIDIA's", "NVIDIA", "data", "center",
]  # fmt: skip
_TEXTS = st.lists(
    st.lists(st.sampled_from(_VOCABULARY), min_size=1, max_size=12).map(" ".join).map(lambda s: s + "."),
    min_size=1,
    max_size=30,
).map(" ".join)


@given(st.lists(_TEXTS, min_size=1, max_size=4))
def test_every_keyword_is_a_spelling_the_text_uses_and_ranks_are_ordered(chapters: list[str]) -> None:
    per_chapter, whole = keywords(chapters, top_n=5)
    text = " ".join(chapters)
    for ranked in [*per_chapter, whole]:
        assert len(ranked) <= 5
        assert [s for _, s in ranked] == sorted((s for _, s in ranked), reverse=True)
        assert len({k.lower() for k, _ in ranked}) == len(ranked)
        for keyword, score in ranked:
            assert score > 0
            assert re.search(rf"(?<![\w']){re.escape(keyword)}(?![\w])", text), keyword
            words = keyword.lower().split()
            assert words[0] not in STOPWORDS and words[-1] not in STOPWORDS
            assert len(words) > 1 or zipf(words[0].removesuffix("'s")) < MAX_WORD_ZIPF
    assert keywords(chapters, top_n=5) == (per_chapter, whole)
