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
* ``align``: tasks.align.align with the anchors passed as partial ``given`` times (position known),
  and ``sentence_turn`` where the file has speaker turns;
* ``align_ch``: tasks.align.align with the anchors passed as chapter starts with empty titles
  (position unknown: the aligner must place them from their times, as for a podcast page);
* ``align_chd``: the same plus the true episode length as ``duration_s`` (an audio file or a page
  that states its length).

Metrics: median and 90th percentile of |estimated - true| start in seconds, and for align the share
of sentences whose true start lies within +-time_error_s (coverage of the stated bound).

Run: ``PYTHONPATH=. python bench/eval_times.py [--corpus DIR]``; writes bench/results/eval_times.json.
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from tasks.align import align
from tasks.sentences import sentence_spans

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
RESULTS = ROOT / "bench" / "results" / "eval_times.json"
STEPS_MIN = (5, 10)
METHODS = ("wpm160", "linear", "align", "align_ch", "align_chd")

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
                body = " ".join(re.sub(r"<[^>]+>", "", ln).strip() for ln in lines[k + 1:])
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
            para = para[m.end():]
        turn = max(turn, 0)
        start = None
        s = stamp.match(para)
        if s:
            start = _seconds(*s.groups())
            para = para[s.end():]
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
    long_vtts = ("talkpython_214-Python-3-8-and-beyond.vtt",
                 "talkpython_539-catching-up-with-the-python-typing-council.vtt")
    for name in long_vtts:
        p = corpus / "edge_cases" / name
        if p.exists():
            episodes.append(to_episode(f"edge_cases/{name}", read_vtt_srt(p)))
    return [e for e in episodes if len(e.words) >= 2]


# ------------------------------------------------------------------ methods


def anchor_indices(ep: Episode, step_s: float) -> list[int]:
    """First timed sentence at or after every step; sentence 0 always (time 0 if it has none)."""
    result = [0]
    timed = [(t, i) for i, t in enumerate(ep.truth) if t is not None]
    if not timed:
        return result
    k = 1
    last_t = timed[-1][0]
    while k * step_s <= last_t:
        i = next((i for t, i in timed if t >= k * step_s), None)
        if i is not None and i > result[-1]:
            result.append(i)
        k += 1
    return result


def anchor_time(ep: Episode, i: int) -> float:
    t = ep.truth[i]
    return t if t is not None else 0.0


def estimate(ep: Episode, method: str, anchors: list[int]) -> tuple[list[float], list[float] | None]:
    if method == "wpm160":
        out, pos = [], 0
        for w in ep.words:
            out.append(pos / (160 / 60))
            pos += w
        return out, None
    if method == "linear":
        cum = [0]
        for w in ep.words:
            cum.append(cum[-1] + w)
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
        return out, None
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
        result = align(
            ep.words, [None] * len(ep.words), [anchor_time(ep, i) for i in anchors],
            sentence_texts=ep.texts, chapter_titles=[""] * len(anchors), sentence_turn=turns,
            duration_s=max(timed) if method == "align_chd" else None,
        )
    return [s.start_s for s in result.sentences], [s.time_error_s for s in result.sentences]


def score(ep: Episode, method: str, step_s: float) -> dict:
    anchors = anchor_indices(ep, step_s)
    est, bound = estimate(ep, method, anchors)
    skip = set(anchors)
    errors, covered = [], []
    for i, t in enumerate(ep.truth):
        if t is None or i in skip:
            continue
        e = abs(est[i] - t)
        errors.append(e)
        if bound is not None:
            covered.append(e <= bound[i] + 1e-9)
    return {"errors": errors, "covered": covered, "n_anchors": len(anchors)}


def summarise(errors: list[float], covered: list[bool]) -> dict:
    if not errors:
        return {"n": 0, "median_s": None, "p90_s": None, "coverage": None}
    ordered = sorted(errors)
    p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
    return {
        "n": len(errors),
        "median_s": round(statistics.median(ordered), 2),
        "p90_s": round(p90, 2),
        "coverage": round(sum(covered) / len(covered), 3) if covered else None,
    }


def run(corpus: Path) -> dict:
    episodes = load_corpus(corpus)
    report: dict = {"corpus": str(corpus), "steps_min": list(STEPS_MIN), "files": {}, "overall": {}}
    pooled = {(m, s): ([], []) for m in METHODS for s in STEPS_MIN}
    for ep in episodes:
        timed = [t for t in ep.truth if t is not None]
        entry = {"sentences": len(ep.words), "timed": len(timed), "duration_s": round(max(timed), 1)}
        for step in STEPS_MIN:
            for m in METHODS:
                r = score(ep, m, step * 60)
                pooled[(m, step)][0].extend(r["errors"])
                pooled[(m, step)][1].extend(r["covered"])
                entry[f"{m}@{step}"] = summarise(r["errors"], r["covered"]) | {"anchors": r["n_anchors"]}
        report["files"][ep.name] = entry
    for (m, step), (errors, covered) in pooled.items():
        report["overall"][f"{m}@{step}"] = summarise(errors, covered)
    longest = max(episodes, key=lambda e: len(e.words))
    t0 = time.perf_counter()
    for _ in range(20):
        estimate(longest, "align_ch", anchor_indices(longest, 300))
    report["align_ms_per_episode"] = {"file": longest.name, "sentences": len(longest.words),
                                      "ms": round((time.perf_counter() - t0) / 20 * 1000, 2)}
    return report


def print_table(report: dict) -> None:
    head = f"{'file':58} {'step':>4} " + " ".join(f"{m:>17}" for m in METHODS) + f" {'cov':>5} {'covd':>5}"
    print(head)
    print(" " * 64 + " ".join(f"{'med / p90':>17}" for _ in METHODS))
    rows = [(name, entry) for name, entry in report["files"].items()] + [("OVERALL", report["overall"])]
    for name, entry in rows:
        for step in STEPS_MIN:
            cells = []
            for m in METHODS:
                r = entry[f"{m}@{step}"]
                cells.append("n/a" if r["median_s"] is None else f"{r['median_s']:.1f} / {r['p90_s']:.1f}")
            cov = entry[f"align@{step}"]["coverage"]
            covch = entry[f"align_chd@{step}"]["coverage"]
            n = entry[f"align@{step}"]["n"]
            label = f"{name[:50]} (n={n})"
            print(f"{label:58} {step:>4} " + " ".join(f"{c:>17}" for c in cells)
                  + f" {'' if cov is None else f'{cov:.2f}':>5} {'' if covch is None else f'{covch:.2f}':>5}")
    print(f"align time on {report['align_ms_per_episode']}")


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
