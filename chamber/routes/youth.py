"""The UK Youth Parliament's half of the youth seats (25 seats, 48 sharers each, attending once
every four weeks): its members, and former members for one term after leaving.  A former
member's service in the chamber ends when that term does (the term end is their last day), and
one whose term has ended before they would begin is refused, with the dates."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlmodel import Session

from chamber.errors import Refused
from chamber.routes import csvrows
from chamber.routes.places import Chosen, part_seats, seat_people, start_of
from chamber.routes.records import store_result
from electoral.errors import BallotFileError

PART = "UK Youth Parliament"
TERM_YEARS = 2
"""A member of the UK Youth Parliament is elected for two years; a former member may sit for
one such term after leaving."""


def term_end(left: date) -> date:
    """The last day a former member may serve: one term after the day they left."""
    try:
        return left.replace(year=left.year + TERM_YEARS) - timedelta(days=1)
    except ValueError:  # 29 February
        return left.replace(year=left.year + TERM_YEARS, day=28)


def seat_youth_parliament(
    session: Session, body_key: str, source_name: str, text: str, *,
    serves_from: date | None = None, now: datetime,
) -> int:
    """Seat members and former members of the UK Youth Parliament from a CSV
    (``name,elected,left``: ``left`` empty for a member now).  Every row is checked first: a
    bad cell names file, line and column; a former member past their term is refused with the
    dates; nothing is stored unless every row is good.  Returns the stored list's id."""
    begins = start_of(session, body_key, serves_from)
    people: list[Chosen] = []
    problems: list[str] = []
    rows = csvrows.names(text, source_name)
    for lineno, cells in csvrows.rows(text, source_name, ("name", "elected"), ("left",)):
        elected = csvrows.day(cells, "elected", source_name, lineno)
        left = csvrows.day(cells, "left", source_name, lineno)
        assert elected is not None
        if left is None:
            people.append(Chosen(cells["name"], "youth", "member", PART,
                                 f"member since {elected}"))
            continue
        if left < elected:
            raise BallotFileError(source_name, lineno,
                                  f"column 'left': {left} is before {elected}, when elected")
        end = term_end(left)
        if end < begins:
            problems.append(
                f"line {lineno}: {cells['name']} left the UK Youth Parliament on {left}; a "
                f"former member serves for one term ({TERM_YEARS} years) after leaving, so "
                f"until {end}, before service would begin on {begins}"
            )
            continue
        people.append(Chosen(cells["name"], "youth", "former member", PART,
                             f"former member (left {left}); serves until {end}",
                             serves_until=end))
    if problems:
        raise Refused(f"{source_name}: {len(problems)} of {len(rows)} past their term: "
                      + "; ".join(problems[:20]))
    cat, seats = part_seats(session, body_key, "youth", PART)
    record = store_result(
        session, body_key=body_key, route="youth", step="names", unit=PART,
        title=f"{PART}: {len(people)} members and former members", source_name=source_name,
        inputs=text, result={
            "members": sum(p.way == "member" for p in people),
            "former_members": sum(p.way == "former member" for p in people),
            "serves_from": begins.isoformat(), "term_years": TERM_YEARS,
        }, now=now,
    )
    people = [Chosen(p.name, p.group, p.way, p.unit, p.detail, None, record.id, p.serves_until)
              for p in people]
    seat_people(session, body_key, cat, seats, people, "youth", begins, PART)
    assert record.id is not None
    return record.id
