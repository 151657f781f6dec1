"""Metadata an article states about itself, read from its header and footer lines.

Only explicit statements count: a header naming the outlet, a "By Reuters" or
"— Reuters" credit, a date line. "told AFP" inside a sentence is a source, not a
credit, so body prose is never searched. Anything not stated stays None.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from quotetrace_server.entities.lexicon import DASH_MARKS, MONTH_NUMBERS
from quotetrace_server.ingest.model import DERIVABLE_FIELDS, ArticleMeta, Origin

HEADER_LINES = 12
FOOTER_LINES = 8

WIRE_AGENCIES = (
    "Reuters",
    "AFP",
    "AP",
    "Associated Press",
    "Agence France-Presse",
    "Bloomberg",
    "dpa",
    "EFE",
    "ANSA",
    "Kyodo",
    "Yonhap",
    "TASS",
    "Xinhua",
    "PA",
    "UPI",
)
_AGENCY = "|".join(re.escape(a) for a in sorted(WIRE_AGENCIES, key=len, reverse=True))
_AGENCY_LIST_LINE = re.compile(rf"^(?:{_AGENCY})(?:\s*(?:&|and|,)\s*(?:{_AGENCY}))*\.?$")
_BY_AGENCY = re.compile(rf"^By\s+((?:{_AGENCY})(?:\s*(?:&|and|,)\s*(?:{_AGENCY}))*)\s*$")
_DASH_AGENCY_END = re.compile(rf"[{DASH_MARKS}-]\s*((?:{_AGENCY}))\s*$")
_AGENCY_NAME = re.compile(rf"{_AGENCY}")

_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_DATE_PATTERNS = (
    re.compile(r"\b(?P<year>\d{4})-(?P<m>\d{2})-(?P<day>\d{2})\b"),
    re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}}),\s+(?P<year>\d{{4}})\b"),
    re.compile(rf"\b(?P<day>\d{{1,2}})\s+{_MONTH}\s+(?P<year>\d{{4}})\b"),
)
_PERSON_BYLINE = re.compile(r"^By\s+([A-Z][\w.'’-]+(?:\s+(?:[A-Z][\w.'’-]+|and|&))+)\s*$")
_REACHED_AT = re.compile(r"^[•*\-\s]*([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)+)\s+can be reached at\b")
_DASHED_HEADER_OUTLET = re.compile(
    rf"^[-{DASH_MARKS}]\s*((?:The\s+)?[A-Z][\w&'’.]*(?:\s+[A-Z][\w&'’.]*)*)\s*[-{DASH_MARKS}]"
)
_COPYRIGHT_OUTLET = re.compile(
    r"^Copyright\s*(?:©|\(c\))?\s*\d{4}\s+((?:The\s+)?[A-Z][\w&'’.]*(?:\s+[A-Z][\w&'’.]*)*?)"
    r"(?:,?\s+(?:LLC|Inc|Ltd|Limited|Corp|Group)\b.*|\.|\s*$)"
)
_READ_MORE_OUTLET = re.compile(r"^Read more (?:in|on|at)\s+([A-Z][\w&'’.]*(?:\s+[A-Z][\w&'’.]*)*):")


def derive_metadata(text: str, source_name: str | None = None) -> ArticleMeta:
    """Everything the text itself states about outlet, credits, byline, date and title,
    each value marked as derived from the text."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    header, footer = lines[:HEADER_LINES], lines[-FOOTER_LINES:]
    meta = ArticleMeta(
        title=stated_title(header),
        outlet=stated_outlet(lines),
        wire_credits=stated_wire_credits(header, footer),
        byline=stated_byline(lines),
        date=stated_date(header),
        source_name=source_name,
    )
    return meta.marked(Origin.TEXT, DERIVABLE_FIELDS)


DATE_FORMS = "YYYY-MM-DD, YYYYMMDD, an ISO week date YYYY-Www-D or an ISO date-time"
_WEEK_WITHOUT_DAY = re.compile(r"\d{4}-?W\d{2}")


def normalized_date(value: str) -> str:
    """A stated date as YYYY-MM-DD, the one form the index stores and the filters compare.

    Accepts the ISO 8601 calendar forms ("2023-09-13", "20230913"), week dates with a
    day ("2023-W37-3", "2023W373") and date-times ("2023-09-13T08:30:00Z": the date
    as written). A week without a day names no single date and is refused, like anything
    else: ValueError with a message that lists the accepted forms.
    """
    text = value.strip()
    try:
        if _WEEK_WITHOUT_DAY.fullmatch(text):
            raise ValueError(text)
        if "T" in text[8:]:
            return datetime.fromisoformat(text).date().isoformat()
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise ValueError(f"{value!r} is not a date ({DATE_FORMS})") from None


def stated_date(header: list[str]) -> str | None:
    """The first calendar date written in the header, as YYYY-MM-DD."""
    for line in header:
        for pattern in _DATE_PATTERNS:
            for match in pattern.finditer(line):
                parsed = _date_from_match(match)
                if parsed is not None:
                    return parsed.isoformat()
    return None


def _date_from_match(match: re.Match[str]) -> date | None:
    groups = match.groupdict()
    month = int(groups["m"]) if groups.get("m") else MONTH_NUMBERS.get(groups["month"].lower())
    if month is None:
        return None
    try:
        return date(int(groups["year"]), month, int(groups["day"]))
    except ValueError:
        return None


def stated_title(header: list[str]) -> str | None:
    """The first header line shaped like a headline (several words, no final period)."""
    for line in header[:6]:
        if _looks_like_headline(line):
            return line
    return None


def _looks_like_headline(line: str) -> bool:
    words = line.split()
    if not 5 <= len(words) <= 30 or line[-1] in ".:;":
        return False
    if line[0] in "-•" + DASH_MARKS or line.startswith("By ") or stated_date([line]) is not None:
        return False
    return sum(1 for w in words if w[:1].isupper()) >= 2


def stated_outlet(lines: list[str]) -> str | None:
    """An outlet named by a masthead line, a copyright line or a "Read more in X:" link."""
    for line in lines[:HEADER_LINES]:
        if m := _DASHED_HEADER_OUTLET.match(line):
            return m.group(1).strip()
    for line in lines:
        for pattern in (_COPYRIGHT_OUTLET, _READ_MORE_OUTLET):
            if (m := pattern.match(line)) and not _AGENCY_NAME.fullmatch(m.group(1).strip()):
                return m.group(1).strip()
    return None


def stated_wire_credits(header: list[str], footer: list[str]) -> tuple[str, ...]:
    """Agencies credited by a "By Reuters" line, a closing "— Reuters" or a credit line."""
    credits: list[str] = []
    for line in header + footer:
        if m := _BY_AGENCY.match(line):
            credits += _AGENCY_NAME.findall(m.group(1))
        elif _AGENCY_LIST_LINE.match(line):
            credits += _AGENCY_NAME.findall(line)
    if footer and (m := _DASH_AGENCY_END.search(footer[-1])):
        credits.append(m.group(1))
    return tuple(dict.fromkeys(credits))


def stated_byline(lines: list[str]) -> str | None:
    """A person byline ("By Jane Doe and John Roe", "Jane Doe can be reached at")."""
    for line in lines:
        if (m := _PERSON_BYLINE.match(line)) and not _BY_AGENCY.match(line):
            return m.group(1)
        if m := _REACHED_AT.match(line):
            return m.group(1)
    return None
