"""Evaluate estimated sentence times on real timed files with known answers.

Evaluation sets: the timed files of ../shared/corpus (VTT, SRT, Whisper JSON, whisper.cpp text,
timestamped text, Go Time's ``[MM:SS]`` paragraph stamps, Talk Python's ``HH:MM:SS`` lines, and the
two long Talk Python VTTs of edge_cases/). Each is turned into sentences (tasks.sentences) with
their true start times (the time of the sentence's first character, interpolated by characters
inside its cue; Whisper word timings exactly; Go Time only at stamped paragraphs). Then every time
is removed except chapter-like anchors: the first timed sentence at or after every 5 (or 10)
minutes, sentence 0 included.

Methods compared on the same sentences (anchor sentences themselves are not scored):

* ``wpm160``: a constant 160 words a minute from the start, no anchors;
* ``linear``: linear interpolation of time over words between anchors, 160 wpm after the last;
* ``align``: tasks.times.align with the anchors passed as partial ``given`` times (position known),
  and ``sentence_turn`` where the file has speaker turns;
* ``align_ch``: tasks.times.align with the anchors passed as chapter starts with empty titles
  (position unknown: the aligner must place them from their times, as for a podcast page);
* ``align_chd``: the same plus the true episode length as ``duration_s`` (an audio file or a page
  that states its length).

Metrics: median and 90th percentile of |estimated - true| start in seconds, and for align the share
of sentences whose true start lies within +-time_error_s (coverage of the stated bound).

Run: ``PYTHONPATH=. python bench/eval_times_anchors.py [--corpus DIR]``; writes bench/results/eval_times_anchors.json.
The real-page, held-out evaluation of the time model is ``bench/eval_times.py``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import random
import re
import sys
import time
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from tasks.sentences import sentence_spans
from tasks.times import align
from tasks.times.score import summarise

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
RESULTS = ROOT / "bench" / "results" / "eval_times_anchors.json"
STEPS_MIN = ("5", "10", "5-10")
METHODS = ("wpm160", "linear", "prop_ch", "align", "align_ch", "align_cht", "align_chn", "align_chd")
METHOD_NOTES = {
    "wpm160": "baseline: 160 words a minute from 0, no anchors",
    "linear": "baseline: linear interpolation over words between anchors whose text position is known",
    "prop_ch": "baseline for time-only chapters: one rate = words / (last chapter time + half a mean chapter)",
    "align": "align() with anchors as partial given times (text position known)",
    "align_ch": "align() with anchors as chapter start times only, empty titles (position unknown)",
    "align_cht": "align_ch plus SIMULATED titles: 2-4 of the 6 most salient (tf-idf) words of the 60-90 s of "
    "speech after the true anchor; the corpus has no real chapter titles",
    "align_chn": "align_cht with half of each title's words swapped for salient words of another chapter",
    "align_chd": "align_ch plus the true episode length as duration_s",
}

_TS = r"(?:(\d+):)?(\d{1,2}):(\d{2})(?:[.,](\d{1,3}))?"


def _seconds(h: str | None, m: str, s: str, frac: str | None = None) -> float:
    value = int(h or 0) * 3600 + int(m) * 60 + int(s)
    return value + (int(frac) / 10 ** len(frac) if frac else 0.0)


@dataclass
class Cue:
    text: str
    start: float | None  # None: no time known for this text
    end: float | None
    turn: int  # speaker turn (paragraph for speaker files; 0 when the file has no turns)


# ------------------------------------------------------------------ converters (files -> cues)


def read_vtt_srt(path: Path) -> list[Cue]:
    text = path.read_text(encoding="utf-8-sig", errors="replace").replace("\r\n", "\n")
    cues: list[Cue] = []
    arrow = re.compile(_TS + r"\s*-->\s*" + _TS)
    for block in re.split(r"\n\s*\n", text):
        lines = [ln for ln in block.strip().split("\n") if ln.strip()]
        for k, line in enumerate(lines):
            m = arrow.search(line)
            if m:
                g = m.groups()
                body = " ".join(re.sub(r"<[^>]+>", "", ln).strip() for ln in lines[k + 1 :])
                if body:
                    cues.append(Cue(body, _seconds(*g[:4]), _seconds(*g[4:]), 0))
                break
    return cues


def read_whisper_cpp(path: Path) -> list[Cue]:
    pattern = re.compile(r"^\[" + _TS + r"\s*-->\s*" + _TS + r"\]\s*(.*)$")
    cues = []
    for line in path.read_text(encoding="utf-8").splitlines():
        m = pattern.match(line.strip())
        if m and m.group(9).strip():
            g = m.groups()
            cues.append(Cue(g[8].strip(), _seconds(*g[:4]), _seconds(*g[4:8]), 0))
    return cues


def read_whisper_json(path: Path) -> list[Cue]:
    data = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(data, list):  # [[word, start, end], ...]
        return [Cue(w.strip(), float(s), float(e), 0) for w, s, e in data if w.strip()]
    cues = []
    for seg in data["segments"]:
        words = seg.get("words")
        if words:
            cues += [Cue(w["text"].strip(), float(w["start"]), float(w["end"]), 0) for w in words]
        else:
            cues.append(Cue(seg["text"].strip(), float(seg["start"]), float(seg["end"]), 0))
    return cues


def read_line_stamps(path: Path) -> list[Cue]:
    """``HH:MM:SS text`` or ``[MM:SS] text`` lines; a cue ends where the next one starts."""
    pattern = re.compile(r"^\[?" + _TS + r"\]?\s+(.*)$")
    cues: list[Cue] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        m = pattern.match(line.strip())
        if m and m.group(5).strip():
            g = m.groups()
            cues.append(Cue(g[4].strip(), _seconds(*g[:4]), None, 0))
    for a, b in itertools.pairwise(cues):
        a.end = max(b.start or 0.0, a.start or 0.0)
    if cues:
        cues[-1].end = (cues[-1].start or 0.0) + len(cues[-1].text.split()) / 2.6
    return cues


def read_go_time(path: Path) -> list[Cue]:
    """``**Name:** text`` paragraphs; some start with ``\\[MM:SS\\]``: only those are timed."""
    stamp = re.compile(r"^\\\[" + _TS + r"\\\]\s*")
    label = re.compile(r"^\*\*([^*]+?):\*\*\s*")
    cues: list[Cue] = []
    turn = -1
    for para in path.read_text(encoding="utf-8").split("\n\n"):
        para = para.strip()
        if not para:
            continue
        m = label.match(para)
        if m:
            turn += 1
            para = para[m.end() :]
        turn = max(turn, 0)
        start = None
        s = stamp.match(para)
        if s:
            start = _seconds(*s.groups())
            para = para[s.end() :]
        para = re.sub(r"\\([\[\]])", r"\1", para).strip()
        if para:
            cues.append(Cue(para, start, start, turn))
    return cues


# ------------------------------------------------------------------ cues -> sentences with truth


@dataclass
class Episode:
    name: str
    words: list[int]
    texts: list[str]
    turns: list[int]
    truth: list[float | None]
    truth_end: list[float | None]
    has_turns: bool


def to_episode(name: str, cues: list[Cue], has_turns: bool = False) -> Episode:
    words, texts, turns, truth, truth_end = [], [], [], [], []
    # One block per turn: join cue texts, remembering each cue's character span and times.
    blocks: list[list[Cue]] = []
    for cue in cues:
        if blocks and blocks[-1][-1].turn == cue.turn:
            blocks[-1].append(cue)
        else:
            blocks.append([cue])
    for block in blocks:
        text, spans = "", []
        for cue in block:
            if text:
                text += " "
            spans.append((len(text), len(text) + len(cue.text), cue))
            text += cue.text
        for a, b in sentence_spans(text):
            sentence = text[a:b]
            if not sentence.split():
                continue
            words.append(len(sentence.split()))
            texts.append(sentence)
            turns.append(block[0].turn)
            truth.append(_time_at_char(spans, a, exact_start_only=not has_turns))
            truth_end.append(_time_at_char(spans, b - 1, exact_start_only=False, end=True))
    return Episode(name, words, texts, turns, truth, truth_end, has_turns)


def _time_at_char(spans, char: int, exact_start_only: bool, end: bool = False) -> float | None:
    for lo, hi, cue in spans:
        if lo <= char < hi or (char >= hi and cue is spans[-1][2]):
            if cue.start is None:
                return None
            if cue.end is None or cue.end == cue.start:
                # Only the paragraph's first character is timed (Go Time stamps).
                return cue.start if char == lo and not end else None
            share = min(max((char - lo) / max(hi - lo, 1), 0.0), 1.0)
            return cue.start + share * (cue.end - cue.start)
        if char < lo:
            break
    return None


def load_corpus(corpus: Path) -> list[Episode]:
    episodes = []
    for p in sorted((corpus / "vtt").glob("*.vtt")) + sorted((corpus / "srt").glob("*.srt")):
        episodes.append(to_episode(f"{p.parent.name}/{p.name}", read_vtt_srt(p)))
    for p in sorted((corpus / "whisper_json").glob("*.json")):
        episodes.append(to_episode(f"whisper_json/{p.name}", read_whisper_json(p)))
    for p in sorted((corpus / "whisper_cpp_txt").glob("*.txt")):
        episodes.append(to_episode(f"whisper_cpp_txt/{p.name}", read_whisper_cpp(p)))
    for p in sorted((corpus / "timestamped_txt").glob("*")):
        episodes.append(to_episode(f"timestamped_txt/{p.name}", read_line_stamps(p)))
    go = corpus / "speaker_text" / "changelog_go-time-100.md"
    if go.exists():
        episodes.append(to_episode("speaker_text/" + go.name, read_go_time(go), has_turns=True))
    tp = corpus / "speaker_text" / "talkpython_296-f1.txt"
    if tp.exists():
        episodes.append(to_episode("speaker_text/" + tp.name, read_line_stamps(tp)))
    long_vtts = (
        "talkpython_214-Python-3-8-and-beyond.vtt",
        "talkpython_539-catching-up-with-the-python-typing-council.vtt",
    )
    for name in long_vtts:
        p = corpus / "edge_cases" / name
        if p.exists():
            episodes.append(to_episode(f"edge_cases/{name}", read_vtt_srt(p)))
    return [e for e in episodes if len(e.words) >= 2]


# ------------------------------------------------------------------ anchors and simulated titles


def anchor_indices(ep: Episode, step: str) -> list[int]:
    """Sentence 0 (time 0 if it has none), then the first timed sentence at or after every grid
    time: every 5 or 10 minutes, or (``5-10``) gaps drawn uniformly from 5 to 10 minutes, seeded by
    the file name, as real chapter lists are irregular."""
    result = [0]
    timed = [(t, i) for i, t in enumerate(ep.truth) if t is not None]
    if not timed:
        return result
    last_t = timed[-1][0]
    rng = random.Random(zlib.crc32(ep.name.encode()))
    grid, t = [], 0.0
    while True:
        t += rng.uniform(300, 600) if step == "5-10" else float(step) * 60
        if t > last_t:
            break
        grid.append(t)
    for g in grid:
        i = next((i for t, i in timed if t >= g), None)
        if i is not None and i > result[-1]:
            result.append(i)
    return result


def anchor_time(ep: Episode, i: int) -> float:
    t = ep.truth[i]
    return t if t is not None else 0.0


_TITLE_WORD = re.compile(r"[A-Za-z][A-Za-z'-]{3,}")
_TITLE_STOP = frozenset(
    """that this with have from they what there their about would which when were will your just like
    because been into than then them these some more very really think know going yeah right okay well
    mean thing things kind sort actually want people also said says could should much many even other
    here where those being doing make made does didn't don't it's that's i'm you're we're they're
    there's what's lot lots little good great sure something someone probably maybe pretty""".split()
)


def _title_tokens(text: str) -> list[str]:
    return [w.lower() for w in _TITLE_WORD.findall(text) if w.lower() not in _TITLE_STOP]


def _window(ep: Episode, i: int, seconds: float) -> range:
    """Sentences from i whose true start lies within `seconds` of sentence i's (untimed ones ride
    along with the timed sentence before them)."""
    t0, j, last = anchor_time(ep, i), i, i
    while j < len(ep.words):
        t = ep.truth[j]
        if t is not None and t - t0 > seconds:
            break
        last = j
        j += 1
    return range(i, last + 1)


def _salient(ep: Episode, sentences: range, tokens: list[list[str]], df: Counter, blocks: int) -> list[str]:
    tf = Counter(w for s in sentences for w in tokens[s])
    score = {w: c * math.log((blocks + 1) / (df[w] + 0.5)) for w, c in tf.items()}
    return sorted(score, key=lambda w: (-score[w], w))


def simulate_titles(ep: Episode, anchors: list[int], noisy: bool) -> list[str]:
    """A title per anchor: 2-4 words drawn from the 6 most salient (tf-idf of the 60-90 s of speech
    after the true anchor, against 20-sentence blocks of the whole episode). Noisy: half of them (an
    odd half rounded at random) swapped for salient words of another chapter's window."""
    rng = random.Random(zlib.crc32(ep.name.encode()) + 7)
    tokens = [_title_tokens(t) for t in ep.texts]
    blocks = max(1, math.ceil(len(tokens) / 20))
    df: Counter = Counter()
    for b in range(blocks):
        df.update({w for s in tokens[b * 20 : (b + 1) * 20] for w in s})
    windows = [_window(ep, i, rng.uniform(60, 90)) for i in anchors]
    tops = [_salient(ep, w, tokens, df, blocks)[:6] for w in windows]
    titles = []
    for c, top in enumerate(tops):
        k = min(rng.randint(2, 4), len(top))
        words = rng.sample(top, k)
        if noisy and words:
            swap = k // 2 + (rng.random() < 0.5 if k % 2 else 0)
            others = [w for d, other in enumerate(tops) if abs(d - c) >= 1 for w in other if w not in top]
            if not others:  # one chapter only: words from anywhere outside its window
                others = sorted({w for s, ts in enumerate(tokens) if s not in windows[c] for w in ts})
            for j in rng.sample(range(k), swap):
                if others:
                    words[j] = rng.choice(others)
        titles.append(" ".join(w.capitalize() for w in words))
    return titles


# ------------------------------------------------------------------ methods


def estimate(ep: Episode, method: str, anchors: list[int]) -> tuple[list[float], list[float] | None, list | None]:
    cum = [0]
    for w in ep.words:
        cum.append(cum[-1] + w)
    if method == "wpm160":
        return [cum[i] / (160 / 60) for i in range(len(ep.words))], None, None
    if method == "prop_ch":
        # Time-only chapters, naive: one rate from the total words over the last chapter's time
        # plus half a mean chapter.
        times = [anchor_time(ep, i) for i in anchors]
        gap = (times[-1] - times[0]) / (len(times) - 1) if len(times) > 1 else 0.0
        span = times[-1] + gap / 2
        rate = cum[-1] / span if span > 0 else 160 / 60
        return [cum[i] / rate for i in range(len(ep.words))], None, None
    if method == "linear":
        pts = [(cum[i], anchor_time(ep, i)) for i in anchors]
        out = []
        for i in range(len(ep.words)):
            p = cum[i]
            k = max(j for j in range(len(pts)) if pts[j][0] <= p)
            if k + 1 < len(pts):
                (p0, t0), (p1, t1) = pts[k], pts[k + 1]
                out.append(t0 + (t1 - t0) * (p - p0) / (p1 - p0))
            else:
                out.append(pts[k][1] + (p - pts[k][0]) / (160 / 60))
        return out, None, None
    turns = ep.turns if ep.has_turns else None
    if method == "align":
        given: list[tuple[float, float, str] | None] = [None] * len(ep.words)
        for i in anchors:
            t = anchor_time(ep, i)
            end = ep.truth_end[i]
            given[i] = (t, max(end if end is not None else t, t), "given")
        result = align(ep.words, given, [], sentence_texts=ep.texts, sentence_turn=turns)
    else:
        timed = [t for t in ep.truth_end if t is not None] or [0.0]
        if method == "align_cht":
            titles = simulate_titles(ep, anchors, noisy=False)
        elif method == "align_chn":
            titles = simulate_titles(ep, anchors, noisy=True)
        else:
            titles = [""] * len(anchors)
        result = align(
            ep.words,
            [None] * len(ep.words),
            [anchor_time(ep, i) for i in anchors],
            sentence_texts=ep.texts,
            chapter_titles=titles,
            sentence_turn=turns,
            duration_s=max(timed) if method == "align_chd" else None,
        )
    return (
        [s.start_s for s in result.sentences],
        [s.time_error_s for s in result.sentences],
        list(result.chapters) if method != "align" else None,
    )


def score(ep: Episode, method: str, step: str) -> dict:
    anchors = anchor_indices(ep, step)
    est, bound, placed = estimate(ep, method, anchors)
    skip = set(anchors)
    errors, covered = [], []
    for i, t in enumerate(ep.truth):
        if t is None or i in skip:
            continue
        e = abs(est[i] - t)
        errors.append(e)
        if bound is not None:
            covered.append(e <= bound[i] + 1e-9)
    # Chapter placements: is the placed sentence's true start within 15 s of the chapter's time?
    conf, hit = [], []
    for i, p in zip(anchors, placed or [], strict=False):
        s = min(p.first_sentence, len(ep.truth) - 1)
        t = next((ep.truth[j] for j in range(s, len(ep.truth)) if ep.truth[j] is not None), None)
        if i == 0 or t is None:
            continue
        conf.append(p.confidence)
        hit.append(abs(t - anchor_time(ep, i)) <= 15.0)
    return {"errors": errors, "covered": covered, "n_anchors": len(anchors), "conf": conf, "hit": hit}


def reference_placements(path: Path) -> list[dict]:
    """Chapters of the reference podcast page as the pipeline places them (its chapters table)."""
    import bisect

    from tasks.document import BuildContext
    from tasks.episode import build_episode

    episode = build_episode(path.read_bytes(), path.name, BuildContext("bench", "bench"))
    sentences = episode.table("sentences")
    starts, texts = sentences["start_char"].to_list(), sentences["text"].to_list()
    rows = []
    for c in episode.table("chapters").iter_rows(named=True):
        first = bisect.bisect_left(starts, c["start_char"])
        rows.append(
            {
                "title": c["title"],
                "start_s": c["start_s"],
                "sentence": first,
                "confidence": c["align_confidence"],
                "first_words": " ".join(texts[first].split()[:12]) if first < len(texts) else "",
            }
        )
    return rows


def run(corpus: Path) -> dict:
    episodes = load_corpus(corpus)
    report: dict = {
        "corpus": str(corpus),
        "steps_min": list(STEPS_MIN),
        "methods": METHOD_NOTES,
        "files": {},
        "overall": {},
    }
    pooled = {(m, s): ([], [], [], []) for m in METHODS for s in STEPS_MIN}
    for ep in episodes:
        timed = [t for t in ep.truth if t is not None]
        entry = {"sentences": len(ep.words), "timed": len(timed), "duration_s": round(max(timed), 1)}
        for step in STEPS_MIN:
            for m in METHODS:
                r = score(ep, m, step)
                for bucket, key in zip(pooled[(m, step)], ("errors", "covered", "conf", "hit"), strict=True):
                    bucket.extend(r[key])
                entry[f"{m}@{step}"] = summarise(r["errors"], r["covered"], r["conf"], r["hit"]) | {
                    "anchors": r["n_anchors"]
                }
        report["files"][ep.name] = entry
    for (m, step), lists in pooled.items():
        report["overall"][f"{m}@{step}"] = summarise(*lists)
    longest = max(episodes, key=lambda e: len(e.words))
    anchors = anchor_indices(longest, "5")
    titles = simulate_titles(longest, anchors, noisy=False)
    words, texts, times = longest.words, longest.texts, [anchor_time(longest, i) for i in anchors]
    # CPU time, not wall time: the bench machine is shared.
    t0 = time.process_time()
    for _ in range(20):
        align(words, [None] * len(words), times, sentence_texts=texts, chapter_titles=titles)
    report["align_ms_per_episode"] = {
        "file": longest.name,
        "sentences": len(longest.words),
        "chapters": len(anchors),
        "titled": True,
        "cpu_ms": round((time.process_time() - t0) / 20 * 1000, 2),
    }
    reference = corpus / "seed_format" / "transcript_bUrCR4jQQg8.txt"
    if reference.exists():
        report["reference_placements"] = reference_placements(reference)
    return report


def print_table(report: dict) -> None:
    """Median / p90 error (s) per method; coverage of time_error_s for the align methods; and for the
    chapter methods, mean align_confidence against the share of chapters placed within 15 s."""
    cov_methods = [m for m in METHODS if m.startswith("align")]
    head = f"{'file':44} {'step':>5} " + " ".join(f"{m:>13}" for m in METHODS)
    print(head + "   coverage " + "/".join(m.removeprefix("align") or "pos" for m in cov_methods))
    rows = [(name, entry) for name, entry in report["files"].items()] + [("OVERALL", report["overall"])]
    for name, entry in rows:
        for step in STEPS_MIN:
            cells = []
            for m in METHODS:
                r = entry[f"{m}@{step}"]
                cells.append("n/a" if r["median_s"] is None else f"{r['median_s']:.1f}/{r['p90_s']:.1f}")
            covs = [entry[f"{m}@{step}"]["coverage"] for m in cov_methods]
            n = entry[f"align@{step}"]["n"]
            label = f"{name[:36]} n={n}"
            print(
                f"{label:44} {step:>5} "
                + " ".join(f"{c:>13}" for c in cells)
                + "   "
                + " ".join("  - " if c is None else f"{c:.2f}" for c in covs)
            )
    print("confidence calibration (mean align_confidence vs share placed within 15 s), overall:")
    for step in STEPS_MIN:
        cells = []
        for m in ("align_ch", "align_cht", "align_chn", "align_chd"):
            r = report["overall"][f"{m}@{step}"]
            cells.append(f"{m} {r.get('confidence_mean', 0):.2f} vs {r.get('placed_within_15s', 0):.2f}")
        print(f"  {step:>5}: " + "; ".join(cells))
    print(f"align time on {report['align_ms_per_episode']}")
    for row in report.get("reference_placements", []):
        print(
            f"  {row['start_s']:>7.0f} s {row['title'][:44]:44} -> [{row['sentence']:>4}] "
            f"conf {row['confidence']:.2f}  {row['first_words'][:70]}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args(argv)
    if not args.corpus.exists():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 1
    report = run(args.corpus)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print_table(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
