"""`tlake report`: one self-contained HTML page per episode (inline CSS and SVG, no script, nothing fetched).

`load_episode` reads plain rows from the lake; `render_page` turns them into HTML and never touches the
lake, so it can be fed hostile strings in tests. Every value from the data goes through `_e` (html.escape):
transcript text is untrusted, and no tag or attribute of the page may ever come from it.
"""

from __future__ import annotations

import html
import os
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

import duckdb

from flows.catalog import EPISODE_TABLES, transaction

Row = dict[str, Any]

# Okabe-Ito: distinguishable for colour-blind readers and in greyscale print.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#8C6D1F", "#000000")
UNKNOWN_COLOUR = "#B0B0B0"
LOW_CONFIDENCE = 0.5
WINDOW_S = 120.0

CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#222;max-width:1100px;
margin:0 auto;padding:1em 1.5em}
h1{margin-bottom:.1em}h2{border-bottom:1px solid #ccc;margin-top:1.6em}h3{margin:1.2em 0 .3em}
table{border-collapse:collapse;margin:.5em 0;font-size:14px}
th,td{border-bottom:1px solid #e2e2e2;padding:3px 8px;text-align:left;vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.meta{color:#555}.muted{color:#777}.sw{display:inline-block;width:.8em;height:.8em;margin-right:.3em}
.fail{color:#b00020;font-weight:600}.ok{color:#1b7f3b}
svg{width:100%;height:auto;display:block;margin:.4em 0}svg text{font:11px system-ui,sans-serif;fill:#333}
.turn{margin:.3em 0}.turn .t{color:#777;font-variant-numeric:tabular-nums;margin-right:.5em}
.turn .spk{font-weight:600;margin-right:.4em}.turn.cont{margin-top:.15em}.turn.bc{font-size:13px;color:#555}
.ev{color:#666}mark{background:#fff3b0}
@media print{body{max-width:none;font-size:11pt}h2{break-after:avoid}tr,.turn,svg{break-inside:avoid}}
"""


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def hms(seconds: float | None) -> str:
    """H:MM:SS, truncating like the lake's `hms` macro so both agree."""
    if seconds is None:
        return ""
    s = max(int(seconds), 0)
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"


def _num(value: float | None, digits: int = 2) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> list[Row]:
    cursor = con.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def load_episode(con: duckdb.DuckDBPyConnection, episode_id: str) -> dict[str, Any]:
    """Everything the page shows, as plain rows, read from one snapshot."""
    # One transaction: a run committing meanwhile cannot mix two snapshots into one page.
    with transaction(con):
        episodes = _rows(con, "SELECT * FROM episodes WHERE episode_id = ?", [episode_id])
        if not episodes:
            known = [r[0] for r in con.execute("SELECT episode_id FROM episodes ORDER BY 1 LIMIT 10").fetchall()]
            raise KeyError(f"no episode {episode_id!r} in the lake (known: {', '.join(known) or 'none'})")
        ep = episodes[0]
        q = {
            "speakers": "SELECT s.*, (SELECT avg(attribution_confidence) FROM turns t WHERE t.episode_id = "
            "s.episode_id AND t.speaker_id = s.speaker_id) AS mean_conf FROM speakers s "
            "WHERE episode_id = ? ORDER BY n_words DESC, speaker_id",
            "chapters": "SELECT * FROM chapters WHERE episode_id = ? ORDER BY chapter_idx",
            "turns": "SELECT * FROM turns WHERE episode_id = ? ORDER BY turn_idx",
            "sentences": "SELECT sentence_idx, turn_idx, chapter_idx, paragraph_idx, start_char, end_char, start_s, "
            "time_source, time_error_s, sentiment, text FROM sentences WHERE episode_id = ? ORDER BY sentence_idx",
            "keywords": "SELECT chapter_idx, keyword, rank FROM keywords WHERE episode_id = ? AND rank <= 6 "
            "ORDER BY chapter_idx NULLS FIRST, rank, keyword",
            "mentions": "SELECT m.*, s.start_s FROM mentions m JOIN sentences s USING (episode_id, sentence_idx) "
            "WHERE episode_id = ? ORDER BY m.start_char",
            "quantities": "SELECT q.*, s.start_s, s.start_char AS s_start, s.text AS sentence FROM quantities q "
            "JOIN sentences s USING (episode_id, sentence_idx) WHERE episode_id = ? "
            "AND q.unit IN ('usd', 'percent', 'x') ORDER BY q.start_char",
            "events": "SELECT * FROM events WHERE episode_id = ? ORDER BY event_idx",
            "issues": "SELECT i.* FROM issues i LEFT JOIN runs r USING (run_id) WHERE i.episode_id = ? "
            "OR i.source_path = ? ORDER BY i.severity = 'error' DESC, r.started_at DESC NULLS LAST, "
            "i.run_id DESC, i.code, i.location",
        }
        data: dict[str, Any] = {"episode": ep}
        for name, sql in q.items():
            data[name] = _rows(con, sql, [episode_id, ep["source_path"]] if name == "issues" else [episode_id])
        # The run that published this version, or a later one that quarantined a newer version of it.
        runs = {ep["run_id"], *(i["run_id"] for i in data["issues"])}
        dq_run = con.execute(
            "SELECT run_id FROM runs WHERE run_id IN (SELECT unnest(?::VARCHAR[])) "
            "AND run_id IN (SELECT run_id FROM dq_results) ORDER BY started_at DESC, run_id DESC LIMIT 1",
            [sorted(runs)],
        ).fetchone()
        data["dq_run"] = dq_run[0] if dq_run else None
        data["dq"] = _rows(
            con,
            "SELECT table_name, expectation, column_name, success, observed, blocking "
            "FROM dq_results WHERE run_id = ? AND table_name IN (SELECT unnest(?::VARCHAR[])) "
            "ORDER BY success, blocking DESC, table_name, expectation",
            [data["dq_run"], list(EPISODE_TABLES)],
        )
        data["snapshot"] = con.execute("SELECT max(snapshot_id) FROM ducklake_snapshots('lake')").fetchone()[0]
    return data


def render_report(con: duckdb.DuckDBPyConnection, episode_id: str) -> str:
    """The HTML page of one episode; KeyError if the lake has no such episode."""
    return render_page(load_episode(con, episode_id))


def write_report(con: duckdb.DuckDBPyConnection, episode_id: str, out: Path) -> Path:
    """Render and write atomically, so a reader never sees half a page and a failure leaves the old one."""
    page = render_page(load_episode(con, episode_id))
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(page)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return out


# ---- rendering: plain rows in, HTML out --------------------------------------------------------------


def _table(headers: list[str], rows: list[list[str]], numeric: frozenset[int] | set[int] = frozenset()) -> str:
    """`rows` cells must already be HTML (escaped by the caller); headers are our own constants."""
    head = "".join(f'<th class="n">{h}</th>' if i in numeric else f"<th>{h}</th>" for i, h in enumerate(headers))
    body = "".join(
        "<tr>"
        + "".join(f'<td class="n">{c}</td>' if i in numeric else f"<td>{c}</td>" for i, c in enumerate(r))
        + "</tr>"
        for r in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _colours(speakers: list[Row]) -> dict[str | None, str]:
    colours: dict[str | None, str] = {s["speaker_id"]: PALETTE[i % len(PALETTE)] for i, s in enumerate(speakers)}
    colours[None] = UNKNOWN_COLOUR
    return colours


def _swatch(colour: str) -> str:
    return f'<span class="sw" style="background:{colour}"></span>'


def _clip(text: str, n: int) -> str:
    # Clip before escaping, so an entity is never cut in half.
    return text if len(text) <= n else text[: n - 1] + "…"


def _speaker_label(turn: Row, names: dict[str | None, str]) -> str:
    conf = turn.get("attribution_confidence")
    if turn.get("speaker_id") is None:
        return f"? ({_num(conf)})" if conf is not None else "?"
    name = names.get(turn["speaker_id"]) or turn["speaker_id"]
    return f"{name} ? ({_num(conf)})" if conf is not None and conf < LOW_CONFIDENCE else name


def render_header(ep: Row, snapshot: object) -> str:
    n = " ".join(
        f"<b>{_e(ep.get(k))}</b> {label}"
        for k, label in (
            ("n_chapters", "chapters"),
            ("n_turns", "turns"),
            ("n_sentences", "sentences"),
            ("n_words", "words"),
        )
    )
    number = f" #{_e(ep['episode_number'])}" if ep.get("episode_number") is not None else ""
    estimated = " (estimated)" if ep.get("duration_source") == "estimated" else ""
    return (
        f"<header><h1>{_e(ep.get('title') or ep['episode_id'])}</h1>"
        f'<p class="meta">{_e(ep.get("show") or "unknown show")}{number}'
        f" · hosts: {_e(', '.join(ep.get('hosts') or []))} · guests: {_e(', '.join(ep.get('guests') or []))}</p>"
        f'<p class="meta">duration <b>{_e(hms(ep.get("duration_s")))}</b>{estimated} · {n}</p>'
        f'<p class="meta muted">episode {_e(ep["episode_id"])} · source {_e(ep.get("source_path"))} · '
        f"pipeline {_e(ep.get('pipeline_version'))} · run {_e(ep.get('run_id'))} · snapshot {_e(snapshot)}</p>"
        "</header>"
    )


def render_speakers(speakers: list[Row], turns: list[Row], total_words: int) -> str:
    colours = _colours(speakers)
    rows = [
        [
            _swatch(colours[s["speaker_id"]]) + _e(s.get("name") or s["speaker_id"]),
            _e(s["role"]),
            _e(s["n_turns"]),
            _e(s["n_words"]),
            _e(f"{s['talk_share']:.1%}"),
            _e(_num(s.get("mean_conf"))),
        ]
        for s in speakers
    ]
    unknown = [t for t in turns if t.get("speaker_id") is None]
    unknown_words = sum(t["n_words"] for t in unknown)
    if unknown:
        conf = sum(t["attribution_confidence"] for t in unknown) / len(unknown)
        # talk_share is over attributed words, so unattributed speech has none; the bar shows its part.
        rows.append(
            [_swatch(UNKNOWN_COLOUR) + "? (unattributed)", "", _e(len(unknown)), _e(unknown_words), "–", _e(_num(conf))]
        )
    # The bar is of all words, so unattributed speech shows as its own grey segment.
    segments = [(colours[s["speaker_id"]], s["n_words"], s.get("name") or s["speaker_id"]) for s in speakers]
    segments.append((UNKNOWN_COLOUR, unknown_words, "?"))
    total = sum(w for _, w, _ in segments) or 1
    x, rects = 0.0, []
    for colour, words, name in segments:
        width = 1000 * words / total
        rects.append(
            f'<rect x="{x:.1f}" y="0" width="{width:.1f}" height="24" fill="{colour}">'
            f"<title>{_e(name)}: {_e(f'{words / total:.1%}')}</title></rect>"
        )
        x += width
    bar = (
        f'<svg viewBox="0 0 1000 24" role="img" aria-label="talk share">{"".join(rects)}</svg>'
        '<p class="muted">Bar: share of all words, unattributed speech in grey.</p>'
    )
    return (
        "<h2>Speakers</h2>"
        + _table(["speaker", "role", "turns", "words", "talk share", "mean confidence"], rows, {2, 3, 4, 5})
        + bar
    )


def _ticks(span: float) -> float:
    for step in (30, 60, 120, 300, 600, 900, 1800, 3600, 7200):
        if span / step <= 10:
            return step
    return 14400


def render_timeline(speakers: list[Row], turns: list[Row], chapters: list[Row], duration: float | None) -> str:
    timed = [t for t in turns if t.get("start_s") is not None and t.get("end_s") is not None]
    if not timed:
        return "<h2>Timeline</h2><p>No times are known for this episode's turns.</p>"
    end = max([duration or 0.0, *(t["end_s"] for t in timed)]) or 1.0
    colours = _colours(speakers)
    lanes: list[str | None] = [s["speaker_id"] for s in speakers]
    names = {s["speaker_id"]: s.get("name") or s["speaker_id"] for s in speakers}
    # A turn whose speaker has no speakers row still gets its own lane rather than borrowing another's.
    for t in timed:
        if t.get("speaker_id") not in lanes:
            lanes.append(t.get("speaker_id"))
    left, width, top, lane_h = 130, 850, 150, 22
    height = top + lane_h * len(lanes) + 30

    def x(s: float) -> float:
        return left + width * s / end

    parts = []
    for i, lane in enumerate(lanes):
        parts.append(
            f'<text x="{left - 6}" y="{top + i * lane_h + 15}" text-anchor="end">'
            f"{_e(_clip(names.get(lane) or lane or '?', 20))}</text>"
        )
    for t in timed:
        lane = lanes.index(t.get("speaker_id"))
        w = max(x(t["end_s"]) - x(t["start_s"]), 0.6)
        parts.append(
            f'<rect x="{x(t["start_s"]):.1f}" y="{top + lane * lane_h + 3}" width="{w:.1f}" '
            f'height="{lane_h - 6}" '
            f'fill="{colours.get(t.get("speaker_id"), UNKNOWN_COLOUR)}"><title>{_e(hms(t["start_s"]))} '
            f"{_e(_speaker_label(t, names))}</title></rect>"
        )
    bottom = top + lane_h * len(lanes)
    step = _ticks(end)
    tick = 0.0
    while tick <= end:
        parts.append(
            f'<line x1="{x(tick):.1f}" y1="{bottom}" x2="{x(tick):.1f}" y2="{bottom + 4}" stroke="#555"/>'
            f'<text x="{x(tick):.1f}" y="{bottom + 16}" text-anchor="middle">{_e(hms(tick))}</text>'
        )
        tick += step
    for c in chapters:
        cx = x(c["start_s"])
        parts.append(
            f'<line x1="{cx:.1f}" y1="{top - 4}" x2="{cx:.1f}" y2="{bottom}" stroke="#888" '
            f'stroke-dasharray="3,3"/><text transform="translate({cx + 3:.1f},{top - 6}) rotate(-60)">'
            f"{_e(c['chapter_idx'] + 1)}. {_e(_clip(c['title'] or '(untitled)', 26))}"
            f"<title>{_e(c['title'])}</title></text>"
        )
    svg = (
        f'<svg viewBox="0 0 1000 {height}" role="img" aria-label="timeline of turns by speaker">{"".join(parts)}</svg>'
    )
    errors = sorted(
        t["time_error_s"] for t in timed if t.get("time_source") == "estimated" and t.get("time_error_s") is not None
    )
    note = ""
    if errors:
        note = (
            f'<p class="muted">Times of {len(errors)} of {len(timed)} turns are estimated from word counts; '
            f"typical error ±{_e(round(errors[len(errors) // 2]))} s (median time_error_s).</p>"
        )
    return "<h2>Timeline</h2>" + svg + note


def render_sentiment(sentences: list[Row], chapters: list[Row], duration: float | None) -> str:
    scored = [s for s in sentences if s.get("start_s") is not None and s.get("sentiment") is not None]
    if not scored:
        return "<h2>Sentiment</h2><p>No timed sentiment scores for this episode.</p>"
    end = max([duration or 0.0, *(s["start_s"] for s in scored)]) or 1.0
    windows: dict[int, list[float]] = defaultdict(list)
    for s in scored:
        windows[int(s["start_s"] // WINDOW_S)].append(s["sentiment"])
    left, width, top, h = 50, 930, 10, 160

    def x(t: float) -> float:
        return left + width * t / end

    def y(v: float) -> float:
        return top + h * (1 - (max(-1.0, min(1.0, v)) + 1) / 2)

    points = " ".join(f"{x((k + 0.5) * WINDOW_S):.1f},{y(sum(v) / len(v)):.1f}" for k, v in sorted(windows.items()))
    parts = [
        f'<line x1="{left}" y1="{y(0):.1f}" x2="{left + width}" y2="{y(0):.1f}" stroke="#999"/>',
        *(
            f'<text x="{left - 6}" y="{y(v) + 4:.1f}" text-anchor="end">{label}</text>'
            for v, label in ((-1, "−1"), (0, "0"), (1, "+1"))
        ),
    ]
    for c in chapters:
        inside = [s["sentiment"] for s in scored if s.get("chapter_idx") == c["chapter_idx"]]
        if inside:
            mean = sum(inside) / len(inside)
            parts.append(
                f'<line x1="{x(c["start_s"]):.1f}" y1="{y(mean):.1f}" x2="{x(c["end_s"]):.1f}" '
                f'y2="{y(mean):.1f}" stroke="#E69F00" stroke-width="3" opacity=".7"><title>'
                f"{_e(c['title'])}: {_e(f'{mean:+.2f}')}</title></line>"
            )
        parts.append(
            f'<line x1="{x(c["start_s"]):.1f}" y1="{top}" x2="{x(c["start_s"]):.1f}" y2="{top + h}" '
            f'stroke="#ccc" stroke-dasharray="2,3"/>'
        )
    parts.append(f'<polyline points="{points}" fill="none" stroke="#0072B2" stroke-width="2"/>')
    svg = f'<svg viewBox="0 0 1000 {top + h + 10}" role="img" aria-label="sentiment over time">{"".join(parts)}</svg>'
    return (
        "<h2>Sentiment</h2>" + svg + f'<p class="muted">Blue: mean sentence sentiment per {WINDOW_S / 60:.0f}-'
        "minute window (−1 to +1); orange: mean per chapter; dashed: chapter starts.</p>"
    )


def render_chapters(chapters: list[Row], sentences: list[Row], keywords: list[Row]) -> str:
    words: dict[Any, list[str]] = defaultdict(list)
    for k in keywords:
        words[k["chapter_idx"]].append(k["keyword"])
    rows = []
    for c in chapters:
        # The sentence that holds the chapter's start offset is where the alignment placed it.
        at = next((s["sentence_idx"] for s in sentences if s["end_char"] > c["start_char"]), None)
        rows.append(
            [
                _e(c["chapter_idx"] + 1),
                _e(c["title"]),
                _e(hms(c["start_s"])),
                _e(c.get("time_source")),
                _e(at),
                _e(_num(c.get("align_confidence"))),
                _e(", ".join(words[c["chapter_idx"]][:5])),
            ]
        )
    episode_kw = f"<p>Episode keywords: {_e(', '.join(words[None]))}</p>" if words.get(None) else ""
    return (
        "<h2>Chapters</h2>"
        + episode_kw
        + _table(["#", "title", "start", "time", "placed at sentence", "align conf.", "top keywords"], rows, {0, 4, 5})
    )


def value_as_said(q: Row) -> str:
    """A value as a reader says it: $6.5 billion, 40%, 1 billion× (never 1e+09×)."""
    v, unit = q["value_low"], q["unit"]
    amount = f"{v:,.0f}" if unit == "usd" else f"{v:g}"
    for div, suffix in ((1e12, " trillion"), (1e9, " billion"), (1e6, " million")):
        if abs(v) >= div:
            amount = f"{v / div:g}{suffix}"
            break
    if unit == "usd":
        return f"${amount}"
    return f"{amount}%" if unit == "percent" else f"{amount}×"


def render_entities_numbers(mentions: list[Row], quantities: list[Row], names: dict[str | None, str]) -> str:
    groups: dict[str, list[Row]] = defaultdict(list)
    for m in mentions:
        groups[m["canonical"]].append(m)
    top = sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:25]
    rows = [
        [
            _e(canonical),
            _e(ms[0]["entity_type"]),
            _e(len(ms)),
            _e(", ".join(sorted({m["surface"] for m in ms}))),
            _e(hms(ms[0].get("start_s"))),
        ]
        for canonical, ms in top
    ]
    shown = f'<p class="muted">{len(top)} most mentioned of {len(groups)} entities.</p>' if groups else ""
    out = (
        "<h2>Top entities</h2>"
        + shown
        + (
            _table(["entity", "type", "mentions", "as said", "first at"], rows, {2})
            if rows
            else "<p>No entity mentions found.</p>"
        )
    )
    qrows = []
    for q in quantities:
        a = q["start_char"] - q["s_start"]
        b = a + (q["end_char"] - q["start_char"])
        s = q["sentence"]
        context = f"{_e(s[:a])}<mark>{_e(s[a:b])}</mark>{_e(s[b:])}"
        qrows.append(
            [
                _e(hms(q.get("start_s"))),
                _e(names.get(q.get("speaker_id")) or q.get("speaker_id") or "?"),
                _e(q["surface"]),
                _e(value_as_said(q)),
                context,
            ]
        )
    return (
        out
        + "<h2>Numbers said</h2>"
        + (
            _table(["at", "who", "said", "value", "sentence"], qrows)
            if qrows
            else "<p>No dollar, percent or multiple figures.</p>"
        )
    )


def render_events(events: list[Row], turns: list[Row], names: dict[str | None, str]) -> str:
    by_turn = {t["turn_idx"]: t for t in turns}
    rows = [
        [
            _e(hms(ev.get("start_s"))),
            _e(ev["kind"]),
            _e(ev["surface"]),
            _e(names.get(by_turn.get(ev.get("turn_idx"), {}).get("speaker_id")) or "?"),
        ]
        for ev in events
    ]
    return "<h2>Events</h2>" + (
        _table(["at", "kind", "as written", "during turn of"], rows) if rows else "<p>No non-speech events.</p>"
    )


def render_quality(dq: list[Row], dq_run: str | None, issues: list[Row]) -> str:
    headers = ["result", "table", "expectation", "column", "observed", "kind"]

    def rows(ok: bool) -> list[list[str]]:
        return [
            [
                ('<span class="ok">ok</span>' if ok else '<span class="fail">failed</span>'),
                _e(r["table_name"]),
                _e(r["expectation"]),
                _e(r.get("column_name")),
                _e(_clip(str(r["observed"]), 160)),
                "blocking" if r["blocking"] else "warning",
            ]
            for r in dq
            if bool(r["success"]) == ok
        ]

    failed, passed = rows(False), rows(True)
    head = (
        f"<p>{len(dq)} checks of run {_e(dq_run)}, {len(failed)} failed (they cover the whole batch the "
        "episode was validated in).</p>"
        if dq_run
        else "<p>No data-quality results recorded for this episode.</p>"
    )
    # Passing checks are many and dull: folded away, while failures stay in plain sight.
    body = (_table(headers, failed) if failed else "") + (
        f"<details><summary>{len(passed)} passed checks</summary>{_table(headers, passed)}</details>" if passed else ""
    )
    irows = [[_e(i["severity"]), _e(i["code"]), _e(i["location"]), _e(i["message"]), _e(i["run_id"])] for i in issues]
    return (
        "<h2>Data quality</h2>"
        + head
        + body
        + "<h3>Issues</h3>"
        + (
            _table(["severity", "code", "location", "message", "run"], irows)
            if irows
            else "<p>No issues recorded for this episode.</p>"
        )
    )


def render_transcript(
    turns: list[Row], chapters: list[Row], events: list[Row], names: dict[str | None, str], sentences: list[Row]
) -> str:
    evs: dict[Any, list[Row]] = defaultdict(list)
    for ev in events:
        evs[ev.get("turn_idx")].append(ev)
    paragraphs = _paragraph_starts(sentences)
    pending = list(chapters)
    parts = ["<h2>Transcript</h2>"]
    for t in turns:
        # A chapter heading goes before the turn holding the chapter's start; mid-turn starts are said so.
        while pending and pending[0]["start_char"] < t["end_char"]:
            c = pending.pop(0)
            mid = ' <span class="muted">(starts inside this turn)</span>' if c["start_char"] > t["start_char"] else ""
            parts.append(
                f'<h3 id="ch{_e(c["chapter_idx"])}">{_e(c["chapter_idx"] + 1)}. '
                f"{_e(c['title'] or '(untitled)')} · {_e(hms(c['start_s']))}{mid}</h3>"
            )
        known = t.get("speaker_id") is not None and (t.get("attribution_confidence") or 0) >= LOW_CONFIDENCE
        cls = "turn bc" if t.get("is_backchannel") else "turn"
        # The turn's own start first, then each later paragraph of it at its first sentence's time.
        starts = [(t["start_char"], t.get("start_s"), t.get("time_source"))]
        starts += [p for p in paragraphs.get(t["turn_idx"], []) if p[0] > t["start_char"]]
        ends = [p[0] for p in starts[1:]] + [t["end_char"]]
        for k, ((start, start_s, source), end) in enumerate(zip(starts, ends, strict=True)):
            body = _with_events(
                t["text"], t["start_char"], start, end, evs.get(t["turn_idx"], []), last=k == len(ends) - 1
            )
            if k == 0:  # the turn's anchor and speaker on its first paragraph only
                opening = f'<p class="{cls}" id="t{_e(t["turn_idx"])}">'
                speaker = f'<span class="spk{"" if known else " muted"}">{_e(_speaker_label(t, names))}</span>'
            else:
                opening, speaker = f'<p class="{cls} cont">', ""
            when = f'<span class="t">{_e(_when(start_s, source))}</span>'
            parts.append(f'{opening}{when}{speaker}<span class="txt">{body}</span></p>')
    for c in pending:
        parts.append(f'<h3 id="ch{_e(c["chapter_idx"])}">{_e(c["chapter_idx"] + 1)}. {_e(c["title"])}</h3>')
    return "".join(parts)


def _paragraph_starts(sentences: list[Row]) -> dict[Any, list[tuple[int, float | None, str | None]]]:
    """Per turn, the (start_char, start_s, time_source) of each paragraph's first sentence."""
    starts: dict[Any, list[tuple[int, float | None, str | None]]] = defaultdict(list)
    previous = None
    for s in sentences:
        if s.get("paragraph_idx") is not None and s["paragraph_idx"] != previous:
            starts[s["turn_idx"]].append((s["start_char"], s.get("start_s"), s.get("time_source")))
        previous = s.get("paragraph_idx")
    return starts


def _with_events(text: str, offset: int, start: int, end: int, events: list[Row], *, last: bool) -> str:
    """The escaped text of [start, end) of a turn's text (which begins at `offset`), with its events set in."""
    pos, body = start - offset, []
    stop = end - offset
    for ev in sorted(events, key=lambda e: e["start_char"]):
        at = ev["start_char"] - offset
        if at < pos or (at >= stop and not last):
            continue
        cut = min(max(at, pos), len(text))
        body.append(f'{_e(text[pos:cut])} <em class="ev">{_e(ev["surface"])}</em> ')
        pos = cut
    body.append(_e(text[pos:stop] if not last else text[pos:]))
    return "".join(body)


def _when(start_s: float | None, source: str | None) -> str:
    """A time as the file gave it, or marked approximate (~) where the pipeline estimated it."""
    return f"~{hms(start_s)}" if source == "estimated" and start_s is not None else hms(start_s)


def render_page(data: dict[str, Any]) -> str:
    """The whole page from `load_episode`'s plain rows (no lake access, so it can be tested on any rows)."""
    ep = data["episode"]
    names = {s["speaker_id"]: s.get("name") or s["speaker_id"] for s in data["speakers"]}
    total_words = ep.get("n_words") or sum(t["n_words"] for t in data["turns"])
    sections = [
        render_header(ep, data.get("snapshot")),
        render_speakers(data["speakers"], data["turns"], total_words),
        render_timeline(data["speakers"], data["turns"], data["chapters"], ep.get("duration_s")),
        render_sentiment(data["sentences"], data["chapters"], ep.get("duration_s")),
        render_chapters(data["chapters"], data["sentences"], data["keywords"]),
        render_entities_numbers(data["mentions"], data["quantities"], names),
        render_events(data["events"], data["turns"], names),
        render_quality(data["dq"], data.get("dq_run"), data["issues"]),
        render_transcript(data["turns"], data["chapters"], data["events"], names, data["sentences"]),
    ]
    title = _e(f"{ep.get('title') or ep['episode_id']} — Transcript Lake")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title><style>{CSS}</style></head><body>\n" + "\n".join(sections) + "\n</body></html>\n"
    )
