"""The time model's parameters: the speaking-time model, the error bound and chapter placement.

Values live in ``tasks/params/alignment.json`` with their source. They were set by hand while reading
``bench/eval_times.py`` on the timed corpus files, so figures on those files are in-sample.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from tasks.params import ParamSet, param


@dataclass(frozen=True, slots=True)
class AlignParams(ParamSet):
    FILE: ClassVar[str] = "alignment"

    # --- speaking-time model (word-equivalents: words plus pauses)
    default_rate: float = param("word-equivalents a second where nothing measures the rate (~155 wpm + pauses)")
    sentence_pause_words: float = param("a sentence boundary is a breath, worth this many words of time")
    turn_pause_words: float = param("a change of speaker is a longer gap than a sentence boundary")
    backchannel_word_share: float = param("a back-channel overlaps speech: its words and pause cost this share")
    repeat_sentence_s: float = param("seconds a sentence repeated from just before takes (a Whisper loop: one segment)")
    repeat_lookback: int = param("a sentence counts as repeated if one of this many before it has the same words")
    repeat_min_words: int = param("...and has at least this many words (a repeated 'Right.' is speech)")
    nonspeech_tag_s: float = param("seconds a tag of non-speech ((upbeat music), (applause), ♪ ... ♪) takes")
    sung_word_s: float = param("seconds a sung word of a tagged lyric line takes (songs are slower than talk)")
    rate_prior_s: float = param("seconds of pseudo-speech at the default rate that a measured rate is shrunk to")
    # --- error bound
    bridge_k: float = param("spread of rate wander between two anchors: bridge_k * sqrt(seconds)")
    rate_error: float = param("relative error of a measured rate, beyond the last anchor")
    unmeasured_rate_error: float = param("relative error of the default rate when no two anchors measure one")
    tail_rate_z: float = param("how many posterior spreads of the chapter rate the tail's error allows")
    anchor_floor_s: float = param("coarse truth of a sentence start near an anchor (caption cues, whole seconds)")
    start_anchor_error_factor: float = param("speech assumed to start at 0 s is this many floors unsure")
    known_end_walk_factor: float = param("with a known length, the walk after the last anchor is capped at this")
    bound_scale: float = param(
        "an estimated time's stated error is its bound times this (calibrated on held-out pages)"
    )
    # --- chapter placement: the speech between anchors dt seconds apart is a random walk
    rate_wander_q: float = param("variance of the speech between anchors per second of time (s^2/s)")
    rate_prior_sd: float = param("log-normal spread of the speaking-rate prior around the default rate")
    last_chapter_max_share: float = param("the last chapter lasts up to this share of the mean chapter")
    last_chapter_sd_share: float = param("softness of that limit, as a share of the mean chapter")
    rate_grid_step: float = param("log step of the speaking rates tried")
    max_rates: int = param("at most this many rates are tried")
    known_length_rate_spread: float = param("with a known length, rates within this share of words/length")
    rate_grid_margin: float = param("the rate grid reaches this share beyond its bounds on either side")
    max_rate_overshoot: float = param("the fastest rate tried may exceed the plausible maximum by this factor")
    search_sd: float = param("a chapter is looked for within this many spreads of where its time falls")
    min_half_window_s: float = param("...but at least this many seconds of speech either side")
    max_half_window_s: float = param("...and at most this many")
    turn_start_bonus: float = param("log-score of a chapter starting at a turn start")
    question_turn_bonus: float = param("more if the turn follows or asks a question (a host moving on)")
    topic_opener_bonus: float = param("log-score of a chapter starting at a topic opener ('Now, ...', 'Next up', ...)")
    title_weight: float = param("log-score per title word (times its idf) said soon after a sentence")
    title_before_share: float = param("share of that lost if the word was said just before (topic starts later)")
    title_window_s: float = param("seconds of speech after a chapter start in which its title words count")
    title_decay_share: float = param("how fast a title word's weight fades, as a share of the window")
    idf_block: int = param("sentences per block when counting in how many parts of the text a word occurs")
    confidence_window_s: float = param("a chapter's confidence is the posterior mass within this many seconds")
    placement_cover: float = param("a chapter's error is the distance holding this share of the posterior")
    unconfirmed_placement_error_s: float = param("error of a chapter the model could not place at all")
    unconfirmed_placement_confidence: float = param("confidence of such a chapter")
