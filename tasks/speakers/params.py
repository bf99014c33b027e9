"""The speaker model's parameters: every weight, threshold and window, named, with its reason.

Values live in ``tasks/params/attribution.json`` with their source (fitted by ``bench/eval_speakers.py
--fit``, or hand-set) and the file's provenance; this class only declares them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from tasks.params import ParamSet, param


@dataclass(frozen=True, slots=True)
class AttributionParams(ParamSet):
    FILE: ClassVar[str] = "attribution"

    # --- calibration and abstention
    calibration: tuple[float, ...] = param(
        "Platt scaling (a, b) of the chosen speaker's posterior read against chance; fitted on held-out corpus turns"
    )
    chance_weight: float = param(
        "how far a posterior is read against chance among m speakers (0 = raw, 1 = fully): 0.4 is a lead among 4"
    )
    unknown_below: float = param("a turn whose calibrated confidence is below this gets no speaker (unknown)")
    role_unknown_below: float = param("a role whose posterior mass is below this is reported as unknown")
    # --- transitions of the sequence model
    return_p: float = param("after a change of speaker, the chance the word goes back to the previous speaker")
    question_same_role: float = param(
        "after a host's real question, a change to the other host is this many times less likely"
    )
    stay_p: float = param("chance that a marked turn continues the same speaker (markers mean a change)")
    stay_p_backchannel: float = param("the same into a back-channel, which belongs to the listener")
    # --- emissions: address and role cues (log-scores)
    addressed_penalty: float = param("a vocative ('Thanks, Brad') says the speaker is not the one addressed")
    intro_bonus: float = param("a self-introduction ('I'm Greg Isenberg') says the speaker is the one named")
    handover_bonus: float = param("a vocative closing the previous turn hands the word to the one addressed")
    mention_penalty: float = param("a third-person mention says the speaker is not the one named")
    peer_bonus: float = param("'Daniel and I': the speaker is a peer of Daniel (same role, not Daniel)")
    other_host_penalty: float = param("a host who is not the lead host speaks a little less often")
    backchannel_host_share: float = param("a back-channel belongs to the listener: in an interview mostly a host")
    backchannel_guest_share: float = param("the guest's share of back-channels")
    other_role_share: float = param("emission of a person with neither role (a chair, a caller): no evidence")
    opener_host_bonus: float = param("the first turn prefers a host (hosts open shows)")
    lead_host_bonus: float = param("the first turn prefers the lead host most")
    # --- host log-odds from the words of a turn (set by reasoning about interviews, not fitted)
    closing_question_bonus: float = param("a turn that ends on a real question asked of the listener is a host's")
    short_question_bonus: float = param("a short turn holding a real question is likely a host's")
    short_question_words: int = param("at most this many words make a turn 'short' for the question cue")
    per_question_bonus: float = param("each real question in a turn adds a little (mostly rhetorical mid-turn)")
    max_questions_counted: int = param("questions counted per turn for that bonus")
    host_phrase_bonus: float = param("'welcome to', 'let's talk about', 'my guest': host phrases")
    guest_phrase_penalty: float = param("'thanks for having me', 'at my company': guest phrases")
    long_turn_words: int = param("turns longer than this lean to the guest (answers run long)")
    long_turn_penalty: float = param("log-odds a long turn loses, plus the same per doubling of its length")
    # --- word and length profiles (EM)
    lex_weights: tuple[float, ...] = param(
        "word-profile weights averaged over: EM from one weight lands in different local optima as it moves"
    )
    len_weights: tuple[float, ...] = param("length-profile weights averaged over, for the same reason")
    lex_prior: float = param("pseudo-count of the background in a speaker's word profile (smoothing)")
    lex_cap: float = param("largest log-score a word profile may give a turn (naive Bayes over-counts)")
    em_iterations: int = param("rounds of re-estimating the profiles from the current posteriors")
    em_min_turns: int = param("episodes with fewer turns get no profiles: too little to estimate from")
    length_variance_floor: float = param("floor of the log-length variance, so one speaker cannot collapse it")
    backchannel_share_prior: float = param("pseudo-count of each listener's turn share when giving back-channels")
    # --- windows of the cues (turns and characters)
    opening_turns: int = param("turns that count as the opening: line-ups, lead-host introductions, hand-overs")
    lineup_turns: int = param("turns in which being named in a line-up ('your hosts today are') counts as present")
    intro_turns: int = param("turns searched for self-introductions of people not in the header")
    chair_turns: int = param("turns searched for a chair recognising a member (Congressional Record)")
    vocative_tail_chars: int = param("a vocative this close to a turn's end (or before a question) hands over")
    lineup_span_chars: int = param("characters after 'your hosts today are' searched for the hosts' names")
    role_cue_turns: int = param("turns of a labelled file searched for 'my co-host X' and 'our guest X'")
    # --- labelled files
    continuation_confidence: float = param("an unlabelled paragraph in a labelled file usually continues the last")
    continuation_confidence_backchannel: float = param("the same for a back-channel, which may be the listener's")
    # --- names for anonymous speakers, and show rosters
    naming_min_votes: int = param("vocatives pointing at an anonymous speaker needed to give it that name")
    naming_min_share: float = param("share of an anonymous speaker's vocatives one name needs to be given")
    roster_min_episodes: int = param("episodes of a show a person must be named in to join its learnt roster")
