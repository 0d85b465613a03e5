"""Re-running a stored route step from its stored inputs, as a count is re-run
(`chamber.elections.services.verify_election`): the party allocation, a share's division
between units and the organisations ballot are computed again and compared with what was
published; a step that seated a list of names, or counts (each verified on its own page), has
its inputs' SHA-256 checked.  Returns the differences (none when it agrees)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from sqlmodel import Session

from chamber.routes import csvrows
from chamber.routes.models import RouteResult
from chamber.routes.records import sha256, stored_result
from chamber.routes.units import UNIT_ROUTES
from electoral.approval import (
    MAX_CHOICES,
    count_approval,
    parse_approval_ballots,
    parse_organisations,
)
from electoral.errors import CountError
from electoral.party_list import allocate, parse_party_votes
from electoral.seat_shares import district_places, student_union_seats

THRESHOLD = "0.01"


def _plain(data: object) -> Any:
    """As stored: through JSON (tuples become lists)."""
    return json.loads(json.dumps(data))


def _compare(what: str, published: object, again: object) -> list[str]:
    if _plain(published) == _plain(again):
        return []
    if isinstance(published, Mapping) and isinstance(again, Mapping):
        keys = sorted(k for k in {*published, *again}
                      if _plain(published.get(k)) != _plain(again.get(k)))
        return [f"the {what} differs in: {', '.join(keys)}"]
    return [f"the {what} differs"]


def _rerun(r: RouteResult) -> list[str]:
    res = r.result
    if r.route == "party" and r.step == "allocation":
        published = res["allocation"]
        assert isinstance(published, dict)
        parsed = parse_party_votes(r.inputs, r.source_name)
        again = allocate(parsed.names, parsed.votes, int(published["seats"]),
                         str(published["method"]), threshold=THRESHOLD, seed=r.seed)
        return _compare("allocation", published, again.as_dict())
    if r.step == "division" and r.route in UNIT_ROUTES:
        way = UNIT_ROUTES[r.route]
        units = res["units"]
        assert isinstance(units, dict)
        names, figures = csvrows.totals(r.inputs, r.source_name, way.unit, way.figure)
        if way.by_places:
            places = sum(int(u["places"]) for u in units.values())
            done: object = district_places(names, figures, places, seed=r.seed).as_dict()
        else:
            seats = sum(len(u["seats"]) for u in units.values())
            done = student_union_seats(names, figures, seats, seed=r.seed).as_dict()
        return _compare("division", res.get("working"), done)
    if r.route == "organisations" and r.step == "ballot":
        files = json.loads(r.inputs)
        (orgs_name, orgs), (ballots_name, ballots) = list(files.items())
        standing, _ = parse_organisations(orgs, orgs_name)
        marks = parse_approval_ballots(ballots, standing, ballots_name)
        published = res["count"]
        assert isinstance(published, dict)
        counted = count_approval(marks, standing, int(published["seats"]), MAX_CHOICES, r.seed)
        return _compare("ballot's count", published, counted.as_dict())
    return []


def verify_step(session: Session, result_id: int) -> list[str]:
    """Re-run a stored step from its stored inputs; the differences (none when it agrees)."""
    r = stored_result(session, result_id)
    problems = []
    if sha256(r.inputs) != r.source_sha256:
        problems.append("the stored inputs are not the ones used (SHA-256 differs)")
    try:
        problems += _rerun(r)
    except CountError as exc:
        problems.append(f"the stored inputs no longer read: {exc}")
    return problems
