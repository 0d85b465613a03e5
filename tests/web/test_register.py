"""Registering on the site against the electoral register: ask for a code, claim with it,
return to the division and vote; the answers never tell who is on the register, a proxy is
named by code and naming one reveals no handle; usernames ignore case; the administrators'
register page."""

from __future__ import annotations

import html
import re

from chamber.db import perform
from chamber.register.claims import export_letters
from tests.chamber.conftest import proxy_code
from tests.web.conftest import PASSWORD, csrf, post

STEP1 = {"postcode": "AB1 2CD", "born": "1980-03-01"}


def _alert(text: str) -> str:
    found = re.search(r'<p role="alert"[^>]*>(.*?)</p>', text, re.S)
    return html.unescape(found.group(1).strip()) if found else ""


def _code(world, number):
    rows = perform(world.engine, export_letters, world.now)
    return next(r.code for r in rows if r.elector_number == number)


def test_register_with_a_code_then_vote_in_the_division(world, client_for):
    client = client_for("anonymous")
    back = f"/divisions/{world.division}"
    assert f'href="/register?next={back}"' in client.get(back).text
    page = client.get(f"/register?next={back}")
    assert 'name="next" value="' + back in page.text
    asked = post(client, "/register/code", {"elector": "E3", **STEP1, "next": back})
    assert asked.status_code in (302, 303)
    assert "a code is on its way" in client.get(asked.headers["location"]).text
    form = {"elector": "E3", "code": _code(world, "E3"), "username": "Citizen0003",
            "password": PASSWORD, "confirm": PASSWORD, "next": back}
    made = post(client, "/register", form)
    assert (made.status_code, made.headers["location"]) == (302, back), made.text[-500:]
    assert "Signed in as citizen0003 (public)" in client.get(back).text
    vote = post(client, f"{back}/vote", {"option": "content"})
    assert vote.status_code == 200
    assert 'id="receipt"' in vote.text
    again = post(client_for("anonymous"), "/register", form)  # the code works once
    assert again.status_code == 409
    assert "do not match a code" in _alert(again.text)
    other = client_for("anonymous")  # and the username signs in in any case
    signed = post(other, "/login", {"username": "CITIZEN0003", "password": PASSWORD})
    assert signed.status_code == 302


def test_asking_for_a_code_answers_the_same_whoever_is_named(world, client_for):
    answers = set()
    for details in (
        {"elector": "E4", **STEP1},                        # on the register: a code is sent
        {"elector": "E4", **STEP1, "postcode": "EH1 1AA"},  # the wrong postcode
        {"elector": "E99", **STEP1},                       # nobody
        {"elector": "E1", **STEP1},                        # already has an account
    ):
        client = client_for("anonymous")
        response = post(client, "/register/code", details)
        page = client.get(response.headers["location"]).text.replace(csrf(client), "")
        answers.add((response.status_code, response.headers["location"], page))
    assert len(answers) == 1
    assert [r.elector_number for r in perform(world.engine, export_letters, world.now)] == ["E4"]
    bad = post(client_for("anonymous"), "/register/code", {"elector": "E4", **STEP1,
                                                           "born": "someday"})
    assert bad.status_code == 400
    assert _alert(bad.text).startswith("born:")


def test_claiming_reveals_nothing_until_the_code_is_right(world, client_for):
    client = client_for("anonymous")
    post(client, "/register/code", {"elector": "E5", **STEP1})
    code = _code(world, "E5")
    base = {"password": PASSWORD, "confirm": PASSWORD}
    wrong = [
        post(client, "/register", {**base, "elector": e, "code": c, "username": u})
        for e, c, u in (("E99", code, "newname"), ("E6", code, "newname"),
                        ("E5", "AAAAA-AAAAA", "newname"), ("E5", "AAAAA-AAAAA", "PUBLIC"))
    ]
    assert {(r.status_code, _alert(r.text)) for r in wrong} == {
        (409, _alert(wrong[0].text))}
    assert "do not match" in _alert(wrong[0].text)
    taken = post(client, "/register", {**base, "elector": "E5", "code": code,
                                       "username": "PUBLIC"})
    assert taken.status_code == 409
    assert "'public' is taken" in _alert(taken.text)
    short = post(client, "/register", {**base, "elector": "E5", "code": code, "username": "a"})
    assert short.status_code == 400
    assert _alert(short.text).startswith("username: 3 to 64")
    assert 'value="E5"' in short.text
    assert PASSWORD not in short.text
    differ = post(client, "/register", {**base, "confirm": "something else", "elector": "E5",
                                        "code": code, "username": "eve"})
    assert _alert(differ.text).startswith("confirm:")


def test_the_api_names_a_proxy_by_code_and_never_reveals_handles(world, client_for):
    client = client_for("public")
    headers = {"x-csrftoken": csrf(client)}
    friend = proxy_code(world.engine, "friend")
    mine = client.get("/api/proxy").json()["my_code"]
    assert mine == proxy_code(world.engine, "public")
    put = client.put("/api/proxy", json={"proxy_code": friend.lower()}, headers=headers)
    assert put.status_code == 200
    assert put.json()["proxy_code"] == friend
    answers = []
    for name in ("friend", "nobody"):  # a registered handle and an unregistered one
        refused = client.put("/api/proxy", json={"proxy_code": name}, headers=headers)
        answers.append((refused.status_code, refused.json()["error"].replace(name, "NAME")))
    assert answers[0] == answers[1]
    assert answers[0][0] == 404
    assert client.put("/api/proxy", json={"proxy": "friend"}, headers=headers).status_code == 400
    assert client.delete("/api/proxy", headers=headers).json()["proxy_code"] is None


def test_an_administrator_imports_the_register_and_downloads_letters(world, client_for):
    client = client_for("administrator")
    assert "electors on the register" in client.get("/admin/register").text
    bad = client.post(
        "/admin/register", data={"_csrf_token": csrf(client)},
        files={"register": ("reg.csv", b"elector_number,name,postcode,year_of_birth\n"
                            b"E1,Ann,nowhere,1980\n", "text/csv")},
    )
    assert bad.status_code == 400
    assert "line 2, postcode" in bad.text
    csv = "elector_number,name,postcode,date_of_birth\n" + "".join(
        f"E{n},Elector E{n},AB1 2CD,1980-03-01\n" for n in range(1, 10))
    dry = client.post(
        "/admin/register", data={"_csrf_token": csrf(client), "dry_run": "on"},
        files={"register": ("reg.csv", csv.encode(), "text/csv")},
    )
    assert dry.status_code in (200, 201)
    assert "A dry run (nothing stored)" in dry.text
    post(client_for("anonymous"), "/register/code", {"elector": "E7", **STEP1})
    letters = post(client, "/admin/register/letters")
    assert letters.headers["content-type"].startswith("text/csv")
    lines = letters.text.splitlines()
    assert lines[0] == "elector_number,name,postcode,code,valid_until"
    assert any(line.startswith("E7,Elector E7,AB1 2CD,") for line in lines[1:])
    assert post(client, "/admin/register/letters").text.splitlines()[1:] == []
