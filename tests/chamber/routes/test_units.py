"""Local, faith and student STV routes: a share divided between units, each unit's places
elected by STV and stored, those elected seated with their groups; refusals store nothing.
The golden case is the Glasgow 2007 Calton ward counted as a three-place district."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session, func, select

from chamber.db import perform, read
from chamber.elections.models import Election
from chamber.errors import Conflict, NotFound, Refused
from chamber.membership.models import Member
from chamber.routes.models import MemberRoute
from chamber.routes.synthetic import table
from chamber.routes.units import NO_GROUP, divide, elect, group_of, units_of
from chamber.routes.views import filled
from electoral.errors import BallotFileError
from tests.chamber.conftest import MONDAY
from tests.chamber.routes.conftest import NOW, blt
from tests.conftest import shared_data

CALTON = Path(__file__).parents[3] / "electoral" / "samples" / "glasgow_2007_calton.blt"
DISTRICTS = table(["district", "population"], [("Calton", 81_000), ("Riverside", 162_000),
                                               ("Hillhead", 405_000)])
WALES = table(["district", "population"], [(f"Wales {k}", 100_000 + 1_000 * k)
                                           for k in range(20)])


def _members(engine, route):
    with Session(engine) as s:
        return s.exec(select(Member, MemberRoute).join(
            MemberRoute, MemberRoute.member_id == Member.id).where(MemberRoute.route == route)
        ).all()


def test_districts_get_places_by_population_and_elect_them_by_stv(national):
    perform(national, divide, "national", "local", "districts.csv", DISTRICTS, seed="s",
            places=24, now=NOW)
    units = read(national, units_of, "national", "local")
    assert {u: v["places"] for u, v in units.items()} == {"Calton": 3, "Riverside": 6,
                                                          "Hillhead": 15}
    count = perform(national, elect, "national", "local", "Calton", "calton.blt",
                    CALTON.read_text(encoding="utf-8"), seed="s", now=NOW)
    seated = _members(national, "local")
    names = {m.name for m, _ in seated}
    assert names == {"George Redmond (Lab)", "Ruth Simpson (Lab)", "Alison E Thewliss (SNP)"}
    assert {m.group for m, _ in seated} == {"Lab", "SNP"}
    assert all(r.election_id == count and r.unit == "Calton" for _, r in seated)
    assert {m.seat_id for m, _ in seated} == {m.seat_id for m, _ in seated[:1]}  # S100
    with pytest.raises(Conflict, match="already elected"):
        perform(national, elect, "national", "local", "Calton", "calton.blt",
                CALTON.read_text(encoding="utf-8"), seed="s", now=NOW)


def test_a_real_2022_ward_is_counted_as_its_district(national):
    path = shared_data("stv", "scotland", "2022", "aberdeen_2022_ward1.blt")
    text = path.read_text(encoding="utf-8")
    perform(national, divide, "national", "local", "d.csv",
            table(["district", "population"], [("Dyce", 108_000), ("Other", 540_000)]),
            seed="s", places=24, now=NOW)
    perform(national, elect, "national", "local", "Dyce", path.name, text, seed="s", now=NOW)
    seated = _members(national, "local")
    assert len(seated) == 4
    assert {m.group for m, _ in seated} <= {"SNP", "Lab", "LD", "Con", "Grn", "SFP"}


def test_independents_have_no_group_and_are_arranged_by_the_lga():
    assert group_of("'Ann Bell ''Independent (Ind)'''", {}) == NO_GROUP
    assert group_of("Bob Cole (Lab)", {}) == "Lab"
    assert group_of("Bob Cole (Lab)", {"Bob Cole (Lab)": "Progressive Alliance"}) == (
        "Progressive Alliance")


def test_a_unit_not_in_the_division_or_a_bad_file_is_refused_and_nothing_stored(national, rng):
    with pytest.raises(NotFound, match="not divided"):
        perform(national, elect, "national", "faith", "X", "x.blt", blt(rng, 24, 30),
                seed="s", now=NOW)
    with pytest.raises(BallotFileError, match=r"faith.csv, line 3: column 'members'"):
        perform(national, divide, "national", "faith", "faith.csv",
                "partnership,members\nNorth,100\nSouth,lots\n", seed="s", now=NOW)
    perform(national, divide, "national", "faith", "faith.csv",
            table(["partnership", "members"], [("North", 4_000), ("South", 96_000)]),
            seed="s", now=NOW)
    with pytest.raises(NotFound, match="no partnership 'East'"):
        perform(national, elect, "national", "faith", "East", "x.blt", blt(rng, 24, 30),
                seed="s", now=NOW)
    with pytest.raises(BallotFileError):
        perform(national, elect, "national", "faith", "North", "x.blt", "3 2\n1 9 0\n0\n",
                seed="s", now=NOW)
    with Session(national) as s:
        assert s.exec(select(func.count(Election.id))).one() == 0


def test_faith_partnerships_and_student_unions_elect_their_own_whole_seats(national, rng):
    perform(national, divide, "national", "faith", "faith.csv",
            table(["partnership", "members"], [("North", 4_000), ("South", 96_000)]),
            seed="s", now=NOW)
    north = read(national, units_of, "national", "faith")["North"]
    assert north["seats"] == ["S248", "S249"][-len(north["seats"]):] or north["seats"]
    perform(national, elect, "national", "faith", "North", "n.blt",
            blt(rng, north["places"], north["places"] + 4), seed="s", now=NOW)
    faith = _members(national, "faith")
    assert len(faith) == north["places"]
    assert {m.group for m, _ in faith} == {"North"}
    perform(national, divide, "national", "students", "unions.csv",
            table(["union", "members"], [("Leeds", 30_000), ("Kent", 1_300)]), seed="s",
            now=NOW)
    kent = read(national, units_of, "national", "students")["Kent"]
    assert kent["places"] == 48 * len(kent["seats"])
    assert kent["seats"][0] >= "S375"  # the student half of the youth seats
    perform(national, elect, "national", "students", "Kent", "k.blt",
            blt(rng, kent["places"], kent["places"] + 3), seed="s", now=NOW)
    students = _members(national, "students")
    assert len(students) == kent["places"]
    assert all(m.cycle == 2 for m, _ in students)  # youth sit once in four weeks


def test_the_local_share_is_divided_in_parts_until_every_place_is(national):
    perform(national, divide, "national", "local", "scotland.csv", DISTRICTS, seed="s",
            places=24, now=NOW)
    missing = read(national, filled, "national", MONDAY).shares[1].missing
    assert "local: 2,376 of 2,400 places are not yet divided between districts" in missing
    with pytest.raises(Refused, match="already in a division: Calton"):
        perform(national, divide, "national", "local", "again.csv", DISTRICTS, seed="s",
                places=24, now=NOW)
    with pytest.raises(Refused, match="2,376 of them not yet divided; 2,377 cannot"):
        perform(national, divide, "national", "local", "wales.csv", WALES, seed="s",
                places=2_377, now=NOW)
    perform(national, divide, "national", "local", "wales.csv", WALES, seed="s", now=NOW)
    units = read(national, units_of, "national", "local")
    assert sum(u["places"] for u in units.values()) == 2_400
    assert units["Calton"]["places"] == 3
    with pytest.raises(Conflict, match="all 2,400 places"):
        perform(national, divide, "national", "local", "more.csv", WALES, seed="s", now=NOW)
