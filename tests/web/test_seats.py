"""The seats' pages: a seat shows its route, its sharers and how each came to be there, linked
to the counts and route results; the shares' filled report with every stored step; a stored
route step published like a count (its inputs and result to download)."""

from __future__ import annotations

from datetime import date, timedelta

from chamber.bodies.builtin import NATIONAL
from chamber.bodies.services import install_body
from chamber.db import perform, read
from chamber.membership.models import Member
from chamber.routes.places import Chosen, seat_people, share
from chamber.routes.views import filled
from tests.chamber.routes.conftest import VOTES, submission
from tests.chamber.routes.test_youth_organisations import BALLOTS, ORGS
from tests.web.conftest import csrf
from tests.web.test_routes import CALTON


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


def _install(session):
    return install_body(session, NATIONAL, date(2027, 1, 4))


def _upload(client, step, data, files):
    return client.post(f"/admin/routes/{step}", data={**data, "_csrf_token": csrf(client)},
                       files=files, follow_redirects=False)


def _agrees(client, location):
    checked = client.post(location + "/verify", data={"_csrf_token": csrf(client)})
    assert checked.status_code == 200
    assert "the step agrees with what was published" in checked.text


def test_an_administrator_fills_seats_through_the_routes_on_the_site(world, client_for):
    perform(world.engine, _install)
    admin = client_for("administrator")
    assert "Fill the seats through their routes" in admin.get("/admin/routes").text
    entered = _upload(admin, "party-vote", {"entered": VOTES, "held_on": "2026-11-05",
                                            "seed": "s"}, None)
    assert entered.status_code == 302, entered.text
    allocation = admin.get(entered.headers["location"])
    assert "General election of 05 November 2026" in allocation.text
    parties = allocation.text.split('id="parties"')[1].split("</table>")[0]
    assert "Purple" in parties
    assert "needs more than 1" in parties  # why it won no seat
    assert admin.get(entered.headers["location"] + "/inputs").text == VOTES
    _agrees(admin, entered.headers["location"])
    one_file = _upload(admin, "delegation", {"party": "Green", "seed": "s"},
                       {"files": ("nominated.csv", "name\nAnn Other\n", "text/csv")})
    assert one_file.status_code == 409, one_file.text
    assert "breaks the rule" in one_file.text
    files = [("files", (n, t, "text/plain")) for n, t in submission(24).items()]
    green = admin.post("/admin/routes/delegation", data={
        "party": "Green", "seed": "s", "_csrf_token": csrf(admin)}, files=files,
        follow_redirects=False)
    assert green.status_code == 302, green.text
    delegated = admin.get(green.headers["location"]).text
    assert "Green: delegation of 24 places" in delegated
    assert "nominated 6, indirect 6, members 6, constituency 6" in delegated
    assert 'href="/elections/' in delegated  # its members' ballot and primaries
    divided = _upload(admin, "divide", {"route": "local", "places": "24", "seed": "s"}, {
        "table": ("d.csv", "district,population\nCalton,81000\nRest,567000\n", "text/csv")})
    assert divided.status_code == 302, divided.text
    assert "<th scope=\"row\">Calton</th><td>3</td>" in admin.get(
        divided.headers["location"]).text
    _agrees(admin, divided.headers["location"])
    counted = _upload(admin, "elect", {"route": "local", "unit": "Calton", "seed": "s"},
                      {"ballots": (CALTON.name, CALTON.read_bytes(), "text/plain")})
    assert counted.status_code == 302, counted.text
    assert counted.headers["location"].startswith("/elections/")
    seat = client_for("anonymous").get("/seats/S100")  # the first local seat, national
    assert "George Redmond (Lab)" in seat.text
    assert f'href="{counted.headers["location"]}"' in seat.text
    young = "name,elected,left\nAda Young,2025-02-01,\n"
    seated = _upload(admin, "youth-parliament", {},
                     {"members": ("ukyp.csv", young, "text/csv")})
    assert seated.status_code == 302, seated.text
    ballot = _upload(admin, "organisations", {"seed": "s"}, {
        "orgs": ("orgs.csv", ORGS, "text/csv"), "ballots": ("b.csv", BALLOTS, "text/csv")})
    assert ballot.status_code == 302, ballot.text
    organisations = admin.get(ballot.headers["location"]).text.split('id="organisations"')[1]
    _agrees(client_for("anonymous"), ballot.headers["location"])
    red = organisations.split("Red Party")[1].split("</tr>")[0]
    assert "party" in red  # may not stand, and why
    assert "Ramblers" in organisations
    names = "name\n" + "".join(f"Walker {k}\n" for k in range(24))
    group = _upload(admin, "group", {"organisation": "Ramblers"},
                    {"names": ("g.csv", names, "text/csv")})
    assert group.status_code == 302, group.text
    ineligible = _upload(admin, "group", {"organisation": "Red Party"},
                         {"names": ("g.csv", names, "text/csv")})
    assert ineligible.status_code == 409
    assert "may not stand" in ineligible.text
    shares = {s.key: s for s in read(world.engine, filled, "national", date(2027, 1, 4)).shares}
    assert (shares["party"].routed, shares["local"].routed, shares["youth"].routed,
            shares["organisations"].routed) == (24, 3, 1, 24)


def test_the_sites_route_forms_refuse_bad_input_naming_the_field(world, client_for):
    admin = client_for("administrator")
    no_vote = _upload(admin, "party-vote", {"held_on": "2026-11-05", "seed": "s"}, None)
    assert no_vote.status_code == 400
    assert "votes" in no_vote.text
    bad_day = _upload(admin, "party-vote", {"held_on": "5 Nov", "seed": "s", "entered": VOTES},
                      None)
    assert bad_day.status_code == 400
    assert "held_on" in bad_day.text
    past = "name,elected,left\nOld Hand,2018-02-01,2020-01-31\n"
    refused = _upload(admin, "youth-parliament", {"serves_from": "2027-01-04"},
                      {"members": ("old.csv", past, "text/csv")})
    assert refused.status_code == 409
    assert "one term" in refused.text
    places = _upload(admin, "divide", {"route": "faith", "places": "0", "seed": "s"},
                     {"table": ("f.csv", "partnership,members\nA,5\n", "text/csv")})
    assert places.status_code == 400
    assert "places" in places.text
    bad_start = _upload(admin, "elect", {"route": "local", "unit": "Calton", "seed": "s",
                                         "serves_from": "2027-02-30"},
                        {"ballots": (CALTON.name, CALTON.read_bytes(), "text/plain")})
    assert bad_start.status_code == 400
    assert "serves_from" in bad_start.text
    no_files = _upload(admin, "delegation", {"party": "Red", "seed": "s"}, None)
    assert no_files.status_code == 400


def test_a_counts_ballots_are_downloadable_as_counted(world, client_for):
    client = client_for("anonymous")
    page = client.get(f"/elections/{world.election}")
    assert f'href="/elections/{world.election}/ballots"' in page.text
    ballots = client.get(f"/elections/{world.election}/ballots")
    assert ballots.status_code == 200
    assert ballots.text == CALTON.read_text()
    assert "glasgow_2007_calton.blt" in ballots.headers["content-disposition"]


def test_a_step_whose_stored_result_was_altered_fails_its_re_run(world, client_for):
    client = client_for("anonymous")
    checked = client.post(f"/routes/{world.route}/verify", data={"_csrf_token": csrf(client)})
    assert checked.status_code == 200
    assert "The re-run differs" in checked.text  # the test step was stored without its working
