"""Names for the speakers the sequence model could not name, from how the others address them.

A host who never says their own name is still called by it: "Thanks, Jerod." opening a reply, "What do you
think, Adam?" closing a turn. The one addressed speaks just before or just after, and is not the speaker,
so each such vocative is a vote for each of those neighbours; a speaker takes the name that has at
least ``naming_min_votes`` votes and ``naming_min_share`` of that speaker's votes, unless another speaker
already has it. Only first names of a gazetteer (gender-guesser's) that the text never writes in lower
case count ("Thanks, Jerod." names; "Totally, yes." and "Gotcha." do not), and a vocative that names a
candidate's first name gives that candidate's full name. The gazetteer knows Western names best (it
misses "Gokul", "Sriram"): such a speaker stays anonymous rather than misnamed.

The turns keep their speakers and confidences: only the anonymous speaker's id and name change.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from tasks.first_names import is_first_name
from tasks.speakers.introductions import NOT_A_NAME
from tasks.speakers.model import Attribution, Person, TurnView
from tasks.speakers.params import AttributionParams
from tasks.speakers.people import slug

_ANONYMOUS = re.compile(r"S\d+")
_NAME = r"[A-Z][a-zà-ÿ]{2,}(?:-[A-Z][a-zà-ÿ]+)?"
# "Thanks, Jerod." / "Yeah, Adam, ..." / "Jensen, nice glasses": a reply that opens on a name; a name alone
# before a full stop ("Stewart. Again, I went to Slack") answers a question, and one before an aside ("Blake, I
# think, was one of the first") is the subject: neither addresses anybody
_ASIDE = r"\s*(?i:I think|I believe|I guess|I mean|for example|for instance|of course),"
_OPENS_ON = re.compile(
    rf"^\W*(?:(?:(?i:thanks|thank you|thank you so much|yeah|yes|well|so|oh|hey|hi|hello|right|sure|absolutely|"
    rf"great|good|okay|ok|wow|man)[,!.]?\s+)(?P<name>{_NAME})\s*[,.!?]|(?P<bare>{_NAME})\s*(?:,(?!{_ASIDE})|[!?]))"
)
# "... what do you think, Adam?" / "... over to you, Jon." : a turn that closes on a name
_CLOSES_ON = re.compile(rf",\s+(?P<name>{_NAME})\s*[?.!]*\W*$")


# a word written in lower case, but not in a web address ("getdx.com/lenny" says nothing of "Lenny")
_LOWER_WORD = re.compile(r"(?<![/.@])\b[a-z][a-zà-ÿ'’-]+\b(?![./@]\w)")


def _proper(name: str, lowercase: Counter[str]) -> bool:
    """A vocative names someone when it is a known first name the text never writes in lower case."""
    return name.lower() not in NOT_A_NAME and lowercase[name.lower()] == 0 and is_first_name(name)


def _vocative(match: re.Match[str] | None) -> str | None:
    return (match.group("name") or match.groupdict().get("bare")) if match else None


def name_anonymous(
    turns: Sequence[TurnView], attributions: Sequence[Attribution], people: Sequence[Person], params: AttributionParams
) -> list[Attribution]:
    """`attributions` with each anonymous speaker named after the vocatives that point at them."""
    lowercase = Counter(w for t in turns for w in _LOWER_WORD.findall(t.text))
    votes: dict[str, Counter[str]] = {}
    ids = [a.speaker_id for a in attributions]
    for t, turn in enumerate(turns):
        # a turn that is the word alone ("Yup.", "Nice!") is an interjection, not someone addressed
        alone = turn.text.strip(" .!?,")
        said = [name for name in map(_vocative, (_OPENS_ON.match(turn.text), _CLOSES_ON.search(turn.text))) if name]
        said = [name for name in said if name != alone]
        # the one addressed is the speaker before ("Thanks, Jerod.") or after ("Alright, Anna, launch
        # into it."), never the one speaking: each vocative is one vote for each of those neighbours
        around = {ids[k] for k in (t - 1, t + 1) if 0 <= k < len(ids)} - {ids[t], None}
        for name in (n for n in said if _proper(n, lowercase)):
            for sid in around:
                if sid is not None:
                    votes.setdefault(sid, Counter())[name] += 1
    named = {a.name for a in attributions if a.name}
    taken = {slug(n).split("-")[0] for n in named}
    chosen: dict[str, str] = {}
    anonymous = [sid for sid in dict.fromkeys(ids) if sid is not None and sid in votes]
    for sid in anonymous:
        if any(a.name for a in attributions if a.speaker_id == sid):
            continue
        name, n = votes[sid].most_common(1)[0]
        total = sum(votes[sid].values())
        if n < params.naming_min_votes or n < params.naming_min_share * total or slug(name) in taken:
            continue
        full = next((p.name for p in people if slug(p.name.split()[0]) == slug(name) and p.name not in named), name)
        chosen[sid] = full
        taken.add(slug(name))
    if not chosen:
        return list(attributions)
    # the speakers left anonymous are numbered again in order of appearance (S1, S2, ...)
    left = [sid for sid in dict.fromkeys(ids) if sid is not None and sid not in chosen and _ANONYMOUS.fullmatch(sid)]
    renumber = {sid: f"S{i + 1}" for i, sid in enumerate(left)}
    out = []
    for a in attributions:
        if a.speaker_id in chosen:
            name = chosen[a.speaker_id]
            a = Attribution(slug(name), name, a.role, a.attribution, a.confidence)
        elif a.speaker_id in renumber:
            a = Attribution(renumber[a.speaker_id], a.name, a.role, a.attribution, a.confidence)
        out.append(a)
    return out
