"""A citizens' panel for one decision: the panel officer sets its remit (the question, the
stratum it is drawn from, its size and quotas, its powers: scrutinise, revise, advise, and
whether the public may vote on its divisions) before it is drawn from its own pool
(`chamber.jury.panel`, which draws to the remit's size and quotas); it meets on its own sitting
pattern (its meetings are stored from the body's sittings, or added one by one); and it
publishes what its powers allow: a scrutiny report (scrutinise), amendments (revise),
recommendations (advise)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta

from sqlmodel import Session, col, select

from chamber.bodies.services import body
from chamber.clock import LONDON, aware
from chamber.db import fetch
from chamber.errors import Conflict, Invalid, NotFound, Refused
from chamber.jury.expert_models import PanelMeeting, PanelOutput, PanelRemit
from chamber.jury.lottery import Lottery
from chamber.jury.models import JuryDraw
from chamber.jury.rules import JuryError
from chamber.sittings.models import Sitting
from chamber.sittings.services import extend_calendar
from electoral.errors import CountError
from electoral.sortition.instance import parse_quotas

POWERS = {"scrutinise": "scrutiny report", "revise": "amendment", "advise": "recommendation"}
"""Each power and the output it allows."""
KINDS = {kind: power for power, kind in POWERS.items()}


def remit_lottery(lottery: Lottery, size: int, quotas_csv: str) -> Lottery:
    """The panel's lottery drawn to ``size`` and the quotas of ``quotas_csv`` (checked: every
    feature one of the lottery's, each feature's bounds able to make ``size``)."""
    try:
        quotas, _ = parse_quotas(quotas_csv, "quotas")
    except CountError as exc:
        raise Invalid(f"quotas: {exc}") from None
    keys = {f.key for f in lottery.features}
    stray = sorted({q.feature for q in quotas} - keys)
    if stray:
        raise Invalid(f"quotas: {', '.join(stray)} is not a feature volunteers give "
                      f"({', '.join(sorted(keys))})")
    for f in lottery.features:
        unknown = [q.value for q in quotas if q.feature == f.key and q.value not in f.values]
        if unknown:
            raise Invalid(f"quotas: {f.key} has no value {unknown[0]!r}")
    try:
        return replace(lottery, size=size, quotas=quotas)
    except JuryError as exc:
        raise Invalid(f"quotas: {exc}") from None


def panel_lottery(session: Session, lottery: Lottery) -> Lottery:
    """A panel's lottery as its remit sets it (the lottery file's when it has none)."""
    remit = session.get(PanelRemit, lottery.body)
    if remit is None or lottery.cycle is not None:
        return lottery
    return remit_lottery(lottery, remit.size, remit.quotas_csv)


def create_panel(
    session: Session, lottery: Lottery, question: str, stratum: str, powers: list[str],
    now: datetime, *, size: int | None = None, quotas_csv: str | None = None,
    public_votes: bool = False,
) -> str:
    """Set a citizens' panel's remit before it is drawn: its question, stratum, size and
    quotas (the lottery file's when not given), powers, and whether the public vote on its
    divisions.  Returns the panel's body key."""
    if lottery.cycle is not None:
        raise Invalid(f"{lottery.body} is drawn every month: it is a jury, not a panel")
    body(session, lottery.body)
    if not question.strip():
        raise Invalid("question: a panel is drawn to answer a question")
    if not stratum.strip():
        raise Invalid("stratum: say whom the panel is drawn from (e.g. the residents of a town)")
    if not powers or any(p not in POWERS for p in powers) or len(set(powers)) != len(powers):
        raise Invalid(f"powers: one or more of {', '.join(POWERS)}, each once, not "
                      f"{', '.join(powers) or 'none'}")
    if session.get(PanelRemit, lottery.body) is not None:
        raise Conflict(f"the panel of {lottery.body} has its remit already")
    drawn = session.exec(select(JuryDraw.id).where(JuryDraw.body_key == lottery.body)).first()
    if drawn is not None:
        raise Conflict(f"the panel of {lottery.body} was drawn already (draw {drawn}); its remit "
                       "is set before the draw")
    size = lottery.size if size is None else size
    if not 1 <= size <= 10_000:
        raise Invalid(f"size: a panel of 1 to 10,000 people, not {size}")
    drawn_to = remit_lottery(lottery, size, quotas_csv or lottery.quotas_csv())
    session.add(PanelRemit(
        body_key=lottery.body, question=" ".join(question.split()),
        stratum=" ".join(stratum.split()), size=size, quotas_csv=drawn_to.quotas_csv(),
        powers=[p for p in POWERS if p in powers], public_votes=public_votes, created_at=now))
    return lottery.body


def remit(session: Session, body_key: str) -> PanelRemit:
    found = session.get(PanelRemit, body_key)
    if found is None:
        raise NotFound(f"{body_key!r} is not a citizens' panel with a remit")
    return found


def set_public_votes(session: Session, body_key: str, allowed: bool) -> None:
    """Whether the public may vote on the panel's divisions (a setting of the panel)."""
    remit(session, body_key).public_votes = allowed


def add_meeting(
    session: Session, body_key: str, starts_at: datetime, ends_at: datetime, venue: str,
    agenda: str,
) -> int:
    """A meeting of the panel (beyond its sitting pattern, or in place of one)."""
    remit(session, body_key)
    if not starts_at < ends_at:
        raise Invalid("ends_at: a meeting ends after it starts")
    if not venue.strip():
        raise Invalid("venue: say where the panel meets")
    meeting = PanelMeeting(body_key=body_key, starts_at=starts_at, ends_at=ends_at,
                           venue=venue.strip(), agenda=agenda.strip())
    session.add(meeting)
    session.flush()
    return meeting.id or 0


def schedule_meetings(
    session: Session, body_key: str, first: date, last: date, venue: str
) -> int:
    """Store a meeting for every sitting of the panel's own pattern from ``first`` to ``last``
    (its calendar made as far as needed; a sitting already stored is skipped).  Returns how
    many were stored."""
    remit(session, body_key)
    if not first <= last:
        raise Invalid("last: the meetings run from the first day to the last")
    if (last - first).days > 5 * 366:
        raise Invalid("last: meetings are scheduled for at most five years at a time")
    if not venue.strip():
        raise Invalid("venue: say where the panel meets")
    extend_calendar(session, body_key, last)
    start = datetime.combine(first, time(), LONDON)
    end = datetime.combine(last + timedelta(days=1), time(), LONDON)
    held = {aware(m) for m in session.exec(select(PanelMeeting.starts_at).where(
        PanelMeeting.body_key == body_key)).all()}
    sittings = session.exec(select(Sitting).where(
        Sitting.body_key == body_key, col(Sitting.starts_at) >= start,
        col(Sitting.starts_at) < end).order_by(col(Sitting.starts_at))).all()
    new = [s for s in sittings if aware(s.starts_at) not in held]
    for s in new:
        session.add(PanelMeeting(body_key=body_key, starts_at=s.starts_at, ends_at=s.ends_at,
                                 venue=venue.strip(), agenda=""))
    return len(new)


def publish_output(
    session: Session, body_key: str, kind: str, title: str, text: str, now: datetime, *,
    meeting_id: int | None = None,
) -> int:
    """Publish a recommendation, an amendment or a scrutiny report of the panel: only what its
    powers allow, once it is drawn.  Returns the output."""
    found = remit(session, body_key)
    if kind not in KINDS:
        raise Invalid(f"kind: one of {', '.join(KINDS)}, not {kind!r}")
    if KINDS[kind] not in found.powers:
        raise Refused(f"a panel publishes a {kind} only with the power to {KINDS[kind]}; the "
                      f"panel of {body_key} may {', '.join(found.powers)}")
    if not title.strip():
        raise Invalid("title: an output has a title")
    if not text.strip():
        raise Invalid("text: an output says something")
    drawn = session.exec(select(JuryDraw.id).where(JuryDraw.body_key == body_key,
                                                   JuryDraw.kind == "panel")).first()
    if drawn is None:
        raise Refused(f"the panel of {body_key} is not drawn yet")
    if meeting_id is not None and fetch(session, PanelMeeting, meeting_id,
                                        "meeting").body_key != body_key:
        raise Invalid(f"meeting_id: meeting {meeting_id} is not one of this panel's")
    output = PanelOutput(body_key=body_key, kind=kind, title=title.strip(), text=text.strip(),
                         meeting_id=meeting_id, published_at=now)
    session.add(output)
    session.flush()
    return output.id or 0
