"""The seats' pages: a seat shows its route, its sharers and how each came to be there, linked
to the counts and route results; the shares' filled report with every stored step; a stored
route step published like a count (its inputs and result to download)."""

from __future__ import annotations

from datetime import timedelta

from chamber.db import perform
from chamber.membership.models import Member
from chamber.routes.places import Chosen, seat_people, share


def _seat_one(session, world):
    cat, seats = share(session, "test-panel", "citizens")
    people = [Chosen("Dana Route", "citizens", "elected", "North", "elected by STV in North",
                     world.election, world.route)]
    leaving = session.get(Member, "S002-1")  # leaves after a day, freeing a place
    leaving.serves_until = leaving.serves_from
    return seat_people(session, "test-panel", cat, seats[2:], people, "local",
                       leaving.serves_from + timedelta(days=1), "test")


def test_a_seat_page_shows_each_sharer_and_how_they_came(world, client_for):
    perform(world.engine, _seat_one, world)
    client = client_for("anonymous")
    page = client.get("/seats/S002?body=test-panel")
    assert page.status_code == 200
    assert "Dana Route" in page.text
    assert f'href="/elections/{world.election}"' in page.text
    assert f'href="/routes/{world.route}"' in page.text
    assert "no route recorded" in page.text  # the panel's other sharers
    step = client.get(f"/routes/{world.route}")
    assert "Dana Route" in step.text
    assert 'href="/seats/S002?body=test-panel"' in step.text
    assert f'href="/elections/{world.election}"' in step.text  # the count that elected her


def test_bad_seats_and_bodies_are_refused_clearly(client_for):
    client = client_for("anonymous")
    assert client.get("/seats/S999?body=test-panel").status_code == 404
    bad = client.get("/seats/S000?body=BAD!")
    assert bad.status_code == 400
    assert "body" in bad.text
    assert client.get("/seats?body=" + "a" * 65).status_code == 400
    assert client.get("/seats?body=nowhere").status_code == 404
    assert client.get("/routes/999999").status_code == 404
    assert client.get("/routes/99999999999999999999/inputs").status_code in (400, 404)


def test_the_shares_page_reports_places_filled_by_route_and_every_step(world, client_for):
    page = client_for("anonymous").get("/seats?body=test-panel")
    assert page.status_code == 200
    assert "not filled by these routes" in page.text
    assert 'href="/seats/S000?body=test-panel"' in page.text  # the share's first seat
    steps = page.text.split('id="steps"')[1]
    assert f'href="/routes/{world.route}"' in steps
    assert "Test districts" in steps
    assert f'href="/routes/{world.route}/result.json"' in steps


def test_a_route_step_is_published_with_its_inputs_and_result(world, client_for):
    client = client_for("anonymous")
    page = client.get(f"/routes/{world.route}")
    assert "Test districts" in page.text
    assert "North" in page.text
    download = client.get(f"/routes/{world.route}/inputs")
    assert download.text.startswith("district,population")
    assert "districts.csv" in download.headers["content-disposition"]
    result = client.get(f"/routes/{world.route}/result.json")
    assert result.json() == {"units": {"North": {"places": 6, "seats": []}}}
    assert f"route-{world.route}.json" in result.headers["content-disposition"]
