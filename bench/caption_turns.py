"""Speaker changes in caption files without speaker labels, from cue timing and text alone.

Data: the 12 Talk Python To Me episodes of ../shared/training/speakers/talkpython_*.vtt, read with
`tasks.formats.vtt` (cues without a voice tag, nearly all outro music, are dropped). Truth: a
boundary before cue i when its voice differs from cue i-1's. No cue carries two voices, so the truth has no
change inside a cue and the candidates are the cue starts. Features (``FEATURES``) never look at the voice.

Protocol, leave one episode out: every model is fitted on the other 11 episodes; its decision threshold is
the one that maximises F1 (``_p0.7``/``_p0.9``: reaches that precision at the most recall) on scores of
those 11 that are themselves held out (each scored by a model fitted on the other 10); the 12th is scored
once.
Baselines in the same harness: pause >= t (t chosen the same way), every question mark, no boundary, and
the text boundary model of `bench.boundaries` (SHIPPED weights, fitted on other files) with its threshold
chosen on the training episodes. ``hmm`` decodes host/guest states by Viterbi, combining the boundary
model with a per-cue host model (the host label is used only as a training target on training folds).
``+host_nb`` adds a Naive Bayes host-vs-other score per cue over words and word pairs, fitted on training
episodes only: show-specific (the same host in every episode), so an upper bound for a show with
labelled history rather than something a cold pipeline has.

Run: ``PYTHONPATH=. .venv/bin/python bench/caption_turns.py``; writes bench/results/caption_turns.json.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bench.boundaries import SHIPPED, _bnd_features, _bnd_fit
from tasks.enrich import is_backchannel
from tasks.formats import vtt
from tasks.speakers.cues import _HOST_PHRASES, TAG_QUESTION, ends_with_question

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "training" / "speakers"
OUT = ROOT / "bench" / "results" / "caption_turns.json"
HOST = "Michael Kennedy"
PRECISION_TARGET = 0.9


@dataclass(frozen=True, slots=True)
class CueRec:
    start: float
    end: float
    text: str
    voice: str


def read_cues(text: str, name: str = "x.vtt") -> tuple[list[CueRec], int]:
    """Cues with a voice and times, in file order, and how many cues were dropped for lacking either."""
    segs = vtt.parse(text, name).segments
    keep = [s for s in segs if s.speaker and s.start_s is not None and s.end_s is not None]
    return [CueRec(s.start_s, s.end_s, s.text, s.speaker) for s in keep], len(segs) - len(keep)  # type: ignore[arg-type]


def load_episodes(folder: Path = DATA) -> dict[str, list[CueRec]]:
    return {
        p.stem: read_cues(p.read_text(encoding="utf-8"), p.name)[0] for p in sorted(folder.glob("talkpython_*.vtt"))
    }


def truth(cues: Sequence[CueRec]) -> np.ndarray:
    """1.0 at position i-1 when cue i's voice differs from cue i-1's (i = 1 .. n-1)."""
    return np.array([float(cues[i].voice != cues[i - 1].voice) for i in range(1, len(cues))])


def turn_lengths(cues: Sequence[CueRec]) -> list[int]:
    """Cues per speaker turn."""
    out: list[int] = []
    for i, c in enumerate(cues):
        if i and c.voice == cues[i - 1].voice:
            out[-1] += 1
        else:
            out.append(1)
    return out


_OPENER = re.compile(
    r"^(?:yeah|yes|yep|yup|right|sure|so|well|oh|absolutely|exactly|okay|ok|i mean|um|uh|no|nope|totally|"
    r"definitely|indeed|true|wow|cool|nice|great|awesome|interesting|mm-hmm|mhm|uh-huh|for sure|of course)\b",
    re.I,
)
_CONT = re.compile(r"^(?:and|but|because|or|which|that|then|plus|to|of|in|with|for)\b", re.I)
_FIRST = re.compile(r"\b(?:i|i'm|i've|i'd|i'll|me|my|we|we're|our)\b", re.I)
_SECOND = re.compile(r"\b(?:you|you're|you've|your|yours)\b", re.I)
_VOC_END = re.compile(r",\s+[A-Z][a-z]+[?.!]$")
_SENT = re.compile(r"(?<=[.!?])\s+")

FEATURES = (
    "bias",
    "gap",
    "log_gap",
    "log_gap_rel",
    "log_gap_after",
    "log_prev_dur",
    "log_prev_words",
    "log_cur_words",
    "prev_q",
    "prev_tag_q",
    "prev_asks_you",
    "prev_sent_end",
    "prev_comma",
    "prev_voc_end",
    "prev_host_phrase",
    "cur_opener",
    "q_then_opener",
    "cur_bc",
    "prev_bc",
    "cur_short",
    "cur_lower",
    "cur_cont",
    "you_then_i",
    "rate_change",
    "text_model",
)
TIMING = ("bias", "gap", "log_gap", "log_gap_rel", "log_gap_after", "log_prev_dur")


def text_model_logit(cues: Sequence[CueRec]) -> np.ndarray:
    """`bench.boundaries` SHIPPED score (Platt-scaled logit) at each cue start, cues split into sentences."""
    pieces: list[str] = []
    first: list[int] = []
    for c in cues:
        first.append(len(pieces))
        pieces += [s for s in _SENT.split(c.text.strip()) if s] or [c.text]
    z = _bnd_features(pieces) @ np.asarray(SHIPPED.weights)
    a, b = SHIPPED.platt
    return np.array([a * z[k] + b for k in first[1:]])


def features(cues: Sequence[CueRec]) -> np.ndarray:
    """One row of ``FEATURES`` per cue start after the first."""
    n = len(cues)
    gaps = [max(0.0, cues[i].start - cues[i - 1].end) for i in range(1, n)]
    med = float(np.median(gaps)) if gaps else 0.0
    tm = text_model_logit(cues) if n > 1 else np.zeros(0)
    rows = []
    for i in range(1, n):
        p, c = cues[i - 1], cues[i]
        pt, ct = p.text.strip(), c.text.strip()
        pw, cw = len(pt.split()), len(ct.split())
        pd, cd = max(p.end - p.start, 0.1), max(c.end - c.start, 0.1)
        g = gaps[i - 1]
        after = max(0.0, cues[i + 1].start - c.end) if i + 1 < n else 2.0
        pq = pt.endswith("?")
        tag = pq and bool(TAG_QUESTION.search(pt[-40:]))
        opener = bool(_OPENER.match(ct))
        rows.append(
            (
                1.0,
                min(g, 5.0),
                math.log(0.05 + g),
                math.log((0.05 + g) / (0.05 + med)),
                math.log(0.05 + after),
                math.log(pd),
                math.log1p(pw),
                math.log1p(cw),
                float(pq),
                float(tag),
                float(ends_with_question(pt)),
                float(pt.endswith((".", "!", "?"))),
                float(pt.endswith(",")),
                float(bool(_VOC_END.search(pt))),
                float(bool(_HOST_PHRASES.search(pt))),
                float(opener),
                float(pq and not tag and opener),
                float(is_backchannel(ct)),
                float(is_backchannel(pt)),
                float(cw <= 2 or cd < 1.0),
                float(ct[:1].islower()),
                float(bool(_CONT.match(ct))),
                float(bool(_SECOND.search(pt)) and bool(_FIRST.search(" ".join(ct.split()[:6])))),
                abs(math.log((cw + 1) / cd) - math.log((pw + 1) / pd)),
                float(tm[i - 1]),
            )
        )
    return np.array(rows).reshape(-1, len(FEATURES))


_TOKEN = re.compile(r"[a-z']+|\?")


def tokens(text: str) -> list[str]:
    w = _TOKEN.findall(text.lower())
    return w + [f"{a} {b}" for a, b in itertools.pairwise(w)]


def fit_host_nb(episodes: Sequence[Sequence[CueRec]], alpha: float = 1.0, min_count: int = 3) -> Callable:
    """Naive Bayes over words and word pairs, host vs everyone else, from labelled training episodes.
    Returns a scorer: cues -> per-cue host log-likelihood ratio (divided by sqrt of the token count)."""
    ch: Counter[str] = Counter()
    cg: Counter[str] = Counter()
    for cues in episodes:
        for c in cues:
            (ch if c.voice == HOST else cg).update(tokens(c.text))
    vocab = [w for w in ch.keys() | cg.keys() if ch[w] + cg[w] >= min_count]
    nh, ng = sum(ch[w] for w in vocab) + alpha * len(vocab), sum(cg[w] for w in vocab) + alpha * len(vocab)
    llr = {w: math.log((ch[w] + alpha) / nh) - math.log((cg[w] + alpha) / ng) for w in vocab}

    def score(cues: Sequence[CueRec]) -> np.ndarray:
        toks = [tokens(c.text) for c in cues]
        return np.array([sum(llr.get(w, 0.0) for w in t) / math.sqrt(max(1, len(t))) for t in toks])

    return score


HOST_FEATURES = ("host_step", "host_window_step", "host_sign_flip")


def host_change_features(h: np.ndarray) -> np.ndarray:
    """Per cue start: |h_i - h_(i-1)|, |mean h over the next 3 cues - mean over the previous 3|, sign flip."""
    rows = [
        (abs(h[i] - h[i - 1]), abs(h[i : i + 3].mean() - h[max(0, i - 3) : i].mean()), float(h[i] * h[i - 1] < 0))
        for i in range(1, len(h))
    ]
    return np.array(rows).reshape(-1, len(HOST_FEATURES))


# ---------------------------------------------------------------- models and thresholds


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-np.clip(z, -30, 30)))


@dataclass(frozen=True, slots=True)
class Logit:
    """L2 logistic regression on standardised columns (column 0 is the intercept)."""

    cols: tuple[int, ...]
    mean: np.ndarray
    sd: np.ndarray
    w: np.ndarray

    @classmethod
    def fit(cls, x: np.ndarray, y: np.ndarray, cols: Sequence[int]) -> Logit:
        xs = x[:, cols]
        mean, sd = xs.mean(0), xs.std(0)
        mean[0], sd[0] = 0.0, 1.0
        sd[sd == 0] = 1.0
        return cls(tuple(cols), mean, sd, _bnd_fit((xs - mean) / sd, y, 1.0))

    def logit(self, x: np.ndarray) -> np.ndarray:
        return ((x[:, self.cols] - self.mean) / self.sd) @ self.w


def best_threshold(s: np.ndarray, y: np.ndarray, precision: float | None = None) -> float:
    """Predict s >= t. The t of highest F1, or with ``precision`` the lowest t whose precision reaches it."""
    order = np.argsort(-s, kind="stable")
    ss, tp = s[order], np.cumsum(y[order])
    npred = np.arange(1, len(s) + 1)
    last = np.r_[ss[1:] != ss[:-1], True]  # a threshold keeps all ties
    if precision is None:
        f1 = np.where(last, 2 * tp / (npred + y.sum()), -1.0)
        return float(ss[int(np.argmax(f1))])
    ok = np.flatnonzero(last & (tp / npred >= precision) & (npred >= 5))
    return float(ss[ok[-1]]) if len(ok) else math.inf


def prf(pred: np.ndarray, y: np.ndarray) -> dict:
    tp, npred, ntrue = int((pred * y).sum()), int(pred.sum()), int(y.sum())
    p, r = tp / npred if npred else 0.0, tp / ntrue if ntrue else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "n_pred": npred,
        "n_true": ntrue,
        "tp": tp,
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(f1, 4),
    }


Data = dict[str, tuple[np.ndarray, np.ndarray]]
Fold = Callable[[str], Data]  # held-out key -> (features, truth) of every episode, built without its labels
Scorer = Callable[[Data, list[str]], Callable[[np.ndarray], np.ndarray]]


def logit_scorer(cols: Sequence[int]) -> Scorer:
    def train(data: Data, keys: list[str]) -> Callable[[np.ndarray], np.ndarray]:
        return Logit.fit(np.vstack([data[k][0] for k in keys]), np.concatenate([data[k][1] for k in keys]), cols).logit

    return train


def column_scorer(col: int) -> Scorer:
    """A fixed score (one feature column): nothing to fit but the threshold."""
    return lambda data, keys: lambda x: x[:, col]


def held_out(fold: Fold, keys: list[str], scorer: Scorer, precision: float | None = None) -> dict[str, np.ndarray]:
    """Leave-one-episode-out predictions; the threshold from inner leave-one-out scores on the 11."""
    out = {}
    for k in keys:
        data, train = fold(k), [j for j in keys if j != k]
        inner = [(scorer(data, [i for i in train if i != j])(data[j][0]), data[j][1]) for j in train]
        t = best_threshold(np.concatenate([s for s, _ in inner]), np.concatenate([y for _, y in inner]), precision)
        out[k] = (scorer(data, train)(data[k][0]) >= t).astype(float)
    return out


# ---------------------------------------------------------------- host/guest Viterbi


def viterbi_changes(change_logit: np.ndarray, host_logit: np.ndarray, bias: float, lam: float) -> np.ndarray:
    """Two states (host, guest); log P(change at i) from ``change_logit + bias``; per-cue emission
    ``lam * host_logit`` for the host state (0 for guest). Returns 1.0 where the decoded state changes."""
    n = len(host_logit)
    if n < 2:
        return np.zeros(0)
    z = change_logit + bias
    lch, lstay = -np.logaddexp(0, -z), -np.logaddexp(0, z)
    em = np.stack([lam * host_logit, np.zeros(n)], 1)
    v = em[0].copy()
    back = np.zeros((n, 2), dtype=int)
    for i in range(1, n):
        stay, move = v + lstay[i - 1], v[::-1] + lch[i - 1]
        back[i] = np.where(stay >= move, [0, 1], [1, 0])
        v = np.maximum(stay, move) + em[i]
    s = np.zeros(n, dtype=int)
    s[-1] = int(np.argmax(v))
    for i in range(n - 1, 0, -1):
        s[i - 1] = back[i, s[i]]
    return (s[1:] != s[:-1]).astype(float)


HMM_BIAS = (-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5)
HMM_LAM = (0.0, 0.5, 1.0, 1.5, 2.0)


def hmm_held_out(fold: Fold, cue_fold: Fold, keys: list[str]) -> dict[str, np.ndarray]:
    """Viterbi with the boundary model (``fold``) and a per-cue host logistic model (``cue_fold``: rows per
    cue, truth = voice is the host) fitted on the 11; (bias, lam) by F1 on inner leave-one-out scores."""
    out = {}
    for k in keys:
        data, cue, train = fold(k), cue_fold(k), [j for j in keys if j != k]

        def scores(fit_on: list[str], j: str, data: Data = data, cue: Data = cue) -> tuple[np.ndarray, np.ndarray]:
            b = logit_scorer(range(data[j][0].shape[1]))(data, fit_on)
            h = logit_scorer(range(cue[j][0].shape[1]))(cue, fit_on)
            return b(data[j][0]), h(cue[j][0])

        inner = [(*scores([i for i in train if i != j], j), data[j][1]) for j in train]
        ys = np.concatenate([y for *_, y in inner])

        def f1(bias: float, lam: float, inner: list = inner, ys: np.ndarray = ys) -> float:
            return prf(np.concatenate([viterbi_changes(c, h, bias, lam) for c, h, _ in inner]), ys)["f1"]

        bias, lam = max(((b, g) for b in HMM_BIAS for g in HMM_LAM), key=lambda p: f1(*p))
        out[k] = viterbi_changes(*scores(train, k), bias, lam)
    return out


# ---------------------------------------------------------------- report


def cue_rows(cues: Sequence[CueRec], host_nb: np.ndarray) -> np.ndarray:
    """Per cue, for the host emission: bias, host Naive Bayes score, ends with '?', log words, back-channel."""
    return np.array(
        [
            (
                1.0,
                h,
                float(c.text.strip().endswith("?")),
                math.log1p(len(c.text.split())),
                float(is_backchannel(c.text)),
            )
            for c, h in zip(cues, host_nb, strict=True)
        ]
    ).reshape(-1, 5)


def precision_at_recall(pairs: list[tuple[np.ndarray, np.ndarray]], recalls: Sequence[float]) -> dict[str, float]:
    """Oracle summary of held-out scores pooled over episodes: the best precision at recall >= r."""
    s, y = np.concatenate([a for a, _ in pairs]), np.concatenate([b for _, b in pairs])
    order = np.argsort(-s, kind="stable")
    tp = np.cumsum(y[order])
    prec, rec = tp / np.arange(1, len(s) + 1), tp / y.sum()
    return {f"{r:.1f}": round(float(prec[rec >= r].max()), 4) for r in recalls}


def evaluate(episodes: dict[str, list[CueRec]]) -> dict:
    keys = list(episodes)
    base = {k: (features(c), truth(c)) for k, c in episodes.items()}
    ix = {f: j for j, f in enumerate(FEATURES)}
    allc = list(range(len(FEATURES)))
    host_y = {k: np.array([float(x.voice == HOST) for x in c]) for k, c in episodes.items()}
    nb_cache: dict[str, dict[str, np.ndarray]] = {}

    def nb_scores(k: str) -> dict[str, np.ndarray]:
        """Host NB score of every episode with neither its own nor k's labels (k's from the other 11)."""
        if k not in nb_cache:
            train = [j for j in keys if j != k]
            nb_cache[k] = {j: fit_host_nb([episodes[i] for i in train if i != j])(episodes[j]) for j in train} | {
                k: fit_host_nb([episodes[i] for i in train])(episodes[k])
            }
        return nb_cache[k]

    def with_host(k: str) -> Data:
        return {j: (np.hstack([x, host_change_features(nb_scores(k)[j])]), y) for j, (x, y) in base.items()}

    def cue_data(k: str) -> Data:
        return {j: (cue_rows(episodes[j], nb_scores(k)[j]), host_y[j]) for j in keys}

    plain_cues = {j: (np.delete(cue_rows(c, np.zeros(len(c))), 1, axis=1), host_y[j]) for j, c in episodes.items()}

    same: Fold = lambda k: base  # noqa: E731
    wide = list(range(len(FEATURES) + len(HOST_FEATURES)))
    variants: dict[str, dict[str, np.ndarray]] = {
        "none": {k: np.zeros_like(y) for k, (_, y) in base.items()},
        "question_mark": {k: x[:, ix["prev_q"]] for k, (x, _) in base.items()},
        "pause": held_out(same, keys, column_scorer(ix["gap"])),
        "text_model": held_out(same, keys, column_scorer(ix["text_model"])),
        "text_model_shipped_emit": {
            k: (sigmoid(x[:, ix["text_model"]]) >= SHIPPED.emit).astype(float) for k, (x, _) in base.items()
        },
        "lr_timing": held_out(same, keys, logit_scorer([ix[f] for f in TIMING])),
        "lr_text": held_out(same, keys, logit_scorer([j for j in allc if FEATURES[j] not in TIMING[1:]])),
        "lr_no_text_model": held_out(same, keys, logit_scorer([j for j in allc if FEATURES[j] != "text_model"])),
        "lr_all": held_out(same, keys, logit_scorer(allc)),
        "lr_all_p0.7": held_out(same, keys, logit_scorer(allc), 0.7),
        f"lr_all_p{PRECISION_TARGET:.1f}": held_out(same, keys, logit_scorer(allc), PRECISION_TARGET),
        "lr_all+host_nb": held_out(with_host, keys, logit_scorer(wide)),
        "lr_all+host_nb_p0.7": held_out(with_host, keys, logit_scorer(wide), 0.7),
        "hmm_host_guest": hmm_held_out(same, lambda k: plain_cues, keys),
        "hmm_host_guest+host_nb": hmm_held_out(with_host, cue_data, keys),
    }
    ys = {k: y for k, (_, y) in base.items()}
    yall = np.concatenate(list(ys.values()))
    result: dict = {"protocol": (__doc__ or "").split("Run:")[0].strip(), "features": [*FEATURES, *HOST_FEATURES]}
    result["overall"] = {name: prf(np.concatenate(list(pr.values())), yall) for name, pr in variants.items()}
    # ranking quality of held-out scores, whatever the threshold (pooled; oracle, not an operating point)
    result["precision_at_recall_oracle"] = {
        name: precision_at_recall(
            [(scorer(fold(k), [j for j in keys if j != k])(fold(k)[k][0]), ys[k]) for k in keys], (0.1, 0.2, 0.3, 0.5)
        )
        for name, fold, scorer in [
            ("pause", same, column_scorer(ix["gap"])),
            ("text_model", same, column_scorer(ix["text_model"])),
            ("lr_all", same, logit_scorer(allc)),
            ("lr_all+host_nb", with_host, logit_scorer(wide)),
        ]
    }
    full = Logit.fit(np.vstack([x for x, _ in base.values()]), yall, allc)
    result["weights_per_sd_all_episodes"] = {f: round(float(w), 3) for f, w in zip(FEATURES, full.w, strict=True)}
    loo_nb = {j: fit_host_nb([episodes[i] for i in keys if i != j])(episodes[j]) for j in keys}
    wide_x = np.vstack([np.hstack([x, host_change_features(loo_nb[j])]) for j, (x, _) in base.items()])
    wide_all = Logit.fit(wide_x, yall, wide)
    result["weights_per_sd_with_host_nb"] = {
        f: round(float(w), 3) for f, w in zip([*FEATURES, *HOST_FEATURES], wide_all.w, strict=True)
    }
    mid = [
        (a.text.strip()[-1:] not in ".?!") and b.text.strip()[:1].islower()
        for c in episodes.values()
        for a, b in itertools.pairwise(c)
        if a.voice != b.voice
    ]
    result["labels"] = {
        "mid_cue_changes": 0,  # no cue of these files carries two <v> voices: the truth never changes inside a cue
        "true_changes_mid_sentence_share": round(sum(mid) / len(mid), 4),
    }
    result["episodes"] = {}
    for k, cues in episodes.items():
        runs = turn_lengths(cues)
        result["episodes"][k] = {
            "n_cues": len(cues),
            "voices": len({c.voice for c in cues}),
            "turns": len(runs),
            "share_turns_under_2_cues": round(sum(r < 2 for r in runs) / len(runs), 4),
            "guest_guest_changes": sum(
                1 for a, b in itertools.pairwise(cues) if a.voice != b.voice and HOST not in (a.voice, b.voice)
            ),
            **{name: prf(preds[k], ys[k]) for name, preds in variants.items()},
        }
    return result


def main() -> None:
    episodes = load_episodes()
    if not episodes:
        raise SystemExit(f"{DATA} is not available")
    res = evaluate(episodes)
    res["labels"]["dropped_cues_without_voice"] = sum(
        read_cues(p.read_text(encoding="utf-8"), p.name)[1] for p in sorted(DATA.glob("talkpython_*.vtt"))
    )
    OUT.write_text(json.dumps(res, indent=1) + "\n", encoding="utf-8")
    print(f"{'variant':26} {'pred':>6} {'P':>6} {'R':>6} {'F1':>6}")
    for n, o in res["overall"].items():
        print(f"{n:26} {o['n_pred']:6d} {o['precision']:6.3f} {o['recall']:6.3f} {o['f1']:6.3f}")
    short = [
        "pause",
        "question_mark",
        "text_model",
        "lr_all",
        "lr_all_p0.7",
        "lr_all+host_nb",
        "hmm_host_guest",
        "hmm_host_guest+host_nb",
    ]
    print(f"\nP/R/F1 per episode: {', '.join(short)}")
    print(
        f"{'episode':28} {'cues':>5} {'turns':>5} {'<2':>5} {'gg':>3} "
        + " ".join(f"{s.replace('hmm_host_guest', 'hmm')[:14]:>14}" for s in short)
    )
    for k, e in res["episodes"].items():
        cells = " ".join(f"{e[s]['precision']:.2f}/{e[s]['recall']:.2f}/{e[s]['f1']:.2f}" for s in short)
        head = f"{k[11:39]:28} {e['n_cues']:5d} {e['turns']:5d} {e['share_turns_under_2_cues']:5.2f}"
        print(f"{head} {e['guest_guest_changes']:3d} {cells}")
    print("\nbest held-out precision at recall >= r (oracle threshold):", res["precision_at_recall_oracle"])
    print("labels:", res["labels"])
    print("weights per SD (all 12):", res["weights_per_sd_all_episodes"])
    print("weights per SD with host NB:", res["weights_per_sd_with_host_nb"])


if __name__ == "__main__":
    main()
