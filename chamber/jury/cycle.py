"""The jury's cycle from the stored pool: seeds announced for each month's cohort, the
extensions the jurors chose by ballot counted before each draw, the monthly draw by LEXIMIN,
and the draws that replace declines, lapses and withdrawals, each keeping the cohort and the
whole jury within quotas.

Every draw is an exact `electoral.sortition` draw of the pool as it stands (the volunteers not
withdrawn and never drawn), with quotas narrowed to what the jury has room for; its record, the
pool's pseudonymised copy and the quotas' text are what `chamber draw verify` needs.  A draw
whose quotas cannot be met is refused with the smallest relaxation that would allow one
(`electoral.sortition.panels.diagnose`), and nothing is stored."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlmodel import Session, col, func, select

from chamber.audit.services import append
from chamber.bodies.services import body
from chamber.errors import Conflict, Invalid, Refused
from chamber.jury.ballot import count_ballot
from chamber.jury.lottery import Lottery, quotas_text
from chamber.jury.models import JuryCohort, JuryDraw, JuryPlace, Volunteer
from chamber.jury.places import (
    counts,
    free_seats,
    holders,
    index,
    invite,
    invite_drawn,
    label,
    month_of,
    on_jury,
)
from chamber.jury.pool import available, pool_csv, ranges
from chamber.jury.quotas import replacement_quotas, within
from chamber.jury.rules import JuryRules
from electoral.errors import CountError
from electoral.sortition.draw import run_draw
from electoral.sortition.instance import Quota, build_instance, parse_pool, parse_quotas
from electoral.sortition.panels import InfeasibleQuotasError


def rules_of(lottery: Lottery) -> JuryRules:
    if lottery.cycle is None:
        raise Invalid(f"{lottery.body} is drawn once, as a panel, not every month")
    return lottery.cycle


def jury_quotas(lottery: Lottery) -> tuple[Quota, ...]:
    """The whole jury's quotas: a draw's, scaled to the jury's size (minimum down, maximum up;
    `chamber.jury.rules.JurySetup.jury_quotas`)."""
    rules = rules_of(lottery)
    n, size = rules.drawn, rules.size
    return tuple(Quota(q.feature, q.value, q.min * size // n, -(-q.max * size // n))
                 for q in lottery.quotas)


def check_month(month: str) -> str:
    try:
        ok = len(month) == 7 and month[4] == "-" and 1 <= int(month[5:]) <= 12
        ok = ok and 2000 <= int(month[:4]) <= 2199
    except ValueError:
        ok = False
    if not ok:
        raise Invalid(f"month must be YYYY-MM, not {month!r}")
    return month


def announce_seed(
    session: Session, lottery: Lottery, month: str, seed: str, now: datetime
) -> None:
    """The officer announces the public seed of a month's draw before it is made (the numbers
    of a lottery drawn on a stated date, say); once announced it cannot change."""
    rules_of(lottery)
    body(session, lottery.body)
    if not seed.strip():
        raise Invalid("the seed is empty: announce a public value nobody can predict")
    found = _cohort(session, lottery.body, check_month(month))
    if found is not None:
        if found.seed != seed.strip():
            raise Conflict(f"the seed of {month} was announced as {found.seed!r}")
        return
    session.add(JuryCohort(body_key=lottery.body, month=month, seed=seed.strip(),
                           announced_at=now))
    append(session, "jury seed", {"body": lottery.body, "month": month, "seed": seed.strip()},
           now)


def _cohort(session: Session, body_key: str, month: str) -> JuryCohort | None:
    return session.exec(
        select(JuryCohort).where(JuryCohort.body_key == body_key, JuryCohort.month == month)
    ).first()


def next_cohort(session: Session, body_key: str) -> str | None:
    """The month after the latest cohort drawn (None before the first)."""
    last = session.exec(
        select(func.max(JuryCohort.month)).where(JuryCohort.body_key == body_key,
                                                 col(JuryCohort.draw_id).is_not(None))
    ).one()
    return None if last is None else label(index(last) + 1)


def due_cohort(session: Session, lottery: Lottery, now: datetime, lead: int) -> tuple[str, str]:
    """The cohort the draw of this month makes, and its announced seed ("" if none)."""
    month = label(index(month_of(now)) + lead)
    found = _cohort(session, lottery.body, month)
    return month, (found.seed if found is not None and found.draw_id is None else "" if
                   found is None else "drawn")


def lottery_draw(
    session: Session, lottery: Lottery, quotas: tuple[Quota, ...], size: int, seed: str,
    kind: str, month: str, now: datetime,
) -> tuple[JuryDraw, list[Volunteer]]:
    """An exact LEXIMIN draw of ``size`` from the pool as it stands, to ``quotas``; the draw is
    stored with its record, the pool it was made from and the quotas' text."""
    what = f"the {kind} draw of {month} for {lottery.body}"
    people = available(session, lottery.body)
    if len(people) < size:
        raise Refused(f"{what}: only {len(people)} volunteers are in the pool, not {size}")
    text = quotas_text(quotas)
    pool = parse_pool(pool_csv(lottery, people), "pool.csv", require_id=True)
    parsed, sha = parse_quotas(text, "quotas.csv")
    try:
        result = run_draw(build_instance(pool, parsed, size, quotas_sha256=sha), seed)
    except InfeasibleQuotasError as exc:
        raise Refused(f"{what} is refused: {exc}") from None
    except CountError as exc:
        raise Refused(f"{what} is refused: {exc}") from None
    record = result.record.as_dict()
    head = append(session, "jury draw", {
        "body": lottery.body, "month": month, "kind": kind, "seed": seed, "size": size,
        "pool_sha256": record["pool_sha256"], "quotas_sha256": record["quotas_sha256"],
    }, now)
    draw = JuryDraw(month=month, kind=kind, seed=seed, record=record, drawn_at=now,
                    audit_head=head, body_key=lottery.body, quotas_csv=text,
                    pool=ranges([v.id for v in people if v.id is not None]))
    session.add(draw)
    session.flush()
    panel = set(result.record.panel)
    chosen = [v.id for v in people if v.ref in panel]
    return draw, list(session.exec(
        select(Volunteer).where(col(Volunteer.id).in_(chosen)).order_by(col(Volunteer.id))
    ).all())


def _room(
    lottery: Lottery, staying: list[Volunteer], vacant: int, places: int, full: bool
) -> tuple[Quota, ...]:
    """What a draw of ``places`` may take so that the jury stays within its quotas, given
    those staying and ``vacant`` places still to fill after it (minimums only once full)."""
    whole = jury_quotas(lottery)
    if not full:
        whole = tuple(replace(q, min=0) for q in whole)
    return replacement_quotas(whole, counts(whole, staying), places, later=vacant)


def _pace(lottery: Lottery, staying: list[Volunteer], places: int) -> tuple[Quota, ...]:
    """While the jury fills, what a draw of ``places`` should take so that the jury, then
    ``len(staying) + places`` strong, holds its share of the whole jury's quotas (each minimum
    and maximum scaled to its size then).  Without it nothing keeps the fill on course: a value
    the pool under-represents is drawn at its monthly minimum every month, and the first month
    the jury is full asks one cohort for more than its monthly maximum (measured:
    `benchmarks/jury.py` refused its 27th month for wales, 11 needed against a maximum of 8)."""
    whole = jury_quotas(lottery)
    size = rules_of(lottery).size
    n = len(staying) + places
    scaled = [replace(q, min=q.min * n // size, max=-(-q.max * n // size)) for q in whole]
    return replacement_quotas(scaled, counts(whole, staying), places)


def _towards(
    first: tuple[Quota, ...], pace: tuple[Quota, ...], places: int
) -> tuple[Quota, ...]:
    """The draw's own quotas moved as far towards ``pace`` as they allow (a pace its quotas
    cannot reach is approached, not refused: the jury is not yet held to its quotas); a
    feature whose moved quotas could not add up to ``places`` keeps its own."""
    moved = []
    for a, b in zip(first, pace, strict=True):
        low = max(a.min, min(b.min, a.max))
        high = min(a.max, max(b.max, low))
        moved.append(Quota(a.feature, a.value, low, high))
    fits = {f: sum(q.min for q in moved if q.feature == f) <= places
            <= sum(q.max for q in moved if q.feature == f) for f in {q.feature for q in moved}}
    return tuple(m if fits[m.feature] else a for a, m in zip(first, moved, strict=True))


def _narrow(lottery: Lottery, first: tuple[Quota, ...], room: tuple[Quota, ...],
            what: str) -> tuple[Quota, ...]:
    quotas, conflicts = within(first, room)
    if conflicts:
        raise Refused(f"{what} is refused: its quotas and the whole jury's room cannot both "
                      "hold: " + "; ".join(conflicts))
    return quotas


def draw_cohort(
    session: Session, lottery: Lottery, month: str, seed: str, now: datetime, *,
    accept_days: int, lead_months: int,
) -> int:
    """Draw a month's cohort: first the count of the jurors' extensions ballot of the month
    ``lead_months`` before it (`chamber.jury.ballot`; the leavers it replaces are then known),
    then ``drawn`` jurors by LEXIMIN from the pool, to the draw's quotas narrowed to the whole
    jury's room in that month; each is invited.  Cohorts are drawn in order and once; the seed,
    if one was announced, must be it.  Returns the draw."""
    rules = rules_of(lottery)
    body(session, lottery.body)
    check_month(month)
    if not seed.strip():
        raise Invalid("the draw needs its public seed")
    if lead_months > rules.window_months:
        raise Invalid(f"a cohort drawn {lead_months} months ahead replaces leavers not yet "
                      f"known: the extension window is {rules.window_months} months")
    expected = next_cohort(session, lottery.body)
    if expected is not None and month != expected:
        raise Refused(f"the next cohort of {lottery.body} to draw is {expected}, not {month}")
    cohort = _cohort(session, lottery.body, month)
    if cohort is None:
        announce_seed(session, lottery, month, seed, now)
        cohort = _cohort(session, lottery.body, month)
    assert cohort is not None
    if cohort.draw_id is not None:
        raise Conflict(f"the cohort of {month} has been drawn already")
    if cohort.seed != seed.strip():
        raise Conflict(f"the seed of {month} was announced as {cohort.seed!r}")
    seed = cohort.seed
    cohort.extended = count_ballot(session, lottery, label(index(month) - lead_months), seed, now)
    jury = [p for p in on_jury(session, lottery.body, month) if p.cohort != month]
    staying = list(holders(session, jury).values())
    vacant = sum(p.status == "vacant" for p in jury)
    full = len(jury) + rules.drawn >= rules.size
    what = f"the monthly draw of {month} for {lottery.body}"
    if full:
        quotas = _narrow(lottery, lottery.quotas,
                         _room(lottery, staying, vacant, rules.drawn, full), what)
    else:
        quotas = _towards(lottery.quotas, _pace(lottery, staying, rules.drawn), rules.drawn)
    end = label(index(month) + rules.term_months)
    seats = free_seats(session, lottery, month, end, rules.drawn)
    draw, people = lottery_draw(session, lottery, quotas, rules.drawn, seed, "monthly", month,
                                 now)
    assert draw.id is not None
    invite_drawn(session, lottery.body, month, end, seats, people, draw.id, now, accept_days)
    cohort.draw_id, cohort.drawn_at = draw.id, now
    return draw.id


def vacancies(session: Session, body_key: str, now: datetime) -> list[str]:
    """The groups with vacant places to fill: a cohort's month for its first-year places,
    "extended" for extended places; only places whose term has not ended."""
    month = month_of(now)
    rows = session.exec(
        select(JuryPlace.cohort, JuryPlace.extended).where(
            JuryPlace.body_key == body_key, JuryPlace.status == "vacant",
            col(JuryPlace.term_end) > month,
        ).distinct()
    ).all()
    return sorted({"extended" if extended else cohort for cohort, extended in rows})


def draw_replacement(
    session: Session, lottery: Lottery, group: str, now: datetime, *, accept_days: int
) -> int:
    """Fill a group's vacant places by a draw from the remaining pool that keeps the cohort
    (for first-year places) and the whole jury within quotas in the month the replacements
    join; each is invited.  Returns the draw."""
    rules = rules_of(lottery)
    extended = group == "extended"
    places = list(session.exec(
        select(JuryPlace).where(
            JuryPlace.body_key == lottery.body, JuryPlace.status == "vacant",
            col(JuryPlace.term_end) > month_of(now), JuryPlace.extended == extended,
            *(() if extended else (JuryPlace.cohort == group,)),
        ).order_by(col(JuryPlace.id))
    ).all())
    if not places:
        raise Refused(f"no vacant place in {group} of {lottery.body}")
    month = max(month_of(now), min(p.cohort for p in places))
    jury = on_jury(session, lottery.body, month)
    mine = {p.id for p in places}
    staying = list(holders(session, jury).values())
    later = sum(p.status == "vacant" and p.id not in mine for p in jury)
    room = _room(lottery, staying, later, len(places), len(jury) >= rules.size)
    what = f"the replacement draw for {group} of {lottery.body}"
    if extended:
        quotas = room
    else:
        rest = holders(session, [p for p in jury if p.cohort == group and p.id not in mine])
        own = replacement_quotas(lottery.quotas, counts(lottery.quotas, rest.values()),
                                 len(places))
        quotas = _narrow(lottery, own, room, what)
    cohort = _cohort(session, lottery.body, min(p.cohort for p in places))
    done = session.exec(
        select(func.count()).select_from(JuryDraw).where(
            JuryDraw.body_key == lottery.body, JuryDraw.kind == "replacement",
            JuryDraw.month == group)
    ).one()
    seed = f"{cohort.seed if cohort else lottery.body}/replacement/{group}/{int(done) + 1}"
    draw, people = lottery_draw(session, lottery, quotas, len(places), seed, "replacement",
                                 group, now)
    assert draw.id is not None
    for place, who in zip(places, people, strict=True):
        invite(session, place, who, draw.id, now, accept_days)
    return draw.id
