"""Officers' pages with Litestar's test client: the member account is the Speaker, its group's
whip and an assembly's officer (`tests.web.conftest`); a whip pins a member to a sitting, the
assembly's officer names delegates, the clerk appoints and calls the Executive Committee's
election, a member votes in it and the administrator counts it."""

from __future__ import annotations

from datetime import timedelta

from litestar.testing import TestClient
from sqlmodel import Session, select

from chamber.assemblies.models import Delegate
from chamber.clock import london
from chamber.db import read
from chamber.officers.models import OfficeHolding
from chamber.rotas.models import Pin
from chamber.settings import Settings
from chamber.sittings.services import sittings_between
from tests.web.conftest import MONDAY, post, sign_in
from web.app import create_app


def second_fortnight(world):
    start = world.small.sittings()[0].starts_at.replace(hour=0) + timedelta(days=14)
    return read(world.engine, sittings_between, start, start + timedelta(days=14))


def _local(moment) -> str:
    return london(moment).strftime("%Y-%m-%dT%H:%M")


def test_the_member_sees_their_offices_and_their_pages(world, client_for):
    client = client_for("member")
    page = client.get("/me/offices")
    assert page.status_code == 200
    for office in ("Speaker", "whip of citizens", "assembly officer of the Capital assembly"):
        assert office in page.text
    assert 'href="/whip"' in page.text
    assert 'href="/assembly"' in page.text
    assert "Arranging the rota of citizens" in client.get("/whip").text
    speaker = client.get("/speaker")
    assert "The Speaker and the panel of deputy speakers" in speaker.text
    assert world.member in speaker.text


def test_a_whip_pins_a_member_and_a_pin_breaking_a_rule_is_refused(world, client_for):
    client = client_for("member")
    monday = next(s for s in second_fortnight(world) if not s.urgent_only)
    other = next(m for m in sorted(world.roster.values()) if m != world.member
                 and m.split("-")[0] != world.member.split("-")[0])
    done = post(client, "/whip/pins", {"member": other, "sitting": str(monday.id)})
    assert done.status_code == 302, done.text
    page = client.get("/whip")
    assert other in page.text.split('id="pins"')[1]
    again = post(client, "/whip/pins", {"member": other, "sitting": str(monday.id)})
    assert again.status_code == 409
    assert "already pinned" in again.text
    own = post(client, "/whip/pins", {"member": world.member, "sitting": str(monday.id)})
    assert own.status_code == 409  # the member's seat is the assembly's from this fortnight
    assert "nobody is pinned to it" in own.text
    bad = post(client, "/whip/pins", {"member": other, "sitting": "x"})
    assert bad.status_code == 400
    assert "sitting" in bad.text
    with Session(world.engine) as s:
        pin = s.exec(select(Pin).where(Pin.member_id == other)).one()
    assert post(client, f"/whip/pins/{pin.id}/remove").status_code == 302
    with Session(world.engine) as s:
        assert s.exec(select(Pin).where(Pin.member_id == other)).first() is None


def test_the_assembly_officer_names_delegates_and_a_late_change_is_refused(world, client_for):
    client = client_for("member")
    page = client.get("/assembly")
    assert "The Capital assembly" in page.text
    assert "the rota is held back" in page.text  # its deadline passed: only missing places
    seat = world.member.split("-")[0]
    sittings = second_fortnight(world)
    sharer = f"{seat}-1" if world.member.endswith("-0") else f"{seat}-0"
    places = [f"{s.id}/{seat}" for s in sittings]
    members = [world.member, sharer][: len(places)]
    named = post(client, f"/assembly/{world.assembly}/delegates",
                 {"place": places, "member": members})
    assert named.status_code == 302, named.text
    with Session(world.engine) as s:
        stored = {d.sitting_id: d.member_id for d in s.exec(select(Delegate)).all()}
    assert stored == {s.id: m for s, m in zip(sittings, members, strict=False)}
    page = client.get("/assembly")
    assert f'<option value="{world.member}" selected>' in page.text
    late = post(client, f"/assembly/{world.assembly}/delegates",
                {"place": places[0], "member": sharer})
    assert late.status_code == 409
    assert "had to be named by" in late.text
    stranger = next(m for m in world.roster.values() if not m.startswith(seat))
    refused = post(client, f"/assembly/{world.assembly}/delegates",
                   {"place": places[0], "member": stranger})
    assert refused.status_code == 400
    assert f"{stranger} is not a sharer of seat {seat}" in refused.text
    with Session(world.engine) as s:
        assert {d.sitting_id: d.member_id for d in s.exec(select(Delegate)).all()} == stored


def test_the_clerk_appoints_and_ends_offices_with_refusals_named(world, client_for):
    client = client_for("clerk")
    page = client.get("/offices")
    assert "Who holds which office" in page.text
    assert "Capital" in page.text.split('id="assemblies"')[1]
    deputy = next(m for m in world.roster.values() if m != world.member)
    done = post(client, "/offices/appoint", {"body": "test-panel", "office": "deputy speaker",
                                             "member": deputy, "holds_from": str(MONDAY)})
    assert done.status_code == 302, done.text
    assert f"({deputy})" in client.get("/offices").text
    second = post(client, "/offices/appoint", {"body": "test-panel", "office": "Speaker",
                                               "member": deputy, "holds_from": str(MONDAY)})
    assert second.status_code == 409
    assert "holds the office of Speaker" in second.text
    bad = post(client, "/offices/appoint", {"body": "test-panel", "office": "emperor",
                                            "member": deputy, "holds_from": str(MONDAY)})
    assert bad.status_code == 400
    assert "office" in bad.text
    with Session(world.engine) as s:
        holding = s.exec(select(OfficeHolding).where(OfficeHolding.member_id == deputy)).one()
    ended = post(client, f"/offices/{holding.id}/end", {"last_day": str(MONDAY)})
    assert ended.status_code == 302
    with Session(world.engine) as s:
        assert s.get(OfficeHolding, holding.id).holds_until == MONDAY


def test_the_executive_committee_is_elected_and_its_count_published(world, client_for):
    clerk = client_for("clerk")
    candidates = sorted(world.roster.values())
    called = post(clerk, "/offices/committee", {
        "body": "test-panel", "candidates": " ".join(candidates), "seats": "2",
        "seed": "announced", "title": "Executive Committee 2027",
        "opens_at": _local(world.now - timedelta(hours=1)),
        "closes_at": _local(world.now + timedelta(hours=1)),
    })
    assert called.status_code == 302, called.text
    member = client_for("member")
    page = member.get("/me/offices")
    assert "Executive Committee 2027" in page.text
    assert 'name="choice"' in page.text
    election = int(page.text.split('action="/me/committee/')[1].split('"')[0])
    voted = post(member, f"/me/committee/{election}", {"choice": [candidates[1], candidates[0]]})
    assert voted.status_code == 302, voted.text
    again = post(member, f"/me/committee/{election}", {"choice": candidates[2]})
    assert again.status_code == 409
    early = post(clerk, f"/offices/committee/{election}/count")
    assert early.status_code == 409
    later = create_app(world.engine, scheduler=False,
                       clock=lambda: world.now + timedelta(hours=2),
                       config=Settings(vote_rate=10_000, login_rate=10_000))
    admin = TestClient(later)
    sign_in(admin, "administrator")
    counted = post(admin, f"/offices/committee/{election}/count")
    assert counted.status_code == 302, counted.text
    assert counted.headers["location"].startswith("/elections/")
    result = admin.get(counted.headers["location"])
    assert "Executive Committee 2027" in result.text
    with Session(world.engine) as s:
        seated = s.exec(select(OfficeHolding.member_id).where(
            OfficeHolding.office == "Executive Committee")).all()
    assert len(seated) == 2
