"""Files that label their speakers: labels normalised to one speaker per person, mapped to the people list
where they match, attribution ``labelled`` and confidence 1.0.

``JENSEN HUANG``, ``Jensen Huang`` and ``Jensen`` are one speaker. Roles come from the people list, else
from the text (``my co-host, X``; who opens the show; who asks the questions).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from tasks.speakers.cues import host_logodds
from tasks.speakers.model import Attribution, Person, TurnView
from tasks.speakers.params import AttributionParams
from tasks.speakers.people import HONORIFICS, label_key, slug

_GENERIC = re.compile(r"^(?:speaker|spk|voice|participant|unknown)[\s_-]*(\d+|[a-z])?$", re.I)


def attribute_labelled(
    turns: Sequence[TurnView], people: Sequence[Person], params: AttributionParams
) -> list[Attribution]:
    """One attribution per turn of a file whose turns carry the file's own speaker labels."""
    # A label with no letter or digit ("???", "\ufffd") has no key: such a turn is nobody's.
    keys: list[str | None] = [(label_key(t.label) or None) if t.label else None for t in turns]
    raw: dict[str, str] = {}
    for t, k in zip(turns, keys, strict=True):
        if k and k not in raw:
            raw[k] = " ".join(t.label.split()).strip(" :.*") if t.label else k
    # merge labels that name the same person: a person-list match, or a label whose words are a
    # prefix/subset of a longer label's ("Jensen" -> "Jensen Huang")
    canon: dict[str, tuple[str, str | None, str | None]] = {}  # key -> (speaker_id, name, person role)
    for k, label in raw.items():
        if _GENERIC.match(label.replace("*", "").strip()):
            canon[k] = (k, None, None)
            continue
        person = next((p for p in people if any(label_key(f) == k for f in (p.name, *p.aliases))), None)
        if person is None:
            words = set(k.split("-"))
            person = next((p for p in people if words and words <= set(slug(p.name).split("-"))), None)
        if person is not None:
            canon[k] = (slug(person.name), person.name, person.role)
            continue
        longer = [
            other
            for other in raw
            if other != k and set(k.split("-")) < set(other.split("-")) and not _GENERIC.match(raw[other])
        ]
        canon[k] = (longer[0], None, None) if len(longer) == 1 else (k, None, None)
    names: dict[str, str | None] = {}
    for k, (sid, name, _role) in canon.items():
        if sid == k or name:
            names[sid] = name or _display(raw.get(sid, raw[k]))
    for k, (sid, _name, _role) in canon.items():
        if sid not in names:
            names[sid] = _display(raw.get(sid, raw[k]))
        if _GENERIC.match(raw.get(sid, "") or ""):
            names[sid] = None
    # resolve chains (a label merged into a longer label that itself maps to a person)
    for k, (sid, name, role) in list(canon.items()):
        if sid in canon and canon[sid][0] != sid:
            canon[k] = canon[sid]
        elif sid in canon and sid != k:
            canon[k] = (canon[sid][0], canon[sid][1] or name, canon[sid][2] or role)
    sids: list[str | None] = []
    current: str | None = None
    for k in keys:
        if k is not None:
            current = canon[k][0]
        sids.append(current)
    roles = _labelled_roles(turns, sids, {canon[k][0]: canon[k][2] for k in canon}, names, params)
    out: list[Attribution] = []
    for turn, key, speaker in zip(turns, keys, sids, strict=True):
        if speaker is None:
            out.append(Attribution(None, None, "unknown", "unknown", 0.0))
            continue
        name = names.get(speaker)
        # an unlabelled paragraph in a labelled file usually continues the last label (changelog style)
        if key is not None:
            confidence = 1.0
        elif turn.is_backchannel:
            confidence = params.continuation_confidence_backchannel
        else:
            confidence = params.continuation_confidence
        kind = "labelled" if key is not None else "inferred"
        out.append(Attribution(speaker, name, roles.get(speaker, "unknown"), kind, confidence))
    return out


def _display(label: str) -> str:
    s = " ".join(label.split()).strip(" :.*")
    s = HONORIFICS.sub("", s)
    if s.isupper() or s.islower():
        s = " ".join(w.capitalize() for w in s.split())
    return s


def _labelled_roles(
    turns: Sequence[TurnView],
    sids: Sequence[str | None],
    known: dict[str, str | None],
    names: dict[str, str | None],
    params: AttributionParams,
) -> dict[str, str]:
    roles: dict[str, str] = {sid: r for sid, r in known.items() if r}
    speakers = list(dict.fromkeys(s for s in sids if s))
    if all(s in roles for s in speakers):
        return roles
    # text cues: "my co-host, Chris Benson", "our guest X"
    joined = " ".join(t.text for t in turns[: params.role_cue_turns])
    for sid in speakers:
        name = names.get(sid)
        if sid in roles or not name:
            continue
        first = re.escape(name.split()[0])
        if re.search(rf"co-?hosts?,?\s+(?:is\s+)?{first}\b|hosts? today (?:is|are)[^.]*\b{first}\b", joined, re.I):
            roles[sid] = "host"
        elif re.search(rf"\bguests?\b[^.]{{0,80}}\b{first}\b", joined, re.I):
            roles[sid] = "guest"
    if "speaker-pro-tempore" in " ".join(speakers) or any("speaker" in s and "pro" in s for s in speakers):
        for s in speakers:
            if "pro-tempore" in s:
                roles.setdefault(s, "other")
    # who asks: the speaker with the highest host score per turn; the opener counts as a host
    score: dict[str, float] = {s: 0.0 for s in speakers}
    count: dict[str, int] = {s: 0 for s in speakers}
    for turn, speaker in zip(turns, sids, strict=True):
        if speaker:
            score[speaker] += host_logodds(turn.text, turn.n_words, params)
            count[speaker] += 1
    mean = {s: score[s] / max(count[s], 1) for s in speakers}
    opener = next((s for t, s in zip(turns, sids, strict=True) if s and not t.is_backchannel), None)
    has_host = any(r == "host" for r in roles.values())
    ranked = sorted((s for s in speakers if s not in roles), key=lambda s: -mean[s])
    for s in ranked:
        if not has_host and (s == opener or s == ranked[0]):
            roles[s] = "host"
            has_host = True
        else:
            roles[s] = "guest" if len(speakers) > 1 else "host"
    return roles
