"""bench/caption_turns.py: truth and features on a tiny WebVTT file, and the loader on the real captions."""

from __future__ import annotations

import math

import numpy as np
import pytest

from bench.caption_turns import DATA, FEATURES, best_threshold, features, load_episodes, read_cues, truth, turn_lengths

VTT = """WEBVTT

00:00:00.000 --> 00:00:02.000
<v Host>How does it work?

00:00:02.500 --> 00:00:03.000
<v Guest>Yeah.

00:00:03.000 --> 00:00:06.000
<v Guest>So it starts with a parser,

00:00:06.100 --> 00:00:08.000
<v Guest>and then it runs.

00:00:09.000 --> 00:00:10.000
No voice here.
"""


def test_truth_and_turns() -> None:
    cues, dropped = read_cues(VTT)
    assert dropped == 1
    assert [(c.start, c.end, c.voice) for c in cues] == [
        (0.0, 2.0, "Host"),
        (2.5, 3.0, "Guest"),
        (3.0, 6.0, "Guest"),
        (6.1, 8.0, "Guest"),
    ]
    assert truth(cues).tolist() == [1.0, 0.0, 0.0]
    assert turn_lengths(cues) == [1, 3]


def test_features() -> None:
    cues, _ = read_cues(VTT)
    x = features(cues)
    assert x.shape == (3, len(FEATURES))
    rows = [dict(zip(FEATURES, r, strict=True)) for r in x]
    first = {k: rows[0][k] for k in ("gap", "prev_q", "prev_tag_q", "prev_asks_you", "prev_sent_end")}
    assert first == {"gap": 0.5, "prev_q": 1.0, "prev_tag_q": 0.0, "prev_asks_you": 1.0, "prev_sent_end": 1.0}
    opening = ("cur_opener", "q_then_opener", "cur_bc", "cur_short", "cur_lower", "cur_cont")
    assert [rows[0][k] for k in opening] == [1.0, 1.0, 1.0, 1.0, 0.0, 0.0]
    # gaps 0.5, 0.0, 0.1: the episode median is 0.1
    assert rows[0]["log_gap"] == pytest.approx(math.log(0.55))
    assert rows[0]["log_gap_rel"] == pytest.approx(math.log(0.55 / 0.15))
    assert rows[0]["log_gap_after"] == pytest.approx(math.log(0.05))
    assert rows[0]["log_prev_dur"] == pytest.approx(math.log(2.0))
    assert rows[0]["log_prev_words"] == pytest.approx(math.log(5))
    assert rows[0]["rate_change"] == pytest.approx(abs(math.log(2 / 0.5) - math.log(5 / 2)))
    assert (rows[1]["prev_bc"], rows[1]["cur_opener"], rows[1]["q_then_opener"], rows[1]["gap"]) == (1, 1, 0, 0)
    assert (rows[2]["prev_comma"], rows[2]["prev_sent_end"], rows[2]["cur_lower"], rows[2]["cur_cont"]) == (1, 0, 1, 1)
    assert np.isfinite(x[:, FEATURES.index("text_model")]).all()


def test_best_threshold() -> None:
    s, y = np.array([0.9, 0.8, 0.7, 0.1]), np.array([1.0, 1.0, 0.0, 0.0])
    assert best_threshold(s, y) == 0.8
    assert best_threshold(s, y, precision=0.9) == math.inf  # fewer than five predictions never qualify


def test_loader_on_real_captions() -> None:
    if not DATA.is_dir():
        pytest.skip("../shared/training/speakers is not available")
    episodes = load_episodes()
    assert len(episodes) == 12
    assert all(len({c.voice for c in cues}) >= 2 for cues in episodes.values())
