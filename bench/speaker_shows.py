"""The speaker-labelled episodes of ../shared/training/speakers as the pages a user has, and their scoring.

Each labelled episode (10 shows, 62 files) becomes a page-text file like the reference input: the labels
are removed, a ``- `` marks a change of speaker (``marked``), only some changes (``thinned``: each kept
with probability 1/2, seeded by the file name) or none (``unmarked``), and paragraphs close at the first
sentence end after 50 words (the rule of the page generator that made the reference page,
../shared/training/README.md). A dash the transcriber typed inside a turn becomes an en dash, so only the
markers mark changes. The page's title is the source's own (Lenny's Podcast front matter) or,
where the source has none, ``<Show> #<episode number>``, which names nobody: names must come from the
text. The page goes through the whole pipeline (`build_episode`), so what is scored is what a user gets.

Scoring is per word: the clean text's words are aligned to the page's words (difflib on word tokens),
each word carries its true speaker, and a word is right when its turn's speaker has the true name
(`same_name`) or role. ``unknown`` answers count as wrong; the share of words answered is reported beside.
Calibration is per turn (the true speaker of a turn is the one who says most of its words). Baselines use
the same alignment and know the true names: ``majority`` gives every word to the file's top talker,
``alternating`` gives the pipeline's turns alternately to the first two true speakers.

Truth roles come from bench/data/training_hosts.csv, which the model never reads.
"""

from __future__ import annotations

import bisect
import csv
import dataclasses
import difflib
import json
import math
import random
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz

from tasks.decode import decode
from tasks.document import BuildContext, Episode
from tasks.episode import build_episode
from tasks.formats import detect_and_parse
from tasks.speakers.people import person_key
from tasks.speakers.rosters import learn_rosters, with_rosters

ROOT = Path(__file__).resolve().parents[1]
TRAINING = ROOT.parent / "shared" / "training" / "speakers"
HOSTS = ROOT / "bench" / "data" / "training_hosts.csv"
VARIANTS = ("marked", "thinned", "unmarked", "guest_titled")
# The page generator closes a paragraph at the first sentence end after this many words.
PARAGRAPH_WORDS = 50
# Two spellings of a name are one person from this rapidfuzz ratio on ("Rich lannone" / "Rich Iannone").
SAME_NAME_RATIO = 90
_WORD = re.compile(r"\w+")
_LABEL_COUNT = re.compile(r"^(.*?) \(\d+\)$")
_EPISODE_NO = re.compile(r"(\d+)")


@dataclass(frozen=True)
class ShowEpisode:
    """One labelled episode: its show, the title its page gets, and its turns as (true name, text)."""

    key: str
    show: str
    title: str
    turns: tuple[tuple[str, str], ...]
    roles: dict[str, str]  # true name -> host / guest / other
    aliases: dict[str, tuple[str, ...]] = dataclasses.field(default_factory=dict)  # true name -> other names


@dataclass(frozen=True)
class Page:
    """The page text of an episode and, per word token of its body, the index of the true turn."""

    text: str
    words: tuple[str, ...]
    turn_of_word: tuple[int, ...]


def _roster(path: Path = HOSTS) -> dict[str, dict[str, tuple[str, str]]]:
    """show -> person key of every spelling -> (canonical name, role); the canonical name's own key maps to
    itself, so the other keys are its aliases."""
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
    out: dict[str, dict[str, tuple[str, str]]] = {}
    for row in csv.DictReader(lines):
        names = [row["name"], *(a for a in row["aliases"].split("|") if a)]
        for name in names:
            out.setdefault(row["show"], {})[person_key(name)] = (row["name"], row["role"])
    return out


def load_episodes(folder: Path = TRAINING) -> list[ShowEpisode]:
    """Every episode the manifest lists, read with the project's own readers; [] when the folder is absent."""
    manifest = folder / "manifest.json"
    if not manifest.is_file():
        return []
    roster = _roster()
    episodes = []
    for entry in json.loads(manifest.read_text(encoding="utf-8")):
        path = folder.parent / entry["file"]
        labels = {m.group(1) for part in entry["speakers"].split("; ") if (m := _LABEL_COUNT.match(part.strip()))}
        doc = detect_and_parse(decode(path.read_bytes()).text, path.name)
        known = roster.get(entry["show"], {})
        turns: list[tuple[str, str]] = []
        who: str | None = None
        for seg in doc.segments:
            if seg.speaker in labels:
                who = None if seg.speaker == "Break" else known.get(person_key(seg.speaker), (seg.speaker, ""))[0]
            # an unlabelled paragraph (or a stray label the manifest does not count) continues the speaker
            text = " ".join(seg.text.split())
            if who is None or not text:
                continue
            if turns and turns[-1][0] == who:
                turns[-1] = (who, turns[-1][1] + " " + text)
            else:
                turns.append((who, text))
        roles = {name: next((r for n, r in known.values() if n == name), "guest") for name, _ in turns}
        number = _EPISODE_NO.search(path.stem)
        title = doc.title if entry["source"] == "lenny" and doc.title else f"{entry['show']} #{number.group(1)}"
        key = path.stem
        spellings: dict[str, list[str]] = {}
        for alias_key, (name, _role) in known.items():
            spellings.setdefault(name, []).append(alias_key)
        aliases = {name: tuple(spellings.get(name, ())) for name in roles}
        episodes.append(ShowEpisode(key, entry["show"], title, tuple(turns), roles, aliases))
    return episodes


def markers(episode: ShowEpisode, variant: str) -> list[bool]:
    """Per turn, whether the page marks its start with ``- `` (never the first turn)."""
    n = len(episode.turns)
    if variant in ("marked", "guest_titled"):
        return [i > 0 for i in range(n)]
    if variant == "unmarked":
        return [False] * n
    rng = random.Random(f"{episode.key}:thinned")
    return [i > 0 and rng.random() < 0.5 for i in range(n)]


def page(episode: ShowEpisode, marked: Sequence[bool]) -> Page:
    """The page-text file of the episode with a marker where `marked` says."""
    paragraphs: list[list[str]] = [[]]
    words: list[str] = []
    turn_of_word: list[int] = []
    in_paragraph = 0
    for t, (_who, text) in enumerate(episode.turns):
        # a dash inside a turn ("functional programming - it has") is written as an en dash, so that only
        # the page's own markers read as changes of speaker
        tokens = ["–" if token == "-" else token for token in text.split()]
        if marked[t]:
            paragraphs[-1].append("-")
        for token in tokens:
            paragraphs[-1].append(token)
            for w in _WORD.findall(token.lower()):
                words.append(w)
                turn_of_word.append(t)
            in_paragraph += 1
            if in_paragraph > PARAGRAPH_WORDS and token[-1] in ".?!":
                paragraphs.append([])
                in_paragraph = 0
    body = "\n\n".join(" ".join(p) for p in paragraphs if p)
    text = f"Back to Index\n\n{episode.title}\n\nTranscript\n\n{body}\n"
    return Page(text, tuple(words), tuple(turn_of_word))


def same_name(predicted: str | None, truth: str, others: Sequence[str] = (), aliases: Sequence[str] = ()) -> bool:
    """A name is right when it is the true person's: the same key or a near spelling (an ASR misspelling),
    one of the names the person goes by (`aliases`: "KBall" for Kevin Ball), the first and last name of a
    longer one ("Aishwarya Reganti"), a short form of the first name with the surname ("Alex Neumann" for
    Alexander Neumann), or the first name alone when no other speaker of the file has that first name."""
    if not predicted:
        return False
    a = person_key(predicted)
    for b in (person_key(truth), *(person_key(x) for x in aliases)):
        if a == b or fuzz.ratio(a, b) >= SAME_NAME_RATIO:
            return True
    pa, pb = a.split("-"), person_key(truth).split("-")
    same_surname = len(pa) >= 2 and len(pb) >= 2 and pa[-1] == pb[-1]
    short_first = min(len(pa[0]), len(pb[0])) >= 3 and (pb[0].startswith(pa[0]) or pa[0].startswith(pb[0]))
    if same_surname and (pa[0] == pb[0] or short_first):
        return True
    first = pb[0]
    return a == first and not any(person_key(o).split("-")[0] == first for o in others if o != truth)


@dataclass(frozen=True)
class Scored:
    """Per-word and per-turn rows of one episode under one variant (`rows` feed tasks.speakers.score)."""

    words: list[dict]  # one per aligned word: name_ok, role_ok, answered
    turns: list[dict]  # one per pipeline turn: w, name_ok, role_ok, conf, answered, name_scored
    baselines: dict[str, dict[str, float]]
    n_true_turns: int
    n_pipeline_turns: int
    n_speakers: int


def score(episode: ShowEpisode, pg: Page, built: Episode) -> Scored:
    """Align the built episode's words to the page's and score its speakers per word and per turn."""
    turns = built.table("turns")
    speakers = {r["speaker_id"]: r for r in built.table("speakers").iter_rows(named=True)}
    starts = turns["start_char"].to_list()
    clean = [(m.group().lower(), m.start()) for m in _WORD.finditer(built.text)]
    matcher = difflib.SequenceMatcher(None, pg.words, [w for w, _ in clean], autojunk=False)
    truth_names = [who for who, _ in episode.turns]
    everyone = sorted(set(truth_names))
    pairs: list[tuple[int, int]] = []  # (true turn, pipeline turn) per aligned word
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            char = clean[block.b + k][1]
            pairs.append((pg.turn_of_word[block.a + k], bisect.bisect_right(starts, char) - 1))
    rows = turns.select("speaker_id", "attribution_confidence").rows()

    def said(p: int) -> tuple[str | None, str]:
        sid = rows[p][0]
        s = speakers.get(sid) if sid is not None else None
        return (s["name"] if s else None), (s["role"] if s else "unknown")

    words = []
    per_turn: dict[int, Counter[int]] = {}
    for t, p in pairs:
        name, role = said(p)
        who = truth_names[t]
        words.append(
            {
                "name_ok": same_name(name, who, everyone, episode.aliases.get(who, ())),
                "role_ok": role == episode.roles[who],
                "answered": rows[p][0] is not None,
            }
        )
        per_turn.setdefault(p, Counter())[t] += 1
    # an anonymous speaker (S1) claims a voice, not a name: it is right where the turn's true speaker is
    # the person who says most of that speaker's words
    voice: dict[str, Counter[str]] = {}
    for t, p in pairs:
        if rows[p][0] is not None and said(p)[0] is None:
            voice.setdefault(rows[p][0], Counter())[truth_names[t]] += 1
    voice_of = {sid: c.most_common(1)[0][0] for sid, c in voice.items()}
    turn_rows = []
    for p, counts in sorted(per_turn.items()):
        by_person: Counter[str] = Counter()
        for t, n in counts.items():
            by_person[truth_names[t]] += n
        who = by_person.most_common(1)[0][0]
        name, role = said(p)
        sid = rows[p][0]
        turn_rows.append(
            {
                "w": sum(counts.values()),
                "w_name_ok": sum(
                    n
                    for person, n in by_person.items()
                    if same_name(name, person, everyone, episode.aliases.get(person, ()))
                ),
                "w_role_ok": sum(n for person, n in by_person.items() if role == episode.roles[person]),
                "name_ok": same_name(name, who, everyone, episode.aliases.get(who, ())),
                "claim_ok": same_name(name, who, everyone, episode.aliases.get(who, ()))
                if name
                else sid is not None and voice_of.get(sid) == who,
                "role_ok": role == episode.roles[who],
                "name_scored": True,
                "conf": float(rows[p][1] or 0.0),
                "answered": sid is not None,
                "named": name is not None,
            }
        )
    return Scored(words, turn_rows, _baselines(episode, pairs), len(episode.turns), len(rows), len(everyone))


def _baselines(episode: ShowEpisode, pairs: list[tuple[int, int]]) -> dict[str, dict[str, float]]:
    """Oracle-named baselines on the same aligned words: the top talker for everything, and the pipeline's
    turns alternately to the first two true speakers (in order of appearance)."""
    names = [who for who, _ in episode.turns]
    talk = Counter(names[t] for t, _ in pairs)
    top = talk.most_common(1)[0][0] if talk else None
    order = list(dict.fromkeys(names))
    first_two = (order + order)[:2]
    guesses = {
        "majority": [top for _ in pairs],
        "alternating": [first_two[p % 2] for _, p in pairs],
    }
    out = {}
    for name, guess in guesses.items():
        truth = [names[t] for t, _ in pairs]
        n = max(1, len(pairs))
        roles = episode.roles
        same_role = sum(g is not None and roles[g] == roles[w] for g, w in zip(guess, truth, strict=True))
        out[name] = {
            "name_accuracy": round(sum(g == w for g, w in zip(guess, truth, strict=True)) / n, 4),
            "role_accuracy": round(same_role / n, 4),
        }
    return out


def build_page(pg: Page, key: str, context: BuildContext) -> Episode:
    return build_episode(pg.text.encode("utf-8"), f"training/{key}.txt", context)


def _share(rows: Sequence[dict], key: str, weight: str | None = None) -> float | None:
    total = sum(r[weight] for r in rows) if weight else len(rows)
    if not total:
        return None
    hits = sum(r[weight] for r in rows if r[key]) if weight else sum(1 for r in rows if r[key])
    return round(hits / total, 4)


def summarise(scored: Sequence[Scored]) -> dict:
    """Figures over a set of scored episodes: word accuracies (unknown = wrong), the shares of words
    answered and named, calibration of what each turn claims (a name, or for S1 a voice), baselines."""
    from tasks.speakers.score import reliability

    turns = [t for s in scored for t in s.turns]
    w = max(1, sum(t["w"] for t in turns))
    claims = [t | {"name_ok": t["claim_ok"]} for t in turns]
    table, ece = reliability(claims)
    named_claims = [t for t in claims if t["named"]]
    _named_table, named_ece = reliability(named_claims)
    sure = [t for t in claims if t["answered"] and t["conf"] >= 0.9]
    n_words = max(1, sum(len(s.words) for s in scored))
    baselines = {}
    for name in ("majority", "alternating"):
        for figure in ("name_accuracy", "role_accuracy"):
            weighted = sum(s.baselines[name][figure] * len(s.words) for s in scored) / n_words
            baselines.setdefault(name, {})[figure] = round(weighted, 4)
    return {
        "n_files": len(scored),
        "n_words": sum(t["w"] for t in turns),
        "name_accuracy": round(sum(t["w_name_ok"] for t in turns if t["answered"]) / w, 4),
        "role_accuracy": round(sum(t["w_role_ok"] for t in turns) / w, 4),
        "answered_share": round(sum(t["w"] for t in turns if t["answered"]) / w, 4),
        "named_share": round(sum(t["w"] for t in turns if t["named"]) / w, 4),
        "ece": ece,
        "ece_named": named_ece,
        "reliability": table,
        "conf_ge_0.9": {"n": len(sure), "accuracy": _share(sure, "claim_ok")},
        "baselines": baselines,
    }


def recalibrate(scored: Scored, platt: tuple[float, float], unknown_below: float) -> Scored:
    """`scored` as the pipeline would have scored it with its confidences re-scaled by `platt` (a Platt
    scaling of a Platt scaling is one, so `--fit` can ship the composition): a turn now below
    `unknown_below` is unknown (no speaker, so no name), as `calibration.decide` makes it."""
    a, b = platt
    turns = []
    for t in scored.turns:
        p = min(max(t["conf"], 1e-6), 1 - 1e-6)
        conf = 1 / (1 + math.exp(-(a * math.log(p / (1 - p)) + b)))
        t = t | {"conf": conf}
        if t["answered"] and conf < unknown_below:
            t |= {"answered": False, "named": False, "name_ok": False, "claim_ok": False, "w_name_ok": 0}
        turns.append(t)
    return dataclasses.replace(scored, turns=turns)


def loso_platt(by_show: Mapping[str, Sequence[Scored]]) -> dict[str, tuple[float, float]]:
    """Per show, the Platt scaling of the stated confidences fitted on the *other* shows' answered turns
    (leave-one-show-out), and under ``"*"`` the one fitted on every show (what `--fit` ships)."""
    from tasks.speakers.calibration import fit_platt

    def pairs(shows: Sequence[str]) -> list[tuple[float, bool]]:
        return [(t["conf"], t["claim_ok"]) for show in shows for s in by_show[show] for t in s.turns if t["answered"]]

    fits = {show: fit_platt(pairs([o for o in by_show if o != show])) for show in by_show}
    fits["*"] = fit_platt(pairs(list(by_show)))
    return fits


Named = tuple[str, str, str, str]  # (show the pipeline found, episode key, speaker name, role)


def guest_titled(episode: ShowEpisode) -> ShowEpisode:
    """The episode under a title of the common form ``Guest: Topic | Show #N`` that names its guests (the
    guests are the truth's; Lenny's Podcast keeps its own title, which names them already)."""
    guests = [name for name, role in episode.roles.items() if role == "guest"]
    if guests and re.fullmatch(r".+ #\d+", episode.title):
        return dataclasses.replace(episode, title=f"{' & '.join(guests)}: a conversation | {episode.title}")
    return episode


def _one(job: tuple[ShowEpisode, str, BuildContext]) -> tuple[str, str, str, Scored, list[Named]]:
    episode, variant, context = job
    if variant == "guest_titled":
        episode = guest_titled(episode)
    pg = page(episode, markers(episode, variant))
    built = build_page(pg, episode.key, context)
    show = built.table("episodes")["show"][0]
    named = [(show, episode.key, n, r) for n, r in built.table("speakers").select("name", "role").rows() if n]
    return episode.show, episode.key, variant, score(episode, pg, built), named


def _with_roster(context: BuildContext, named: Sequence[Named]) -> BuildContext:
    rosters = learn_rosters(named, context.attribution.roster_min_episodes)
    people = with_rosters(context.reference.people_by_show, rosters)
    return dataclasses.replace(context, reference=dataclasses.replace(context.reference, people_by_show=people))


# What the bench chooses, per held-out show, from the other shows' cold runs: how many agreeing vocatives
# name an anonymous speaker (the rest of the model is not tuned on these shows).
NAMING_GRID: list[dict[str, float]] = [
    {"naming_min_votes": v, "naming_min_share": sh} for v in (1, 2) for sh in (0.5, 0.6)
]


def _name_accuracy(results: Sequence[tuple]) -> float:
    turns = [t for r in results for t in r[3].turns]
    w = sum(t["w"] for t in turns)
    return sum(t["w_name_ok"] for t in turns if t["answered"]) / w if w else 0.0


def choose(by_config: Sequence[Sequence[tuple]], shows: set[str]) -> int:
    """The grid point with the best word-weighted name accuracy over the runs of `shows` (ties: the first)."""
    scores = [_name_accuracy([r for r in results if r[0] in shows]) for results in by_config]
    return max(range(len(scores)), key=lambda i: (round(scores[i], 6), -i))


def evaluate_shows(
    context: BuildContext, episodes: Sequence[ShowEpisode], workers: int = 2, people_csv: bool = False
) -> dict:
    """Every episode under every variant through the pipeline without people.csv (it lists four of the ten
    shows' hosts: a show in it is not unseen) unless `people_csv`. Each show is run with the `NAMING_GRID`
    point chosen on the *other* shows (leave-one-show-out), twice: ``cold`` (a lake that holds nothing of the
    show) and ``warm`` (the show's roster learnt, as `tlake run` learns it, from what the cold runs of the
    show's other episodes published). Figures per show, variant and mode, per file, and overall (words
    pooled over shows); ``chosen`` is the grid point chosen on all shows (what `--fit` ships)."""
    from concurrent.futures import ProcessPoolExecutor

    if not people_csv:
        context = dataclasses.replace(context, reference=dataclasses.replace(context.reference, people_by_show={}))
    configs = [
        dataclasses.replace(context, attribution=dataclasses.replace(context.attribution, **g)) for g in NAMING_GRID
    ]
    shows = {e.show for e in episodes}
    with ProcessPoolExecutor(workers) as pool:
        by_config = [
            list(pool.map(_one, [(e, v, c) for e in episodes for v in VARIANTS], chunksize=4)) for c in configs
        ]
        held_out = {show: choose(by_config, shows - {show}) for show in shows}
        cold = [r for show in sorted(shows) for r in by_config[held_out[show]] if r[0] == show]
        named = {(key, variant): rows for _show, key, variant, _s, rows in cold}
        show_of = {e.key: e.show for e in episodes}
        warm_jobs = [
            (
                e,
                v,
                _with_roster(
                    configs[held_out[e.show]],
                    [
                        r
                        for (k, vv), rows in named.items()
                        if vv == v and k != e.key and show_of[k] == e.show
                        for r in rows
                    ],
                ),
            )
            for e in episodes
            for v in VARIANTS
        ]
        warm = list(pool.map(_one, warm_jobs, chunksize=4))
    cold_by_show: dict[str, list[Scored]] = {}
    for show, _key, _variant, scored, _named in cold:
        cold_by_show.setdefault(show, []).append(scored)
    fits = loso_platt(cold_by_show)
    below = context.attribution.unknown_below

    def loso(results: list) -> list:
        return [(sh, k, v, recalibrate(sc, fits[sh], below), nm) for sh, k, v, sc, nm in results]

    modes = {"cold": cold, "warm": warm, "cold_loso_calibrated": loso(cold), "warm_loso_calibrated": loso(warm)}
    out: dict = {
        "per_show": {},
        "overall": {},
        "files": {},
        "loso_platt": {k: list(v) for k, v in fits.items()},
        "grid": NAMING_GRID,
        "grid_name_accuracy": [round(_name_accuracy(results), 4) for results in by_config],
        "held_out_choice": {show: NAMING_GRID[i] for show, i in sorted(held_out.items())},
        "chosen": NAMING_GRID[choose(by_config, shows)],
    }
    for mode, results in modes.items():
        by_show: dict[tuple[str, str], list[Scored]] = {}
        for show, key, variant, sc, _named in results:
            by_show.setdefault((show, variant), []).append(sc)
            figures = summarise([sc])
            out["files"].setdefault(key, {"show": show}).setdefault(mode, {})[variant] = {
                k: figures[k] for k in ("name_accuracy", "role_accuracy", "answered_share", "named_share")
            } | {
                "true_turns": sc.n_true_turns,
                "pipeline_turns": sc.n_pipeline_turns,
                "most_confident_bin_beats_chance": _confident_bin_beats_chance(sc),
            }
        for (show, variant), scored in sorted(by_show.items()):
            out["per_show"].setdefault(show, {}).setdefault(mode, {})[variant] = summarise(scored)
        for variant in VARIANTS:
            pooled = [sc for (_, v), ss in by_show.items() if v == variant for sc in ss]
            out["overall"].setdefault(mode, {})[variant] = summarise(pooled)
    return out


def _confident_bin_beats_chance(s: Scored) -> bool | None:
    """Whether the file's answered turns in its most confident fifth are right more often than one in
    the number of true speakers (None when nothing is answered)."""
    answered = [t for t in s.turns if t["answered"]]
    if not answered:
        return None
    top = max(min(int(t["conf"] * 5), 4) for t in answered)
    inbin = [t for t in answered if min(int(t["conf"] * 5), 4) == top]
    return sum(t["claim_ok"] for t in inbin) / len(inbin) > 1 / max(2, s.n_speakers)
