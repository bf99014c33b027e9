"""The sequence model for files that mark speaker changes but not speakers (``- ``, ``>>``).

Hidden state = (current speaker, previous other speaker), so that a conversation that returns to the last
interlocutor (A B A B, the host who asked gets the follow-up) is cheap and a third voice needs evidence.
Emissions combine the address and role cues of `tasks.speakers.cues`; transitions say that markers mean a
change of speaker, that a back-channel belongs to the listener (the speaker changes into it and usually
back after it), and that the answer comes from the addressee (after a host's turn ending on a real
question, a change to the other host is ``question_same_role`` times less likely).

Per-speaker profiles are re-estimated from the current soft assignment (EM, ``em_iterations`` rounds of
forward-backward, averaged over the profile weights ``lex_weights`` x ``len_weights``): a smoothed word
profile (a voice keeps its words over non-adjacent turns: "we/our" + company names for the guest, "you"
for a host; scored without the turn itself so a long turn cannot vouch for itself) and a log-length profile
(the guest's answers run long). These carry identity between two hosts or two guests where no name is said.
Marginal posteriors come from scaled forward-backward. Candidates without any evidence of speaking (never
addressed, never introduced) are dropped, keeping at least one host and one guest, so a listed host who is
absent (Bill Gurley in BG2 Ep17) does not soak up turns; being named in a line-up counts as evidence.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import numpy as np

from tasks.speakers.cues import Cues, ends_with_question, find_cues, host_logodds
from tasks.speakers.introductions import introduced_people
from tasks.speakers.model import Person, TurnView
from tasks.speakers.params import AttributionParams

# Numerical guard: a speaker with no turns yet still has a (tiny) weight in the length profile.
_EMPTY_WEIGHT = 1e-3
# Additive smoothing of the episode's background word distribution.
_BACKGROUND_PSEUDOCOUNT = 0.5

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


def posteriors(
    turns: Sequence[TurnView], people: Sequence[Person], params: AttributionParams, show: str | None = None
) -> tuple[list[Person], np.ndarray]:
    """Forward-backward over turns: the speakers considered and, per turn, P(speaker) over them. `show`
    keeps the show's own name from being read as a person's ("This is Go Time")."""
    candidates, cues = _speakers_present(turns, people, params, show)
    n, m = len(turns), len(candidates)
    emissions = _emissions(turns, candidates, cues, params)
    chain = _Chain(turns, candidates, cues, params)
    post = chain.posteriors(emissions[None])[0]
    if n >= params.em_min_turns and any(w > 0 for w in params.lex_weights):
        post = _with_profiles(turns, emissions, post, chain, params)
    assert post.shape == (n, m)
    return candidates, post


def _speakers_present(
    turns: Sequence[TurnView], people: Sequence[Person], params: AttributionParams, show: str | None
) -> tuple[list[Person], Cues]:
    """The candidates with evidence of speaking (at least two), and the cues re-indexed to them."""
    everyone = list(people)
    everyone += introduced_people(turns, everyone, show, params)
    if not everyone:
        everyone = [Person("S1", "host"), Person("S2", "guest")]
    cues = find_cues(turns, everyone, params)
    keep = _present(turns, everyone, cues)
    if len(keep) < 2 and len(everyone) >= 2:
        keep = sorted([*keep, *[k for k in range(len(everyone)) if k not in keep][: 2 - len(keep)]])
    unnamed: Person | None = None
    if len(keep) < 2:
        # the other voice of the conversation takes the role the one we have lacks
        other_role = "host" if keep and everyone[keep[0]].role == "guest" else "guest"
        unnamed = Person("S2", other_role)
    elif all(everyone[k].role == "guest" for k in keep):
        # guests do not interview themselves: whoever introduced them ("my guests are Melissa Perri and
        # Denise Tilles") is a host the page never names
        unnamed = Person("S1", "host")
    if unnamed is not None:
        everyone = [*everyone, unnamed]
        keep = [*keep, len(everyone) - 1]
        cues = find_cues(turns, everyone, params)
    remap = {k: i for i, k in enumerate(keep)}

    def ids(per_turn: list[set[int]]) -> list[set[int]]:
        return [{remap[k] for k in s if k in remap} for s in per_turn]

    kept = Cues(
        ids(cues.addressed),
        ids(cues.addressed_end),
        ids(cues.mentioned),
        ids(cues.intro),
        ids(cues.listed),
        ids(cues.peer),
    )
    return [everyone[k] for k in keep], kept


def _present(turns: Sequence[TurnView], people: list[Person], cues: Cues) -> list[int]:
    evidence = [0] * len(people)
    for t in range(len(turns)):
        for k in cues.addressed[t] | cues.intro[t] | cues.listed[t]:
            evidence[k] += 1
    # guests are episode-specific (header/title): assumed present; hosts and regulars need evidence
    keep = [k for k in range(len(people)) if evidence[k] > 0 or people[k].role == "guest"]
    for role in ("host", "guest"):
        if not any(people[k].role == role for k in keep):
            first = next((k for k in range(len(people)) if people[k].role == role), None)
            if first is not None and (role == "guest" or not any(people[k].role == "other" for k in keep)):
                keep.append(first)
    return sorted(keep)


def _lead_host(people: Sequence[Person], cues: Cues, n: int, params: AttributionParams) -> int | None:
    """The first present host in candidate order (header hosts come first), unless a host introduces
    themselves in the opening turns: the initial state prefers the lead host; afterwards the
    return-to-interlocutor transition carries identity."""
    opening = range(min(params.opening_turns, n))
    opener = next((i for t in opening for i in sorted(cues.intro[t]) if people[i].role == "host"), None)
    return opener if opener is not None else next((i for i, p in enumerate(people) if p.role == "host"), None)


def _emissions(
    turns: Sequence[TurnView], people: Sequence[Person], cues: Cues, params: AttributionParams
) -> np.ndarray:
    """Log-score of every (turn, speaker) from the turn's own words and the cues around it."""
    n, m = len(turns), len(people)
    lead = _lead_host(people, cues, n, params)
    backchannel_share = {
        "host": params.backchannel_host_share,
        "guest": params.backchannel_guest_share,
    }
    emit = np.zeros((n, m))
    for t, turn in enumerate(turns):
        h = host_logodds(turn.text, turn.n_words, params, t + 1 < n and turns[t + 1].is_backchannel)
        ph = 1 / (1 + math.exp(-h))
        prev_end = cues.addressed_end[t - 1] if t else set()
        peer_roles = {people[j].role for j in cues.peer[t]}
        for i, p in enumerate(people):
            if turn.is_backchannel:
                # a back-channel belongs to the listener, in an interview mostly the host
                e = math.log(backchannel_share.get(p.role, params.other_role_share))
            elif p.role == "host":
                e = math.log(ph)
            elif p.role == "guest":
                e = math.log(1 - ph)
            else:
                e = math.log(params.other_role_share)
            if i in cues.addressed[t]:
                e -= params.addressed_penalty
            if i in cues.intro[t]:
                e += params.intro_bonus
            if i in cues.mentioned[t]:
                e -= params.mention_penalty
            if i in prev_end:
                e += params.handover_bonus
            if p.role in peer_roles and i not in cues.peer[t]:
                e += params.peer_bonus
            if p.role == "host" and i != lead and not turn.is_backchannel:
                e -= params.other_host_penalty
            emit[t, i] = e
    return emit


class _Chain:
    """The hidden chain over (current, previous) speaker states, and scaled forward-backward on it."""

    def __init__(
        self, turns: Sequence[TurnView], people: Sequence[Person], cues: Cues, params: AttributionParams
    ) -> None:
        m = len(people)
        # states (cur, prev) with prev != cur; prev == m means "nobody yet"
        self.states = [(c, p) for c in range(m) for p in [*range(m), m] if p != c]
        ns = len(self.states)
        self.current = np.array([c for c, _p in self.states])
        self.onehot = np.zeros((ns, m))
        self.onehot[np.arange(ns), self.current] = 1.0
        a_norm = self._transitions(m, params.stay_p, params.return_p)
        a_bc = self._transitions(m, params.stay_p_backchannel, params.return_p)
        # the answer comes from the addressee: after a host's turn that ends on a real question, the
        # next speaker is rarely the other host (guests, in a panel, do question each other)
        role_of = np.array([p.role for p in people])
        same_role = (role_of[self.current][:, None] == "host") & (role_of[self.current][None, :] == "host")
        a_q = a_norm + np.where(same_role & ~np.eye(ns, dtype=bool), math.log(params.question_same_role), 0.0)
        a_q -= np.log(np.exp(a_q).sum(axis=1, keepdims=True))
        is_bc = np.array([t.is_backchannel for t in turns])
        asked = np.array([False] + [ends_with_question(t.text) for t in turns[:-1]])
        lead = _lead_host(people, cues, len(turns), params)
        host_first = np.array(
            [
                (params.opener_host_bonus if p.role == "host" else 0.0) + (params.lead_host_bonus if i == lead else 0.0)
                for i, p in enumerate(people)
            ]
        )
        init = np.where(np.array([p == m for _c, p in self.states]), host_first[self.current] - math.log(m), -np.inf)
        p_norm, p_bc, p_q = np.exp(a_norm), np.exp(a_bc), np.exp(a_q)
        self.step = [p_bc if is_bc[t] else p_q if asked[t] else p_norm for t in range(len(turns))]
        self.p_init = np.exp(init)

    def _transitions(self, m: int, stay: float, return_p: float) -> np.ndarray:
        ns = len(self.states)
        a = np.full((ns, ns), -np.inf)
        index = {s: j for j, s in enumerate(self.states)}
        for j, (c, p) in enumerate(self.states):
            a[j, j] = math.log(stay)
            others = [x for x in range(m) if x != c]
            for x in others:
                if p == m:
                    pr = (1 - stay) / len(others)
                elif x == p:
                    pr = (1 - stay) * (return_p if len(others) > 1 else 1.0)
                else:
                    pr = (1 - stay) * (1 - return_p) / (len(others) - 1)
                a[j, index[(x, c)]] = math.log(pr)
        return a

    def posteriors(self, e: np.ndarray) -> np.ndarray:
        """Posteriors (model, turn, speaker) for emissions (model, turn, speaker): the ensemble's
        models run side by side, one small matrix product per turn for all of them."""
        es = e[:, :, self.current]
        es = np.exp(es - es.max(axis=2, keepdims=True))
        k, n, ns = e.shape[0], e.shape[1], len(self.states)
        fwd = np.empty((k, n, ns))
        f = self.p_init * es[:, 0]
        fwd[:, 0] = f / f.sum(axis=1, keepdims=True)
        for t in range(1, n):
            f = (fwd[:, t - 1] @ self.step[t]) * es[:, t]
            fwd[:, t] = f / f.sum(axis=1, keepdims=True)
        bwd = np.ones((k, n, ns))
        for t in range(n - 2, -1, -1):
            b = (es[:, t + 1] * bwd[:, t + 1]) @ self.step[t + 1].T
            bwd[:, t] = b / b.sum(axis=1, keepdims=True)
        z = fwd * bwd
        z /= z.sum(axis=2, keepdims=True)
        return z @ self.onehot


def _with_profiles(
    turns: Sequence[TurnView], emit: np.ndarray, post: np.ndarray, chain: _Chain, params: AttributionParams
) -> np.ndarray:
    """EM over word and length profiles, averaged over the profile weights."""
    counts, bg = _word_counts(turns)
    use = np.array([0.0 if t.is_backchannel else 1.0 for t in turns])
    loglen = np.log(np.array([max(t.n_words, 1) for t in turns], dtype=float))
    weights = [(lex, length) for lex in params.lex_weights for length in params.len_weights]
    members = np.repeat(post[None], len(weights), axis=0)
    for _ in range(params.em_iterations):
        profiles = np.stack(
            [
                _lexical(counts, bg, member, use, lex, params)
                + _length(loglen, member, use, length, params.length_variance_floor)
                for member, (lex, length) in zip(members, weights, strict=True)
            ]
        )
        # a back-channel carries no voice of its own: among the listeners, the one who takes most
        # turns (the lead interviewer) is likeliest to be the one saying "Right."
        share = (members * use[None, :, None]).sum(axis=1) + params.backchannel_share_prior
        profiles += np.log(share / share.sum(axis=1, keepdims=True))[:, None, :] * (1.0 - use)[None, :, None]
        members = chain.posteriors(emit[None] + profiles)
    return members.mean(axis=0)


def _word_counts(turns: Sequence[TurnView]) -> tuple[np.ndarray, np.ndarray]:
    """Turn x word count matrix over words said at least twice in the episode, and the background."""
    toks = [_WORD.findall(t.text.lower()) for t in turns]
    freq: dict[str, int] = {}
    for ws in toks:
        for w in ws:
            freq[w] = freq.get(w, 0) + 1
    vocab = {w: j for j, w in enumerate(sorted(w for w, c in freq.items() if c >= 2))}
    c = np.zeros((len(turns), max(len(vocab), 1)))
    for t, ws in enumerate(toks):
        for w in ws:
            j = vocab.get(w)
            if j is not None:
                c[t, j] += 1
    bg = (c.sum(axis=0) + _BACKGROUND_PSEUDOCOUNT) / (c.sum() + _BACKGROUND_PSEUDOCOUNT * c.shape[1])
    return c, bg


def _lexical(
    c: np.ndarray, bg: np.ndarray, post: np.ndarray, use: np.ndarray, weight: float, params: AttributionParams
) -> np.ndarray:
    """Per turn and speaker: how much better the speaker's word profile explains the turn than the
    episode's background, the profile re-estimated from the current soft assignment (EM) without
    the turn itself, so that a long turn cannot vouch for itself."""
    w = post * use[:, None]
    s = w.T @ c  # speaker x word
    tot = s.sum(axis=1)
    n_t = c.sum(axis=1)
    tt, vv = np.nonzero(c)  # only the words a turn uses matter: sparse, not turn x speaker x word
    cc = c[tt, vv]
    num = s[:, vv].T - w[tt] * cc[:, None] + params.lex_prior * bg[vv][:, None]
    lognum = np.zeros_like(w)
    np.add.at(lognum, tt, cc[:, None] * np.log(num))
    den = tot[None, :] - w * n_t[:, None] + params.lex_prior
    llr = lognum - n_t[:, None] * np.log(den) - (c @ np.log(bg))[:, None]
    # naive Bayes over-counts correlated words: grow with sqrt(length), not length, and cap
    scale = weight / np.sqrt(np.maximum(n_t, 1.0))[:, None]
    return np.clip(llr * scale, -params.lex_cap, params.lex_cap) * use[:, None]


def _length(loglen: np.ndarray, post: np.ndarray, use: np.ndarray, weight: float, variance_floor: float) -> np.ndarray:
    """Per turn and speaker: log-density of the turn's log length under the speaker's own length
    profile (the guest's answers run long, a host's questions short), re-estimated like the words."""
    if weight <= 0:
        return np.zeros_like(post)
    w = post * use[:, None] + _EMPTY_WEIGHT
    mu = (w * loglen[:, None]).sum(axis=0) / w.sum(axis=0)
    var = (w * (loglen[:, None] - mu[None, :]) ** 2).sum() / w.sum() + variance_floor
    ll = -0.5 * (loglen[:, None] - mu[None, :]) ** 2 / var
    return weight * (ll - ll.mean(axis=1, keepdims=True)) * use[:, None]
