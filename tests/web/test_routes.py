"""Every route for every role (the authorization matrix), and what each page does, with
Litestar's test client."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.web.conftest import ROLES, csrf, post

CALTON = Path(__file__).parents[2] / "electoral" / "samples" / "glasgow_2007_calton.blt"
EVERYONE = set(ROLES)
SIGNED_IN = EVERYONE - {"anonymous"}
STAFF = {"clerk", "administrator"}


def matrix(world):
    """For every route of the app, (method, path as the app declares it) -> (a concrete path,
    the form posted, the roles allowed).  `test_the_matrix_covers_every_route` checks it against
    ``app.routes``, so a new route without a row fails."""
    d, closed, s, e, draw = world.division, world.closed, world.sitting, world.election, world.draw
    member_token = world.calendar_token
    rows = {
        ("GET", "/"): ("/", None, EVERYONE),
        ("GET", "/sittings"): ("/sittings", None, EVERYONE),
        ("GET", "/sittings/{sitting_id:int}"): (f"/sittings/{s}", None, EVERYONE),
        ("GET", "/divisions"): ("/divisions", None, EVERYONE),
        ("GET", "/divisions/{division_id:int}"): (f"/divisions/{d}", None, EVERYONE),
        ("GET", "/divisions/{division_id:int}/live"): (f"/divisions/{d}/live", None, EVERYONE),
        ("POST", "/divisions/{division_id:int}/follow"): (
            f"/divisions/{d}/follow", {"action": "unfollow"}, {"public"}),
        ("GET", "/divisions/{division_id:int}/votes.csv"): (
            f"/divisions/{d}/votes.csv", None, EVERYONE),
        ("GET", "/records"): ("/records?q=budget", None, EVERYONE),
        ("GET", "/members/{member_id:str}"): (f"/members/{world.member}", None, EVERYONE),
        ("GET", "/help"): ("/help", None, EVERYONE),
        ("GET", "/published"): ("/published?q=Calton&kind=count", None, EVERYONE),
        ("GET", "/receipts"): ("/receipts", None, EVERYONE),
        ("GET", "/audit"): ("/audit", None, EVERYONE),
        ("GET", "/api/audit/checkpoints"): ("/api/audit/checkpoints", None, EVERYONE),
        ("GET", "/login"): ("/login", None, EVERYONE),
        ("POST", "/login"): ("/login", {"username": "nobody", "password": "x"}, EVERYONE),
        ("POST", "/logout"): ("/logout", {}, EVERYONE),
        ("GET", "/register"): ("/register", None, EVERYONE),
        ("POST", "/register"): ("/register", {"username": ""}, EVERYONE),
        ("POST", "/register/code"): (
            "/register/code", {"elector": "E9", "postcode": "ZZ9 9ZZ", "born": "1980"}, EVERYONE),
        ("GET", "/elections/{election_id:int}"): (f"/elections/{e}", None, EVERYONE),
        ("GET", "/elections/{election_id:int}/result.json"): (
            f"/elections/{e}/result.json", None, EVERYONE),
        ("GET", "/elections/{election_id:int}/{name:str}"): (
            f"/elections/{e}/stages.csv", None, EVERYONE),
        ("POST", "/elections/{election_id:int}/verify"): (
            f"/elections/{e}/verify", {}, EVERYONE),
        ("GET", "/draws/{draw_id:int}"): (f"/draws/{draw}", None, EVERYONE),
        ("GET", "/draws/{draw_id:int}/record.json"): (
            f"/draws/{draw}/record.json", None, EVERYONE),
        ("GET", "/calendar/{file:str}"): (f"/calendar/{member_token}.ics", None, EVERYONE),
        ("POST", "/divisions/{division_id:int}/vote"): (
            f"/divisions/{d}/vote", {"option": "content"}, {"public"}),
        ("POST", "/divisions/{division_id:int}/member-vote"): (
            f"/divisions/{d}/member-vote", {"option": "content"}, {"member"}),
        ("GET", "/proxy"): ("/proxy", None, {"public"}),
        ("POST", "/proxy"): ("/proxy", {"proxy_code": "ZZZZ-ZZZZ"}, {"public"}),
        ("GET", "/me/rota"): ("/me/rota", None, {"member"}),
        ("POST", "/me/swaps"): ("/me/swaps", {"with_member": "nobody"}, {"member"}),
        ("POST", "/me/swaps/{request_id:int}"): ("/me/swaps/999", {"answer": "decline"},
                                                 {"member"}),
        ("GET", "/clerk"): ("/clerk", None, STAFF),
        ("POST", "/clerk/business"): ("/clerk/business", {"sitting": str(s), "title": "x"}, STAFF),
        ("POST", "/clerk/divisions"): ("/clerk/divisions", {"sitting": str(s)}, STAFF),
        ("POST", "/clerk/divisions/{division_id:int}/open"): (
            f"/clerk/divisions/{closed}/open", {}, STAFF),
        ("GET", "/clerk/divisions/{division_id:int}/close"): (
            f"/clerk/divisions/{closed}/close", None, STAFF),
        ("POST", "/clerk/divisions/{division_id:int}/close"): (
            f"/clerk/divisions/{closed}/close", {}, STAFF),
        ("POST", "/clerk/business/{item_id:int}/title"): (
            "/clerk/business/999/title", {"title": "x"}, STAFF),
        ("POST", "/clerk/business/{item_id:int}/withdraw"): (
            "/clerk/business/999/withdraw", {}, STAFF),
        ("POST", "/clerk/attendance"): (
            "/clerk/attendance", {"sitting": str(s), "member": "nobody"}, STAFF),
        ("POST", "/clerk/alerts/{alert_id:int}/resolve"): ("/clerk/alerts/999/resolve", {}, STAFF),
        ("GET", "/speaker"): ("/speaker", None, {"member"}),
        ("POST", "/speaker/invitations"): (
            "/speaker/invitations",
            {"sitting": str(s), "member": "nobody", "reason": "a committee meeting"},
            {"member"},
        ),
        ("POST", "/me/swaps/{request_id:int}/withdraw"): ("/me/swaps/999/withdraw", {},
                                                          {"member"}),
        ("POST", "/speaker/chair"): ("/speaker/chair", {"sitting": str(s), "chair": "nobody"},
                                     {"member"}),
        ("GET", "/whip"): ("/whip", None, {"member"}),
        ("POST", "/whip/pins"): ("/whip/pins", {"member": "nobody", "sitting": str(s)},
                                 {"member"}),
        ("POST", "/whip/pins/{pin_id:int}/remove"): ("/whip/pins/999/remove", {}, {"member"}),
        ("POST", "/whip/swaps/{request_id:int}"): ("/whip/swaps/999", {"answer": "decline"},
                                                   {"member"}),
        ("POST", "/whip/unavailability"): (
            "/whip/unavailability", {"member": "nobody", "day": "2027-04-05",
                                     "session": "morning"}, {"member"}),
        ("GET", "/assembly"): ("/assembly", None, {"member"}),
        ("POST", "/assembly/{assembly_id:int}/delegates"): (
            "/assembly/999/delegates", {"place": f"{s}/S000", "member": "nobody"}, {"member"}),
        ("GET", "/me/offices"): ("/me/offices", None, {"member"}),
        ("POST", "/me/committee/{election_id:int}"): ("/me/committee/999", {"choice": "x"},
                                                      {"member"}),
        ("GET", "/offices"): ("/offices", None, STAFF),
        ("POST", "/offices/appoint"): (
            "/offices/appoint", {"body": "test-panel", "office": "whip", "member": "nobody",
                                 "holds_from": "2027-03-01"}, STAFF),
        ("POST", "/offices/{holding_id:int}/end"): ("/offices/999/end",
                                                    {"last_day": "2027-03-01"}, STAFF),
        ("POST", "/offices/assemblies"): ("/offices/assemblies", {"body": "nobody"}, STAFF),
        ("POST", "/offices/committee"): ("/offices/committee", {"body": "test-panel"}, STAFF),
        ("POST", "/offices/committee/{election_id:int}/count"): (
            "/offices/committee/999/count", {}, STAFF),
        ("GET", "/admin"): ("/admin", None, {"administrator"}),
        ("POST", "/admin/counts"): ("/admin/counts", {"seed": "x"}, {"administrator"}),
        ("POST", "/admin/draws"): ("/admin/draws", {"seed": "x"}, {"administrator"}),
        ("GET", "/admin/register"): ("/admin/register", None, {"administrator"}),
        ("POST", "/admin/register"): ("/admin/register", {}, {"administrator"}),
        ("POST", "/admin/register/letters"): ("/admin/register/letters", {}, {"administrator"}),
        ("POST", "/api/session"): ("/api/session", {}, EVERYONE),
        ("DELETE", "/api/session"): ("/api/session", None, EVERYONE),
        ("GET", "/api/divisions"): ("/api/divisions", None, EVERYONE),
        ("GET", "/api/divisions/{division_id:int}"): (f"/api/divisions/{d}", None, EVERYONE),
        ("POST", "/api/divisions/{division_id:int}/votes"): (
            f"/api/divisions/{d}/votes", {}, {"public"}),
        ("GET", "/api/divisions/{division_id:int}/my-delegation"): (
            f"/api/divisions/{d}/my-delegation", None, {"public"}),
        ("GET", "/api/receipts/{token:str}"): ("/api/receipts/none", None, EVERYONE),
        ("GET", "/api/proxy"): ("/api/proxy", None, {"public"}),
        ("PUT", "/api/proxy"): ("/api/proxy", {}, {"public"}),
        ("DELETE", "/api/proxy"): ("/api/proxy", None, {"public"}),
        ("GET", "/api/sittings"): ("/api/sittings", None, EVERYONE),
        ("GET", "/api/sittings/{sitting_id:int}"): (f"/api/sittings/{s}", None, EVERYONE),
        ("GET", "/api/me/rota"): ("/api/me/rota", None, {"member"}),
        ("GET", "/api/elections/{election_id:int}"): (f"/api/elections/{e}", None, EVERYONE),
        ("GET", "/api/draws/{draw_id:int}"): (f"/api/draws/{draw}", None, EVERYONE),
        ("GET", "/static/{file_path:path}"): ("/static/style.css", None, EVERYONE),
        ("GET", "/favicon.ico"): ("/favicon.ico", None, EVERYONE),
        ("GET", "/seats"): ("/seats?body=test-panel", None, EVERYONE),
        ("GET", "/seats/{code:str}"): ("/seats/S000?body=test-panel", None, EVERYONE),
        ("GET", "/routes/{result_id:int}"): (f"/routes/{world.route}", None, EVERYONE),
        ("GET", "/routes/{result_id:int}/inputs"): (
            f"/routes/{world.route}/inputs", None, EVERYONE),
        ("GET", "/routes/{result_id:int}/result.json"): (
            f"/routes/{world.route}/result.json", None, EVERYONE),
        ("POST", "/routes/{result_id:int}/verify"): (
            f"/routes/{world.route}/verify", {}, EVERYONE),
        ("GET", "/admin/routes"): ("/admin/routes", None, {"administrator"}),
        ("GET", "/volunteer/{key:str}"): ("/volunteer/national", None, {"public"}),
        ("POST", "/volunteer/{key:str}"): ("/volunteer/national", {"name": "x"}, {"public"}),
        ("GET", "/me/volunteering"): ("/me/volunteering", None, {"public", "member"}),
        ("POST", "/me/volunteering/{entry_id:int}/withdraw"): (
            "/me/volunteering/999/withdraw", {}, {"public", "member"}),
        ("POST", "/me/invitations/{invitation_id:int}"): (
            "/me/invitations/999", {"answer": "decline"}, {"public", "member"}),
        ("GET", "/admin/jury/{key:str}"): ("/admin/jury/national", None, {"administrator"}),
        ("POST", "/admin/jury/{key:str}/pool"): ("/admin/jury/national/pool", {}, {
            "administrator"}),
        ("POST", "/admin/jury/{key:str}/seed"): (
            "/admin/jury/national/seed", {"month": "2027-05", "seed": "s"}, {"administrator"}),
        ("POST", "/admin/jury/{key:str}/draw"): (
            "/admin/jury/national/draw", {"month": "2027-05", "seed": "s"}, {"administrator"}),
        ("POST", "/admin/jury/{key:str}/invitations/{invitation_id:int}"): (
            "/admin/jury/national/invitations/999", {"answer": "accept"}, {"administrator"}),
        ("GET", "/admin/jury/{key:str}/letters.csv"): (
            "/admin/jury/national/letters.csv", None, {"administrator"}),
        ("GET", "/jury/{key:str}/ballots/{ballot_id:int}"): (
            "/jury/national/ballots/999", None, EVERYONE),
        ("POST", "/jury/{key:str}/ballots/{ballot_id:int}"): (
            "/jury/national/ballots/999", {"ranking": "1 2"}, {"member"}),
        ("GET", "/jury/{key:str}/experts"): ("/jury/national/experts", None, EVERYONE),
        ("GET", "/jury/{key:str}/experts/ballots/{ballot_id:int}"): (
            "/jury/national/experts/ballots/999", None, EVERYONE),
        ("POST", "/jury/{key:str}/experts/ballots/{ballot_id:int}"): (
            "/jury/national/experts/ballots/999", {"ranking": "1 2"}, {"member"}),
        ("POST", "/jury/{key:str}/experts/peers/{question_id:int}"): (
            "/jury/national/experts/peers/999", {"answer": "yes"}, {"member"}),
        ("GET", "/admin/jury/{key:str}/experts"): (
            "/admin/jury/national/experts", None, {"administrator"}),
        ("POST", "/admin/jury/{key:str}/experts/ballots"): (
            "/admin/jury/national/experts/ballots",
            {"field": "Health", "serves_from": "2027-06-01"}, {"administrator"}),
        ("POST", "/admin/jury/{key:str}/experts/nominations"): (
            "/admin/jury/national/experts/nominations", {"field": "Health", "name": "x"},
            {"administrator"}),
        ("POST", "/admin/jury/{key:str}/experts/ballots/{ballot_id:int}/count"): (
            "/admin/jury/national/experts/ballots/999/count", {"seed": "s"}, {"administrator"}),
        ("POST", "/admin/jury/{key:str}/experts/crossbench"): (
            "/admin/jury/national/experts/crossbench", {}, {"administrator"}),
        ("POST", "/admin/jury/{key:str}/experts/peers"): (
            "/admin/jury/national/experts/peers", {}, {"administrator"}),
        ("POST", "/admin/jury/{key:str}/experts/peers/{question_id:int}/decide"): (
            "/admin/jury/national/experts/peers/999/decide", {"serves_from": "2027-06-01"},
            {"administrator"}),
        ("GET", "/panels"): ("/panels", None, EVERYONE),
        ("GET", "/panels/{key:str}"): ("/panels/local-health-panel", None, EVERYONE),
        ("GET", "/admin/panels/{key:str}"): (
            "/admin/panels/local-health-panel", None, {"administrator"}),
        ("POST", "/admin/panels/{key:str}/remit"): (
            "/admin/panels/local-health-panel/remit", {"question": "q"}, {"administrator"}),
        ("POST", "/admin/panels/{key:str}/meetings"): (
            "/admin/panels/local-health-panel/meetings", {"venue": "v"}, {"administrator"}),
        ("POST", "/admin/panels/{key:str}/schedule"): (
            "/admin/panels/local-health-panel/schedule", {"venue": "v"}, {"administrator"}),
        ("POST", "/admin/panels/{key:str}/outputs"): (
            "/admin/panels/local-health-panel/outputs", {"kind": "amendment"},
            {"administrator"}),
        ("POST", "/admin/panels/{key:str}/public-votes"): (
            "/admin/panels/local-health-panel/public-votes", {}, {"administrator"}),
        ("GET", "/draws/{draw_id:int}/pool.csv"): (f"/draws/{draw}/pool.csv", None, EVERYONE),
        ("GET", "/draws/{draw_id:int}/quotas.csv"): (
            f"/draws/{draw}/quotas.csv", None, EVERYONE),
        ("GET", "/search"): ("/search?q=budget", None, EVERYONE),
        ("GET", "/api/search"): ("/api/search?q=budget", None, EVERYONE),
        ("GET", "/me/follows"): ("/me/follows", None, {"public"}),
        ("POST", "/me/follows/subjects"): ("/me/follows/subjects", {"words": "budget"},
                                           {"public"}),
        ("POST", "/me/follows/subjects/{follow_id:int}/unfollow"): (
            "/me/follows/subjects/999/unfollow", {}, {"public"}),
        ("POST", "/me/follows/divisions/{division_id:int}/unfollow"): (
            f"/me/follows/divisions/{d}/unfollow", {}, {"public"}),
        ("GET", "/me/account"): ("/me/account", None, SIGNED_IN),
        ("POST", "/me/account"): ("/me/account", {"email": "", "notices": "on"}, SIGNED_IN),
    }
    for step in ("party-vote", "delegation", "divide", "elect", "youth-parliament",
                 "organisations", "group"):
        rows[("POST", f"/admin/routes/{step}")] = (
            f"/admin/routes/{step}", {"seed": "x"}, {"administrator"})
    for path in ("/schema", "/schema/openapi.json"):
        rows[("GET", path)] = (path, None, EVERYONE)
    rows[("GET", "/schema/{path:str}")] = ("/schema/nothing", None, EVERYONE)  # Litestar's 404
    return rows


def routes(world):
    """(method, concrete path, data, roles allowed) for every route of the site and the API."""
    return [(method, path, data, allowed)
            for (method, _), (path, data, allowed) in matrix(world).items()]


def test_the_matrix_covers_every_route(app, world):
    declared = {
        (method, route.path)
        for route in app.routes
        for method in getattr(route, "methods", ())
        if method not in ("OPTIONS", "HEAD")
    }
    rows = set(matrix(world))
    assert declared - rows == set(), "routes without a row in the authorization matrix"
    assert rows - declared == set(), "rows for routes the app does not have"


def _send(client, method, path, data):
    if method == "GET":
        return client.get(path, follow_redirects=False)
    if path.startswith("/api/"):
        return client.request(
            method, path, json=data, headers={"x-csrftoken": csrf(client)},
            follow_redirects=False,
        )
    return post(client, path, data)


@pytest.mark.parametrize("role", ROLES)
def test_the_authorization_matrix(world, client_for, role):
    client = client_for(role)
    checked = 0
    for method, path, data, allowed in routes(world):
        response = _send(client, method, path, data)
        refused = response.status_code in (401, 403) or (
            response.status_code in (302, 303)
            and response.headers.get("location", "").startswith("/login")
        )
        assert refused == (role not in allowed), (role, method, path, response.status_code)
        assert response.status_code < 500, (role, method, path, response.text[:300])
        checked += 1
        if path in ("/logout", "/api/session") and method in ("POST", "DELETE"):
            client = client_for(role)  # signing out (or in as nobody) ends the session
    assert checked == len(routes(world))
