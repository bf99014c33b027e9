"""Numbers said, with a unit: `$1.5 trillion` -> 1.5e12 usd, `19 days`, `10x`, `2024` -> year.

One regex over a sentence finds a number (digits or a spelled number), an optional range, scale and unit;
"one" and "half" count only with a scale or unit (`one year`, `half a million`), other spelled numbers always
(`three companies`). Multi-word spelled numbers are valued by numerizer. Scored by bench/eval_quantities.py.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from numerizer import numerize

_SCALES = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "m": 1e6,
    "mm": 1e6,
    "billion": 1e9,
    "b": 1e9,
    "bn": 1e9,
    "trillion": 1e12,
    "t": 1e12,
    "tn": 1e12,
}
_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "hundred": 100,
    "a hundred": 100,
    "a thousand": 1000,
    "a million": 1e6,
    "a billion": 1e9,
    "a trillion": 1e12,
    "half": 0.5,
    "a dozen": 12,
    "dozen": 12,
}
_UNIT_WORDS = {
    "percent": "percent",
    "%": "percent",
    "per cent": "percent",
    "x": "x",
    "times": "x",
    "fold": "x",
    "years": "duration_years",
    "year": "duration_years",
    "months": "duration_months",
    "month": "duration_months",
    "weeks": "duration_weeks",
    "week": "duration_weeks",
    "days": "duration_days",
    "day": "duration_days",
    "hours": "duration_hours",
    "hour": "duration_hours",
    "minutes": "duration_minutes",
    "seconds": "duration_s",
    "gigawatts": "gigawatts",
    "gigawatt": "gigawatts",
    "megawatts": "megawatts",
    "watts": "watts",
    "dollars": "usd",
    "bucks": "usd",
}
# "2 1/2" is two and a half; other slashes are codes (24/7)
_NUM = r"\d+ [1-9]/[248](?![\d/])|\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
# A spelled number of several words, as people say them: "twenty-five", "three hundred and forty two",
# "six and a half" (its scale, "billion", follows as for digits), "half a" (million).
_UNITS_W = "one|two|three|four|five|six|seven|eight|nine"
_BELOW_100 = (
    rf"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-]+(?:{_UNITS_W}))?"
    rf"|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|{_UNITS_W})"
)
_SPELLED = (
    rf"\b(?:(?:(?:a|{_UNITS_W})\s+hundred(?:\s+(?:and\s+)?{_BELOW_100})?|{_BELOW_100})\s+and\s+a\s+(?:half|quarter)"
    rf"|(?:a|{_UNITS_W})\s+hundred\s+(?:and\s+)?{_BELOW_100}"
    rf"|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[\s-]+(?:{_UNITS_W})"
    rf"|half\s+an?(?=\s+(?:thousand|million|billion|trillion)))\b"
)
_WORDNUM = "|".join(sorted((re.escape(w) for w in _NUMBER_WORDS), key=len, reverse=True))
_SCALE = "|".join(sorted(_SCALES, key=len, reverse=True))
_UNIT = "|".join(sorted((re.escape(u) for u in _UNIT_WORDS), key=len, reverse=True))
_QUANTITY = re.compile(
    rf"(?P<factor_of>\ba factor of )?(?P<currency>\$)?(?P<num>{_NUM}|{_SPELLED}|\b(?:{_WORDNUM})\b)"
    rf"(?:\s*(?:to|-|–|or)\s*\$?(?P<num2>{_NUM}|{_SPELLED}|\b(?:{_WORDNUM})\b))?"
    rf"(?:\s?(?P<scale>(?:{_SCALE}))\b)?"
    rf"(?:\s?(?P<unit>(?:{_UNIT}))(?![\w]))?",
    re.IGNORECASE,
)


# Money said without "$" or "dollars": an amount in millions or more that is revenue, funding or a price.
_MONEY_AFTER = re.compile(
    r"^\s+(?:dollars?\b|(?:of|in)\s+(?:annual\s+|recurring\s+)?(?:revenue|sales|profits?|funding|capex|cash|"
    r"ARR|investment|market cap|valuation|free cash flow|earnings)\b)",
    re.IGNORECASE,
)
_MONEY_BEFORE = re.compile(
    r"\b(?:raised?|raising|worth|valued at|valuation of|revenues? of|market cap of|spend(?:ing)?|spent|invest(?:ed)?|"
    r"costs?|paid|pay(?:ing)?|earn(?:ed|s)?|budget of|fund of)\s+(?:about\s+|over\s+|like\s+|nearly\s+)?$",
    re.IGNORECASE,
)
_TWICE = re.compile(r"\b(twice|thrice)\b", re.IGNORECASE)
# A code or name with a slash ("24/7", "9/11") is no number said.
_SLASHED = re.compile(r"\d/\d")


@dataclass(frozen=True, slots=True)
class Quantity:
    start: int
    end: int
    surface: str
    value_low: float
    value_high: float
    unit: str


def _fraction(part: str) -> float:
    """A part such as "3", "2.5" or "1/2" as a number."""
    top, _, bottom = part.partition("/")
    return float(top) / float(bottom) if bottom else float(top)


def _to_number(token: str) -> float:
    token = token.lower().replace(",", "")
    if token in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[token])
    if token[0].isdigit():
        return sum(_fraction(part) for part in token.split())  # "2 1/2" is 2 + 1/2
    # numerizer writes "six and a half" as "6.5" and "half a" as "1/2" (times the scale that follows)
    return math.prod(_fraction(part) for part in numerize(token).split())


def quantities(text: str) -> list[Quantity]:
    """Numbers said in `text`, with a unit: `$1.5 trillion` -> 1.5e12 usd, `19 days`, `10x`,
    `2024` -> year, `six and a half billion dollars` -> 6.5e9 usd, `two or three times` -> 2-3 x."""
    found: list[Quantity] = []
    for match in _QUANTITY.finditer(text):
        num, num2, scale, unit, currency = (match.group(k) for k in ("num", "num2", "scale", "unit", "currency"))
        is_word = not num[0].isdigit()
        if is_word and not (scale or unit or currency) and _to_number(num) < 2:
            continue  # "one" as a pronoun, "half" alone
        around = text[max(0, match.start() - 2) : match.end() + 2]
        if "/" not in num and _SLASHED.search(around):
            continue
        if (
            num[0].isdigit()
            and match.start("num") > 0
            and (text[match.start("num") - 1].isalnum() or text[match.start("num") - 1] in "-.")
        ):
            continue  # part of a name or version such as GPT-4 or v3.1
        if match.end() < len(text) and text[match.end()].isalnum():
            continue  # an ordinal (4th) or a code (A100s is kept by the unit, 3rd is not a count)
        low = _to_number(num)
        high = _to_number(num2) if num2 else low
        scale_value = _SCALES.get(scale.lower(), 1.0) if scale else 1.0
        low, high = low * scale_value, high * scale_value
        implied_money = (
            scale is not None
            and scale_value >= 1e6
            and not unit
            and (_MONEY_AFTER.match(text[match.end() :]) or _MONEY_BEFORE.search(text[: match.start()]))
        )
        if match.group("factor_of"):
            kind = "x"
        elif currency or implied_money or (unit and _UNIT_WORDS[unit.lower()] == "usd"):
            kind = "usd"
        elif unit:
            kind = _UNIT_WORDS[unit.lower()]
        elif not scale and re.fullmatch(r"(?:19|20)\d\d", num):
            kind = "year"
        else:
            kind = "count"
        end = match.end()
        while end > match.start() and text[end - 1].isspace():
            end -= 1
        found.append(Quantity(match.start(), end, text[match.start() : end], low, max(low, high), kind))
    for match in _TWICE.finditer(text):
        value = 2.0 if match.group(1).lower() == "twice" else 3.0
        found.append(Quantity(match.start(), match.end(), match.group(0), value, value, "x"))
    return sorted(found, key=lambda q: q.start)
