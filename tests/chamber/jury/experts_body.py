"""A small body whose jury appoints experts: a jury of 2 seats x 3 sharers, serving now, and
experts in 4 seats of 3 sharers (Health and Law one seat each, 2 open seats); a helper seats the
jurors directly (the draw itself is tested elsewhere), each with a member's account."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from chamber.accounts.services import create_account
from chamber.bodies import composition
from chamber.bodies.models import Category, Seat
from chamber.bodies.pattern import SittingSpec
from chamber.bodies.services import install_body
from chamber.db import perform
from chamber.jury.lottery import Experts, Feature, Lottery
from chamber.jury.models import JuryPlace, Volunteer
from chamber.jury.rules import JuryRules
from chamber.membership.services import NewMember, add_members
from electoral.sortition.instance import Quota

START = date(2027, 1, 4)
NOW = datetime(2027, 3, 10, 12, tzinfo=UTC)
SERVES_FROM = date(2027, 5, 1)
PASSWORD = "correct horse battery"  # as the web tests sign in
BODY = composition.Body(
    key="expert-jury", title="A jury with experts", expected_seats=6,
    categories=(
        composition.Category(key="jury", title="Jury", seats=2, sharers_per_seat=3,
                             cycle="fortnightly", selection="by lot", rota_by="the officer"),
        composition.Category(
            key="experts", title="Experts", seats=4, sharers_per_seat=3, cycle="fortnightly",
            selection="appointed by the jury", rota_by="the officer",
            subunits=(composition.SubUnit("Health", 1, "professions"),
                      composition.SubUnit("Law", 1, "professions"),
                      composition.SubUnit("Open seats (any field)", 2, "open"))),
    ),
    sittings=(SittingSpec(week=1, day="Monday", session="morning"),
              SittingSpec(week=1, day="Wednesday", session="morning"),
              SittingSpec(week=2, day="Tuesday", session="morning")),
)
LOTTERY = Lottery(
    body=BODY.key, category="jury", size=2,
    features=(Feature("gender", "Gender", ("female", "male")),),
    quotas=(Quota("gender", "female", 1, 1), Quota("gender", "male", 1, 1)),
    cycle=JuryRules(drawn=2, extended=0, term_months=2, window_months=1),
    experts=Experts("experts", 24),
)


def _seat(session: Session, body_key: str, category: str) -> list[Seat]:
    cat = session.exec(select(Category).where(Category.body_key == body_key,
                                              Category.key == category)).one()
    return list(session.exec(select(Seat).where(Seat.category_id == cat.id)
                             .order_by(col(Seat.number))).all())


def install_with_jurors(engine: Engine, jurors: int = 4) -> list[int]:
    """Install the body with ``jurors`` serving jurors (each with a member's account named
    ``juror<N>``); their place ids."""
    perform(engine, install_body, BODY, START)
    with Session(engine) as s:
        seats = _seat(s, BODY.key, "jury")
        codes = [seats[n // 2].code for n in range(jurors)]
    perform(engine, add_members, BODY.key, [
        NewMember(f"J{n}", f"Juror {n}", code, "jury", serves_from=START)
        for n, code in enumerate(codes)])
    places = []
    with Session(engine) as s:
        for n in range(jurors):
            who = Volunteer(body_key=BODY.key, ref=f"vjuror{n}", source="import", name=f"Juror {n}",
                            features={"gender": ("female", "male")[n % 2]}, consent=True,
                            volunteered_at=NOW)
            s.add(who)
            s.flush()
            place = JuryPlace(body_key=BODY.key, cohort="2027-01", term_end="2028-01",
                              seat_id=seats[n // 2].id, status="serving", volunteer_id=who.id,
                              member_id=f"J{n}")
            s.add(place)
            s.flush()
            places.append(place.id)
        s.commit()
    for n in range(jurors):
        perform(engine, create_account, f"juror{n}", PASSWORD, "member", NOW, member_id=f"J{n}")
    return places


def not_serving(engine: Engine) -> int:
    """A place of a juror whose term has not begun."""
    with Session(engine) as s:
        seat = _seat(s, BODY.key, "jury")[0]
        place = JuryPlace(body_key=BODY.key, cohort="2027-06", term_end="2027-08",
                          seat_id=seat.id, status="invited")
        s.add(place)
        s.commit()
        return place.id
