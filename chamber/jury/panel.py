"""A citizens' panel drawn once from its own stored pool (a lottery without a monthly cycle,
e.g. `lotteries/local-health-panel.toml`): the panel officer draws ``size`` people by LEXIMIN to
the panel's quotas with a public seed, for a term of whole months; each is invited, and one who
accepts becomes a member of the panel's body (a sharer of one of its seats) for the term, on
the body's own sitting pattern and rota.  A panel with a remit is drawn to its size and quotas.
Declines, lapses and withdrawals are replaced by a draw from the remaining pool that keeps the
panel within its quotas.  The draw is published
like the jury's (`chamber.jury.views.draw_downloads`)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from chamber.bodies.services import body
from chamber.errors import Conflict, Invalid, Refused
from chamber.jury.citizens import panel_lottery
from chamber.jury.cycle import check_month, lottery_draw
from chamber.jury.lottery import Lottery
from chamber.jury.models import JuryDraw, JuryPlace
from chamber.jury.places import (
    counts,
    free_seats,
    holders,
    index,
    invite,
    invite_drawn,
    label,
    month_of,
)
from chamber.jury.quotas import replacement_quotas

MAX_MONTHS = 60


def _panel(lottery: Lottery) -> None:
    if lottery.cycle is not None:
        raise Invalid(f"{lottery.body} is drawn every month: draw the month's cohort instead")


def draw_panel(
    session: Session, lottery: Lottery, month: str, months: int, seed: str, now: datetime, *,
    accept_days: int,
) -> int:
    """Draw the panel to serve from the first day of ``month`` for ``months`` months; each
    person drawn is invited.  A panel is drawn once, to its remit's size and quotas when it has
    one (`chamber.jury.citizens`).  Returns the draw."""
    _panel(lottery)
    lottery = panel_lottery(session, lottery)
    body(session, lottery.body)
    check_month(month)
    if not 1 <= months <= MAX_MONTHS:
        raise Invalid(f"months: a panel serves 1 to {MAX_MONTHS} months, not {months}")
    if not seed.strip():
        raise Invalid("the draw needs its public seed")
    if month < month_of(now):
        raise Invalid(f"month: {month} has begun already; a panel serves from a month to come")
    done = session.exec(select(JuryDraw.id).where(JuryDraw.body_key == lottery.body,
                                                  JuryDraw.kind == "panel")).first()
    if done is not None:
        raise Conflict(f"the panel of {lottery.body} was drawn already (draw {done})")
    end = label(index(month) + months)
    seats = free_seats(session, lottery, month, end, lottery.size)
    draw, people = lottery_draw(session, lottery, lottery.quotas, lottery.size, seed.strip(),
                                "panel", month, now)
    assert draw.id is not None
    invite_drawn(session, lottery.body, month, end, seats, people, draw.id, now, accept_days)
    return draw.id


def panel_vacancies(session: Session, body_key: str, now: datetime) -> int:
    """How many of a panel's places are vacant with time left to serve."""
    return len(session.exec(
        select(JuryPlace.id).where(JuryPlace.body_key == body_key, JuryPlace.status == "vacant",
                                   col(JuryPlace.term_end) > month_of(now))
    ).all())


def replace_panel(
    session: Session, lottery: Lottery, now: datetime, *, accept_days: int
) -> int:
    """Fill the panel's vacant places by a draw from the remaining pool that keeps the panel
    within its quotas; each is invited.  Returns the draw."""
    _panel(lottery)
    lottery = panel_lottery(session, lottery)
    month = month_of(now)
    places = list(session.exec(
        select(JuryPlace).where(JuryPlace.body_key == lottery.body,
                                col(JuryPlace.term_end) > month).order_by(col(JuryPlace.id))
    ).all())
    vacant = [p for p in places if p.status == "vacant"]
    if not vacant:
        raise Refused(f"no vacant place on the panel of {lottery.body}")
    rest = holders(session, [p for p in places if p.status != "vacant"])
    quotas = replacement_quotas(lottery.quotas, counts(lottery.quotas, rest.values()),
                                len(vacant))
    done = session.exec(select(JuryDraw.id).where(JuryDraw.body_key == lottery.body,
                                                  JuryDraw.kind == "replacement")).all()
    first = session.exec(select(JuryDraw).where(JuryDraw.body_key == lottery.body,
                                                JuryDraw.kind == "panel")).first()
    seed = f"{first.seed if first else lottery.body}/replacement/{len(done) + 1}"
    draw, people = lottery_draw(session, lottery, quotas, len(vacant), seed, "replacement",
                                vacant[0].cohort, now)
    assert draw.id is not None
    for place, who in zip(vacant, people, strict=True):
        invite(session, place, who, draw.id, now, accept_days)
    return draw.id
