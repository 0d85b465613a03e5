"""The register's CSV, read and checked whole: every bad row is named with its line and field,
and a file with any bad row gives no rows at all.

Columns (a header row; case, spaces and underscores in the names do not matter):
``elector_number``, ``name``, ``postcode``, and ``date_of_birth`` (YYYY-MM-DD or DD/MM/YYYY)
or ``year_of_birth`` (YYYY) or both; optionally ``email``."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime

from chamber.errors import Invalid

COLUMNS = ("elector_number", "name", "postcode", "date_of_birth", "year_of_birth", "email")
REQUIRED = ("elector_number", "name", "postcode")
SHOWN = 50  # bad rows named in the message; the rest are counted
NUMBER = re.compile(r"[A-Z0-9][A-Z0-9/.-]{0,31}")
POSTCODE = re.compile(r"[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}")
EMAIL = re.compile(r"[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+")
EARLIEST = 1900


@dataclass(frozen=True, slots=True)
class ElectorRow:
    """One elector as the file gives them, checked and normalised."""

    number: str
    name: str
    postcode: str
    birth_date: date | None
    birth_year: int
    email: str | None
    line: int


def elector_number(typed: str) -> str:
    """An elector number as stored: trimmed, in capitals."""
    return typed.strip().upper()


def postcode(typed: str) -> str | None:
    """A UK postcode as stored (``SW1A 1AA``), or None if it is not one."""
    squeezed = "".join(typed.split()).upper()
    if not POSTCODE.fullmatch(squeezed):
        return None
    return f"{squeezed[:-3]} {squeezed[-3:]}"


def birth(typed: str, today: date) -> tuple[date | None, int]:
    """A date of birth (YYYY-MM-DD or DD/MM/YYYY) or a year (YYYY): (the date or None, year).
    Raises ValueError saying what is wrong."""
    text = typed.strip()
    if re.fullmatch(r"\d{4}", text):
        year = int(text)
        if not EARLIEST <= year <= today.year:
            raise ValueError(f"the year {year} is not between {EARLIEST} and {today.year}")
        return None, year
    for form in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            born = datetime.strptime(text, form).date()
        except ValueError:
            continue
        if not date(EARLIEST, 1, 1) <= born <= today:
            raise ValueError(f"{text} is not between {EARLIEST} and today")
        return born, born.year
    raise ValueError(f"{text!r} is not a date YYYY-MM-DD (or DD/MM/YYYY) or a year YYYY")


def _header(names: list[str]) -> tuple[dict[str, int], list[str]]:
    index: dict[str, int] = {}
    problems = []
    for i, raw in enumerate(names):
        name = re.sub(r"[\s_-]+", "_", raw.strip().lower().lstrip("\ufeff"))
        if name not in COLUMNS:
            known = ", ".join(COLUMNS)
            problems.append(f"line 1: unknown column {raw!r} (the columns are {known})")
        elif name in index:
            problems.append(f"line 1: the column {name} is given twice")
        else:
            index[name] = i
    problems += [f"line 1: the column {c} is missing" for c in REQUIRED if c not in index]
    if "date_of_birth" not in index and "year_of_birth" not in index:
        problems.append("line 1: give a date_of_birth or a year_of_birth column")
    return index, problems


def _row(cells: dict[str, str], line: int, today: date) -> tuple[ElectorRow | None, list[str]]:
    bad: list[str] = []
    number = elector_number(cells.get("elector_number", ""))
    if not NUMBER.fullmatch(number):
        bad.append(f"elector_number: {number!r} is not 1 to 32 letters, digits, '/', '.' or '-'")
    name = " ".join(cells.get("name", "").split())
    if not name or len(name) > 200:
        bad.append("name: give the elector's name (at most 200 characters)")
    code = postcode(cells.get("postcode", ""))
    if code is None:
        bad.append(f"postcode: {cells.get('postcode', '').strip()!r} is not a UK postcode")
    when: date | None = None
    year = 0
    dob, yob = cells.get("date_of_birth", "").strip(), cells.get("year_of_birth", "").strip()
    if not dob and not yob:
        bad.append("date_of_birth: give a date or a year of birth")
    for field, text in (("date_of_birth", dob), ("year_of_birth", yob)):
        if not text:
            continue
        try:
            found, found_year = birth(text, today)
        except ValueError as exc:
            bad.append(f"{field}: {exc}")
            continue
        if year and found_year != year:
            bad.append(f"year_of_birth: {found_year} is not the year of the date of birth")
        when, year = when or found, found_year
    email = cells.get("email", "").strip() or None
    if email is not None and (len(email) > 254 or not EMAIL.fullmatch(email)):
        bad.append(f"email: {email!r} is not an e-mail address")
    if bad or code is None:
        return None, [f"line {line}, {b}" for b in bad]
    return ElectorRow(number, name, code, when, year, email, line), []


def parse_register(text: str, filename: str, today: date) -> list[ElectorRow]:
    """Every elector of a register file, or `Invalid` naming every bad row (line and field)."""
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        raise Invalid(f"{filename}: the file is empty") from None
    except csv.Error as exc:
        raise Invalid(f"{filename}: line 1: {exc}") from None
    index, problems = _header(header)
    if problems:
        raise Invalid(f"{filename}: " + "; ".join(problems))
    rows: list[ElectorRow] = []
    seen: dict[str, int] = {}
    try:
        for cells in reader:
            line = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(header):
                problems.append(f"line {line}: {len(cells)} fields where the header has "
                                f"{len(header)}")
                continue
            row, bad = _row({c: cells[i] for c, i in index.items()}, line, today)
            problems += bad
            number = elector_number(cells[index["elector_number"]])
            if number in seen:
                problems.append(f"line {line}, elector_number: {number} is also on line "
                                f"{seen[number]}")
            seen.setdefault(number, line)
            if row is not None:
                rows.append(row)
    except csv.Error as exc:
        problems.append(f"line {reader.line_num}: {exc}")
    if problems:
        more = len(problems) - SHOWN
        listed = "; ".join(problems[:SHOWN]) + (f"; and {more} more" if more > 0 else "")
        raise Invalid(f"{filename}: {len(problems)} problems, nothing was imported: {listed}")
    if not rows:
        raise Invalid(f"{filename}: no electors (an empty register would remove everyone)")
    return rows


LETTER_COLUMNS = ("elector_number", "name", "postcode", "code", "valid_until")


def letters_csv(rows: list[tuple[str, str, str, str, date]]) -> str:
    """The letters to post, as CSV for a mail merge: elector number, name, postcode, code, and
    the last day the code is valid."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(LETTER_COLUMNS)
    writer.writerows((*row[:4], row[4].isoformat()) for row in rows)
    return out.getvalue()
