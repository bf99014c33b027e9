"""Numbers said, with a unit: `$1.5 trillion` -> 1.5e12 usd, `19 days`, `10x`, `2024` -> year.

One regex over a sentence finds a number (digits or a spelled number), an optional range, scale and unit;
"one" and "half" count only with a scale or unit (`one year`, `half a million`), other spelled numbers always
(`three companies`). Multi-word spelled numbers are valued by numerizer. Scored by bench/eval_quantities.py.

Some forms are read whole before that regex runs: decades (`the '90s` -> year 1990, `in his 90s` -> age 90),
ages (`a 35-year-old`), fractions (`two thirds` -> 0.667 fraction), splits (`50/50` -> 50 percent), listed
ranges (`two, three, four times` -> 2-4 x) and `an hour and a half`. Some numbers are no quantity and are left
out: names and labels (`Llama 2`, `Nemotron 340B`, `S&P 500`, `episode 12`, `number two`, `#123`, `401(k)`,
`planning 101`), times of day (`3:30`, `5 pm`), phone numbers, the day of a date (`March 5, 2020`) and "zero"
that counts nothing (`ground zero`, `zero-shot`). Context turns a number into an age (`he's 35`, `retire at 65`)
or a two-digit year (`January of 23` -> 2023); "between 30 and 40" and "200 to 300,000" (200,000 to 300,000) are
ranges, "500,000 or a million" two amounts.
"""

from __future__ import annotations

import itertools
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
# Scale abbreviations count only glued to their number ("340B", "5k"): with a space, "5 m" or "one M&A" is no scale.
_SCALE_ABBREVIATIONS = ("k", "m", "mm", "b", "bn", "t", "tn")
_NUMBER_WORDS = {
    "zero": 0,
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
# Spelled numbers that are also a pronoun, a determiner or a part ("one of them", "half the time"): a quantity
# only with a scale or unit.
_PRONOUN_WORDS = ("one", "half")
_UNIT_WORDS = {
    "percent": "percent",
    "%": "percent",
    "per cent": "percent",
    "percentage points": "percent",
    "percentage point": "percent",
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
    "minute": "duration_minutes",
    "seconds": "duration_s",
    "second": "duration_s",
    "gigawatts": "gigawatts",
    "gigawatt": "gigawatts",
    "megawatts": "megawatts",
    "megawatt": "megawatts",
    "kilowatts": "kilowatts",
    "watts": "watts",
    "ounces": "ounces",
    "ounce": "ounces",
    "miles": "miles",
    "kilometers": "kilometers",
    "kilometres": "kilometers",
    "feet": "feet",
    "inches": "inches",
    "gallons": "gallons",
    "acres": "acres",
    "dollars": "usd",
    "dollar": "usd",
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
_ANY_NUM = rf"{_NUM}|{_SPELLED}|\b(?:{_WORDNUM})\b"
_SCALE = "|".join(sorted((s for s in _SCALES if s not in _SCALE_ABBREVIATIONS), key=len, reverse=True))
_SCALE_ABBR = "|".join(sorted(_SCALE_ABBREVIATIONS, key=len, reverse=True))
_UNIT = "|".join(sorted((re.escape(u) for u in _UNIT_WORDS), key=len, reverse=True))
_QUANTITY = re.compile(
    rf"(?P<factor_of>\ba factor of )?(?P<currency>\$)?(?P<num>{_ANY_NUM})"
    # a range: "2 to 3", "2-3", "two or three", "between 200 and 300"; not "500,000 or a million" (two amounts)
    rf"(?:(?P<joint>\s*(?:to|-|–)\s*|\s+or\s+(?!an?\b)|\s+and\s+(?=\d))\$?(?P<num2>{_ANY_NUM}))?"
    rf"(?:\s?(?P<scale>{_SCALE})\b|(?P<scale_abbr>{_SCALE_ABBR})\b)?"
    rf"(?:[\s-]?(?P<unit>(?:{_UNIT}))(?![\w]))?",
    re.IGNORECASE,
)


# Money said without "$" or "dollars": an amount in millions or more that is revenue, funding or a price.
_MONEY_AFTER = re.compile(
    r"^(?:-ish)?\s+(?:dollars?\b|(?:of|in)\s+(?:annual\s+|recurring\s+)?(?:revenue|sales|profits?|funding|capex|cash|"
    r"ARR|investment|market cap|valuation|free cash flow|earnings)\b)",
    re.IGNORECASE,
)
_MONEY_BEFORE = re.compile(
    r"\b(?:raised?|raising|worth|valued at|valuation of|revenues? of|market cap of|spend(?:ing)?|spent|invest(?:ed)?|"
    r"costs?|paid|pay(?:ing)?|earn(?:ed|s)?|budget of|fund of)\s+"
    r"(?:about\s+|over\s+|like\s+|nearly\s+|more\s+than\s+|less\s+than\s+)?$",
    re.IGNORECASE,
)
_TWICE = re.compile(r"\b(twice|thrice)\b", re.IGNORECASE)
# A code or name with a slash ("24/7", "9/11") is no number said.
_SLASHED = re.compile(r"\d/\d")

# --- forms read whole, before the main regex --------------------------------------------------------------------

# Two-digit years and decades below this are read in the 2000s ('22 -> 2022, the '20s -> 2020), others in the
# 1900s ('90s -> 1990), as the gold lists read them.
_CENTURY_PIVOT = 30
_SPELLED_DECADES = {
    "twenties": 20,
    "thirties": 30,
    "forties": 40,
    "fifties": 50,
    "sixties": 60,
    "seventies": 70,
    "eighties": 80,
    "nineties": 90,
}
# A decade: "the '90s", "the 1990s", "the early 2000s", "late 90s" (a year), "in his 90s", "their late thirties"
# (an age). A bare two-digit decade needs "the", a possessive or early/mid/late before it ("in the high 90s" of a
# thermometer has none of them next to it).
_POSSESSIVES = r"his|her|their|my|your|our|one's"
_DECADE = re.compile(
    rf"(?:\b(?P<owner>the|{_POSSESSIVES})\s+)?(?:\b(?P<part>early|mid|late)[\s-]+)?"
    rf"(?P<decade>['’]\d0s|\b(?:1\d|20)\d0s|\b[1-9]0s|\b(?:{'|'.join(_SPELLED_DECADES)}))\b",
    re.IGNORECASE,
)
# A second decade joined to the one before it: "the 80s and 90s".
_JOINED = re.compile(r"\s+(?:and|or|to|through|into)\s+")
# An age said with "old": "35 years old", "a 35-year-old", "two-year-olds".
_YEARS_OLD = re.compile(
    rf"(?<![\w.,-])(?P<num>{_ANY_NUM})(?:\s*(?:to|-|–|or)\s*(?P<num2>{_ANY_NUM}))?[\s-]+years?[\s-]+olds?\b",
    re.IGNORECASE,
)
# A fraction said in words: "a third", "two thirds", "three quarters of". Denominators from "third": "half" is
# mostly a part said loosely ("half the time"), and "a quarter" or "three quarters" alone is a fiscal period.
_DENOMINATORS = {
    "third": 3,
    "quarter": 4,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
}
# "a third", "one third" ... "nine tenths": the spelled numbers one to nine, and "a".
_NUMERATORS = {"a": 1, **{w: int(v) for w, v in _NUMBER_WORDS.items() if " " not in w and 1 <= v <= 9}}
_FRACTION = re.compile(
    rf"\b(?P<top>{'|'.join(_NUMERATORS)})[\s-]+(?P<bottom>{'|'.join(_DENOMINATORS)})(?P<plural>s)?\b"
    r"(?P<after>\s+of\b|\s*(?:[.,;:!?]|$))?",
    re.IGNORECASE,
)
# A split of a whole said with a slash, "50/50", "60/40": its two parts sum to this, and it is read as the first
# part in percent (the gold lists' rule); "24/7" and "9/11" do not sum to it.
_SPLIT_TOTAL = 100
_SPLIT = re.compile(r"(?<![\d/.])(?P<a>\d{1,2})/(?P<b>\d{1,2})(?![\d/])")
# Consecutive whole numbers listed before one unit are a rough range: "two, three, four times" -> 2-4 x.
_LISTED = rf"\d{{1,3}}|{_UNITS_W}|ten|eleven|twelve"
_LISTED_RANGE = re.compile(
    rf"(?<![\w.,])(?P<numbers>(?:(?:{_LISTED}),\s*)+(?:or\s+)?(?:{_LISTED}))[\s-]?(?P<unit>{_UNIT})(?![\w])",
    re.IGNORECASE,
)
# A scale word said alone before "dollars" at the start of a sentence, its "a" clipped: "Trillion dollars worth of
# infrastructure."
_CLIPPED_MONEY = re.compile(rf"^\W*(?P<scale>{_SCALE})\s+dollars\b", re.IGNORECASE)
# "an hour and a half", "a year and a half": one and a half of the unit.
_UNIT_AND_A_HALF = re.compile(
    r"\b(?:an?\s+)?(?P<unit>hour|year|day|week|month|minute)\s+and\s+a\s+half\b", re.IGNORECASE
)

# --- numbers that are no quantity -------------------------------------------------------------------------------

# Phone numbers: "(555) 123-4567", "1-800-555-1234" (not "555-1234", which a range "100-1000" looks like).
_PHONE = re.compile(r"(?<![\w-])(?:\+?1[-.\s])?(?:\(\d{3}\)\s?|\d{3}[-.\s])\d{3}[-.]\d{4}(?![\w-])")
# Times of day and clock readings: "3:30", "5 pm", "10 a.m.", "five o'clock".
_CLOCK = re.compile(
    rf"\d+:\d+|(?:\b\d{{1,2}}|\b(?:{_UNITS_W}|ten|eleven|twelve))\s*(?:[ap]\.m\.|[ap]m\b|o['’]clock\b)",
    re.IGNORECASE,
)
# A noun before a number labels an item, it does not count it: "episode 12", "number two", "chapter 11",
# "step 3", "version 4", "day one". A four-digit year after it stays a year ("the year 2023"). Nouns that are
# also verbs before a count ("type two letters", "track 5 metrics") and periods other than "day" ("every year 40
# people") are not in the list.
_LABEL_NOUNS = frozenset(
    "number no. episode ep ep. chapter section version page slide step phase stage season level tier gen generation "
    "grade room part volume vol. article exhibit figure question item option lesson model series class day".split()
)
# The word before a number, when only a space separates them.
_WORD_BEFORE = re.compile(r"(?:^|(?<=[\s(\"“]))(?P<word>[A-Za-z][\w&.'’+]*)\s$")
_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
    "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
_MONTH_WORD = re.compile(rf"(?:{_MONTHS})\.?")
# A course title: "planning 101", "Investing 101" (the introductory-course number said after its subject).
_COURSE_NUMBER = "101"
# Words before "101" that make it a count ("about 101 people"), not a course.
_BEFORE_A_COUNT = frozenset(
    "a about almost and around at by exactly for from have has had in is just like nearly of on only or over "
    "roughly some than the to under was were with".split()
)
# After a number, a capitalised article starts a title: "2001 A Space Odyssey".
_TITLE_AFTER = re.compile(r" (?:A|An|The) [A-Z]")
# A code with a bracketed letter: "401(k)", "403(b)", "501(c)".
_BRACKETED_CODE = re.compile(r"\([a-z]\)", re.IGNORECASE)
# "zero" glued to a noun is a term, not a count: "zero-shot", "zero-sum".
_ZERO_COMPOUND = re.compile(r"-[a-z]", re.IGNORECASE)

# --- context that makes a number an age or a year ---------------------------------------------------------------

# Before a number, an age: "aged 35", "at age 65", "at the age of 35", "retire at 65", "died at 90".
_AGE_BEFORE = re.compile(
    r"\b(?:aged?|age\s+of|retir(?:e|es|ed|ing)\s+(?:at|by|before)|die[sd]?\s+at|passed\s+away\s+at)\s+$",
    re.IGNORECASE,
)
# Before a bare number that ends its clause, an age: "he's 35.", "I was 25 when", "she turned 40".
_AGE_COPULA = re.compile(
    r"\b(?:I['’]m|I\s+am|I\s+was|he['’]s|he\s+is|he\s+was|she['’]s|she\s+is|she\s+was|you['’]re|turn(?:s|ed|ing)?)"
    r"\s+$",
    re.IGNORECASE,
)
_CLAUSE_END = re.compile(r"\s*(?:[.,;:!?)]|$|(?:and|but|so|or|now|when|then|years)\b)", re.IGNORECASE)
# Before a bare two-digit number, a year: "January of 23", "the start of 23", "'23".
_YEAR_BEFORE = re.compile(
    rf"(?:\b(?:{_MONTHS})\.?\s+of\s+|\b(?:[Ss]tart|[Ee]nd|[Bb]eginning|[Mm]iddle|[Ss]pring|[Ss]ummer|[Ff]all"
    rf"|[Aa]utumn|[Ww]inter)\s+of\s+|(?:^|(?<=\s))['’])$"
)
# "in" a month and two digits is a month of a year ("in November 22"); "on November 22" is a day.
_IN_MONTH = re.compile(rf"\b[Ii]n\s+(?:{_MONTHS})\.?\s+$")
# A month, or a month and a day before the next listed day ("November 11 and 12").
_AFTER_MONTH = re.compile(rf"\b(?:{_MONTHS})\.?\s+(?:\d{{1,2}}\s*(?:and|to|through|-|–)\s*)?$")
# Days listed after a month: "November 11 and 12", "March 3-5", "May 23, 2020".
_DAYS_AFTER = re.compile(r"\s*(?:and|to|through|-|–)\s*\d|,?\s+(?:19|20)\d\d\b")
# Ages above this are no age ("when you're 3,000").
_OLDEST_AGE = 120
# Words after "zero" that show it is no determiner of a noun ("ground zero of", "zero to one", "NA or zero").
_FUNCTION_WORDS = frozenset(
    "a an and are as at but by for from in is of on or so than that the then to was with".split()
)


# How far before and after a number its context is read: the longest cue ("valuation of more than ",
# "November 11 and ") is shorter, and a bounded window keeps a long text linear.
_LOOKBEHIND = 60
_LOOKAHEAD = 60
# What may precede the first word of a sentence: space, dashes of a turn, quotes and brackets.
_SENTENCE_OPENING = re.compile(r"[\s\-–—\"'“”‘’(\[]*")
_NO_WORD = re.compile(r"\W*")


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


def _before(text: str, start: int) -> str:
    return text[max(0, start - _LOOKBEHIND) : start]


def _after(text: str, end: int) -> str:
    return text[end : end + _LOOKAHEAD]


def _two_digit_year(value: int) -> float:
    return float(2000 + value if value < _CENTURY_PIVOT else 1900 + value)


def _whole_forms(text: str) -> list[Quantity]:
    """Decades, ages with "old", fractions, splits, listed ranges, clipped money and "an hour and a half", read
    before the main regex."""
    found = []
    last_decade: Quantity | None = None
    for m in _DECADE.finditer(text):
        decade, owner = m.group("decade"), (m.group("owner") or "").lower()
        word = decade.lower()
        tens = _SPELLED_DECADES.get(word) or int(re.sub(r"\D", "", word))
        if tens >= 100:
            value, unit = float(tens), "year"  # "the 1990s"
        elif owner not in ("", "the") and decade[0] not in "'’":
            value, unit = float(tens), "age_years"  # "in his 90s"
        elif not owner and last_decade and _JOINED.fullmatch(text, last_decade.end, m.start()):
            unit = last_decade.unit  # "the 80s and 90s", "his 70s or late 80s"
            value = float(tens) if unit == "age_years" else _two_digit_year(tens)
        elif owner == "the" or m.group("part") or decade[0] in "'’":
            value, unit = _two_digit_year(tens), "year"  # "the '90s", "late 90s"
        else:
            continue  # "in 90s", "the high 90s": no decade said
        last_decade = Quantity(m.start("decade"), m.end(), decade, value, value, unit)
        found.append(last_decade)
    for m in _YEARS_OLD.finditer(text):
        low = _to_number(m.group("num"))
        high = _to_number(m.group("num2")) if m.group("num2") else low
        found.append(Quantity(m.start(), m.end(), m.group(0), low, max(low, high), "age_years"))
    for m in _FRACTION.finditer(text):
        top, bottom, plural, after = (
            m.group("top").lower(),
            m.group("bottom").lower(),
            m.group("plural"),
            m.group("after"),
        )
        numerator = _NUMERATORS[top]
        if (numerator == 1) == bool(plural):
            continue  # "a thirds", "two third": no fraction said
        of = after is not None and after.strip().lower() == "of"
        if bottom == "quarter" and not of:
            continue  # "a quarter", "three quarters": a fiscal period more often than a fraction
        if numerator == 1 and after is None:
            continue  # "a third option": an ordinal before its noun
        end = m.end("plural") if plural else m.end("bottom")
        value = numerator / _DENOMINATORS[bottom]
        found.append(Quantity(m.start(), end, text[m.start() : end], value, value, "fraction"))
    for m in _SPLIT.finditer(text):
        a, b = int(m.group("a")), int(m.group("b"))
        if a + b == _SPLIT_TOTAL:
            found.append(Quantity(m.start(), m.end(), m.group(0), float(a), float(a), "percent"))
    for m in _LISTED_RANGE.finditer(text):
        numbers = [_to_number(n) for n in re.split(r",\s*(?:or\s+)?", m.group("numbers"))]
        if all(b - a == 1 for a, b in itertools.pairwise(numbers)):
            unit = _UNIT_WORDS[m.group("unit").lower()]
            found.append(Quantity(m.start(), m.end(), m.group(0), numbers[0], numbers[-1], unit))
    if (clipped := _CLIPPED_MONEY.match(text)) is not None:
        value, at = _SCALES[clipped.group("scale").lower()], clipped.start("scale")
        found.append(Quantity(at, clipped.end(), text[at : clipped.end()], value, value, "usd"))
    for m in _UNIT_AND_A_HALF.finditer(text):
        unit = _UNIT_WORDS[m.group("unit").lower()]
        found.append(Quantity(m.start(), m.end(), m.group(0), 1.5, 1.5, unit))
    return found


def _left_out(text: str) -> list[tuple[int, int]]:
    """Spans of phone numbers and times of day, which hold no quantity."""
    return [m.span() for pattern in (_PHONE, _CLOCK) for m in pattern.finditer(text)]


def _is_label(text: str, start: int, num: str, bare: bool, glued_scale: bool) -> bool:
    """A number that names or labels something (Llama 2, Nemotron 340B, episode 12, #123, 401(k)), not a count."""
    before = _before(text, start)
    if num[0].isdigit() and before.endswith("#"):
        return True  # "#123", an episode or issue number
    if not (bare or glued_scale):
        return False
    is_year = re.fullmatch(r"(?:19|20)\d\d", num) is not None
    word_match = _WORD_BEFORE.search(before)
    if word_match and not is_year:
        word = word_match.group("word")
        if word.lower() in _LABEL_NOUNS:
            return True  # "episode 12", "number two"
        named = (num[0].isdigit() and "," not in num) or num[0].isupper()  # "Llama 2", "License Zero"
        if named and _is_name(word, text, start - len(before) + word_match.start()):
            return True  # "Llama 2", "GPT 3.5", "Nemotron 340B", "S&P 500", "Free Willy Two"
        if num == _COURSE_NUMBER and word.lower() not in _BEFORE_A_COUNT:
            return True  # "financial planning 101"
    return False


def _is_name(word: str, text: str, word_start: int) -> bool:
    """`word` is a name that a number after it belongs to: capitalised inside a sentence (Beluga, Gen), or an
    acronym anywhere (GPT, S&P); not "I" nor a month (the month's number is a day or a year)."""
    if word == "I" or "'" in word or "’" in word or _MONTH_WORD.fullmatch(word):
        return False  # "I", "I'm 36", "It's", a month
    if not any(c.isupper() for c in word):
        return False
    starts_sentence = _SENTENCE_OPENING.fullmatch(text, 0, word_start) is not None
    capitals = sum(c.isupper() for c in word)
    return not starts_sentence or capitals >= 2 or "&" in word


def quantities(text: str) -> list[Quantity]:
    """Numbers said in `text`, with a unit: `$1.5 trillion` -> 1.5e12 usd, `19 days`, `10x`,
    `2024` -> year, `six and a half billion dollars` -> 6.5e9 usd, `two or three times` -> 2-3 x."""
    found = _whole_forms(text)
    taken = [(q.start, q.end) for q in found] + _left_out(text)
    pos = 0
    while (match := _QUANTITY.search(text, pos)) is not None:
        pos = match.end()
        num, num2, unit, currency = (match.group(k) for k in ("num", "num2", "unit", "currency"))
        scale = match.group("scale") or match.group("scale_abbr")
        start, end = match.start(), match.end()
        if num2 is not None and not _joins_a_range(text, match):
            # "clusters of 200 and 300 people": two numbers; read the first alone, then go on from the second
            num2 = unit = scale = None
            end = pos = match.end("num")
        if any(a < end and start < b for a, b in taken):
            continue
        bare = not (scale or unit or currency or num2 or match.group("factor_of"))
        glued_scale = scale is not None and match.group("scale_abbr") is not None and not (unit or currency or num2)
        if _no_quantity(text, match, end, bare=bare, glued_scale=glued_scale, num2=num2):
            continue
        before = _before(text, start)
        low = _to_number(num)
        high = _to_number(num2) if num2 else low
        if num2 and _shares_the_scale(num, num2):
            low *= _thousands_of(num2)  # "200 to 300,000": 200,000 to 300,000
        scale_value = _SCALES.get(scale.lower(), 1.0) if scale else 1.0
        low, high = low * scale_value, high * scale_value
        implied_money = (
            low >= 1e6  # "5 billion", "a billion"
            and not unit
            and (_MONEY_AFTER.match(_after(text, end)) or _MONEY_BEFORE.search(before))
        )
        if match.group("factor_of"):
            kind = "x"
        elif currency or implied_money or (unit and _UNIT_WORDS[unit.lower()] == "usd"):
            kind = "usd"
        elif unit:
            kind = _UNIT_WORDS[unit.lower()]
        elif bare and _is_two_digit_year(text, match.start("num"), num, end):
            kind = "year"
            low = high = _two_digit_year(int(num))
        elif bare and _is_age(text, start, end, low):
            kind = "age_years"
        elif not scale and re.fullmatch(r"(?:19|20)\d\d", num):
            kind = "year"
        else:
            kind = "count"
        while end > start and text[end - 1].isspace():
            end -= 1
        found.append(Quantity(start, end, text[start:end], low, max(low, high), kind))
    for match in _TWICE.finditer(text):
        value = 2.0 if match.group(1).lower() == "twice" else 3.0
        found.append(Quantity(match.start(), match.end(), match.group(0), value, value, "x"))
    return sorted(found, key=lambda q: q.start)


def _no_quantity(text: str, match: re.Match[str], end: int, *, bare: bool, glued_scale: bool, num2: str | None) -> bool:
    """The number of `match` (ending at `end`) is no quantity: a pronoun, a name, a code, an ordinal, a day."""
    num, start = match.group("num"), match.start()
    is_word = not num[0].isdigit()
    lowered = num.lower()
    pronoun = lowered in _PRONOUN_WORDS or (num2 or "").lower() in _PRONOUN_WORDS
    if is_word and pronoun and not (match.group("scale") or match.group("unit") or match.group("currency")):
        return True  # "one" as a pronoun ("one or two", "one to one"), "half" alone
    if is_word and lowered == "one" and re.search(r"\bnot\s+$", _before(text, start), re.IGNORECASE):
        return True  # "not one day does it": "not a single", no count
    around = text[max(0, start - 2) : end + 2]
    if "/" not in num and _SLASHED.search(around):
        return True
    if num[0].isdigit() and start > 0 and (text[start - 1].isalnum() or text[start - 1] in "-."):
        return True  # part of a name or version such as GPT-4 or v3.1
    if end < len(text) and text[end].isalnum():
        return True  # an ordinal (4th) or a code (A100s is kept by the unit, 3rd is not a count)
    if _BRACKETED_CODE.match(text, match.end("num")):
        return True  # 401(k)
    if lowered == "zero" and bare and not _is_zero_count(text, start, match.end("num")):
        return True  # "zero-shot", "inbox zero.", "a zero beer"
    if _is_label(text, match.start("num"), num, bare, glued_scale):
        return True
    if bare and num[0].isdigit() and _TITLE_AFTER.match(text, end):
        return True  # "2001 A Space Odyssey"
    if bare and num[0].isdigit() and len(num) <= 2 and _AFTER_MONTH.search(_before(text, start)):
        return not _is_two_digit_year(text, start, num, end)  # "March 5", "Feb 3 and Feb 10": days of a date
    return False


def _is_zero_count(text: str, start: int, end: int) -> bool:
    """Whether "zero" counts: as a determiner before a noun ("zero revenue", "zero errors") or as a whole answer
    ("Zero."); not glued to a compound ("zero-shot"), after an article ("a zero") nor before a function word
    ("ground zero of")."""
    if _NO_WORD.fullmatch(text, 0, start) and re.match(r"\s*[.!?]", _after(text, end)):
        return True  # "Zero." said as an answer
    if _ZERO_COMPOUND.match(text, end) or re.search(r"\b(?:a|an|the)\s+$", _before(text, start), re.IGNORECASE):
        return False
    after = re.match(r"\s+([A-Za-z]+)", _after(text, end))
    return after is not None and after.group(1).lower() not in _FUNCTION_WORDS


def _is_two_digit_year(text: str, start: int, num: str, end: int) -> bool:
    """A bare two-digit number read as a year: "January of 23", "in November 22", "the start of 23", "'23"."""
    if not re.fullmatch(r"\d\d", num):
        return False
    before = _before(text, start)
    if _YEAR_BEFORE.search(before):
        return True
    return _IN_MONTH.search(before) is not None and not _DAYS_AFTER.match(text, end)


def _is_age(text: str, start: int, end: int, value: float) -> bool:
    """A bare whole number said as an age: "aged 35", "retire at 65", "he's 35.", "I was 25 when"."""
    if value != int(value) or not 0 < value <= _OLDEST_AGE:
        return False
    before = _before(text, start)
    return _AGE_BEFORE.search(before) is not None or (
        _AGE_COPULA.search(before) is not None and _CLAUSE_END.match(text, end) is not None
    )


def _thousands_of(num2: str) -> float:
    """The scale that "300,000" closes a range with: 1e3 for each trailing ",000"."""
    return 1e3 ** len(re.findall(r",000", num2))


def _shares_the_scale(num: str, num2: str) -> bool:
    """Whether a range such as "200 to 300,000" is said for 200,000 to 300,000: a small whole number, then one in
    thousands that it stays below once scaled."""
    if not re.fullmatch(r"\d{1,3}", num) or not re.fullmatch(r"\d{1,3}(?:,000)+", num2):
        return False
    return int(num) * _thousands_of(num2) < _to_number(num2)


def _joins_a_range(text: str, match: re.Match[str]) -> bool:
    """Whether the two numbers of `match` are one range: joined by "and" only after "between" or when the second
    closes the first's scale; by "to", "or" or "-" always, but from zero."""
    if match.group("num").lower() == "zero":
        return False  # "from zero to 800 million", "zero to one": a change from nothing, not a range
    if match.group("joint").strip().lower() != "and":
        return True
    between = re.search(r"\bbetween\s+\$?$", _before(text, match.start()), re.IGNORECASE) is not None
    return between or _shares_the_scale(match.group("num"), match.group("num2"))
