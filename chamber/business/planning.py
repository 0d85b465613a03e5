"""The clerk's planned business: listed by sitting, retitled, or withdrawn before its sitting.

Planning itself is `chamber.business.services.plan_business` (a month ahead, urgent items only
on Saturday afternoons).  An item may be retitled or withdrawn until its sitting begins and
while nothing has been said in its debate; each change is on the audit chain, so the record
keeps what was planned and by whom even after a withdrawal removes the item.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from chamber.audit.services import append
from chamber.business.models import BusinessItem, Debate, Speech
from chamber.clock import aware, london
from chamber.db import fetch
from chamber.errors import Invalid, Refused
from chamber.sittings.models import Sitting


@dataclass(frozen=True, slots=True)
class PlannedItem:
    """An item of business as the clerk's page lists it."""

    id: int
    debate: int
    sitting: int
    starts_at: datetime
    title: str
    urgent: bool
    planned_on: date
    planned_by: str
    speeches: int

    @property
    def changeable(self) -> bool:
        """Nothing has been said in its debate (whether its sitting has begun is the
        service's to check, at the time of the change)."""
        return self.speeches == 0


def planned_business(session: Session, since: datetime, until: datetime) -> list[PlannedItem]:
    """The business planned into sittings starting from ``since`` to ``until``, by sitting."""
    spoken = (
        select(Speech.debate_id, func.count().label("n")).group_by(col(Speech.debate_id))
    ).subquery()
    rows = session.exec(
        select(BusinessItem, Debate.id, Sitting.starts_at, func.coalesce(spoken.c.n, 0))
        .join(Debate, col(Debate.business_id) == col(BusinessItem.id))
        .join(Sitting, col(Sitting.id) == col(BusinessItem.sitting_id))
        .join(spoken, spoken.c.debate_id == col(Debate.id), isouter=True)
        .where(col(Sitting.starts_at) >= since, col(Sitting.starts_at) < until)
        .order_by(col(Sitting.starts_at), col(BusinessItem.id))
    ).all()
    found = []
    for item, debate, starts, speeches in rows:
        assert item.id is not None
        assert debate is not None
        found.append(PlannedItem(
            item.id, debate, item.sitting_id, london(starts), item.title, item.urgent,
            item.planned_on, item.planned_by, int(speeches),
        ))
    return found


def _changeable(session: Session, item_id: int, now: datetime) -> tuple[BusinessItem, Debate]:
    item = fetch(session, BusinessItem, item_id, "item of business")
    found = fetch(session, Sitting, item.sitting_id, "sitting")
    if aware(found.starts_at) <= now:
        raise Refused(f"the sitting of {found.day} {found.session} has begun: its business "
                      "stands as it was")
    debate = session.exec(select(Debate).where(Debate.business_id == item_id)).one()
    said = session.exec(
        select(func.count()).select_from(Speech).where(Speech.debate_id == debate.id)
    ).one()
    if said:
        raise Refused(f"{said} speeches have been made in {item.title!r}: it stands")
    return item, debate


def retitle_business(
    session: Session, item_id: int, title: str, *, now: datetime, by: str
) -> None:
    """Give an item of business a new title (before its sitting begins)."""
    if not title.strip():
        raise Invalid("title: an item of business needs a title")
    item, debate = _changeable(session, item_id, now)
    before = item.title
    item.title = debate.title = title.strip()
    session.add_all([item, debate])
    append(session, "business retitled",
           {"item": item_id, "from": before, "to": item.title, "by": by}, now)


def withdraw_business(session: Session, item_id: int, *, now: datetime, by: str) -> str:
    """Withdraw an item of business before its sitting begins; returns its title."""
    item, debate = _changeable(session, item_id, now)
    title = item.title
    append(session, "business withdrawn",
           {"item": item_id, "sitting": item.sitting_id, "title": title, "by": by}, now)
    session.delete(debate)
    session.flush()
    session.delete(item)
    return title
