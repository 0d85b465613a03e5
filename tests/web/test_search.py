"""/search and /api/search find debates, speeches and divisions (the reason for a bad query
beside its field, a 400); a member of the public follows a subject from a search, is told when
a matching division opens, and stops on /me/follows; anyone signed in sets on /me/account where
their notices are e-mailed (issue 21)."""

from __future__ import annotations

from sqlmodel import select

from chamber.accounts.models import Account
from chamber.db import perform, read
from chamber.divisions.follows import follows_of
from chamber.divisions.lifecycle import open_division
from chamber.notices.services import notify_members
from chamber.outbox.services import unsent
from tests.web.conftest import post


def test_search_finds_marks_and_links(world, client_for):
    client = client_for("anonymous")
    assert client.get("/search").status_code == 200
    page = client.get("/search", params={"q": "budgets"})
    assert page.status_code == 200
    assert "<mark>Budget</mark>" in page.text
    assert f'href="/divisions/{world.division}"' in page.text
    assert f'href="/sittings/{world.sitting}#debate-' in page.text
    assert "Sign in</a> to follow this subject" in page.text
    only = client.get("/search", params={"q": "budget", "kind": "debate"}).text
    assert f'href="/divisions/{world.division}"' not in only
    api = client.get("/api/search", params={"q": "budget", "kind": "division"}).json()
    assert api["total"] == 1
    assert api["hits"][0]["link"] == f"/divisions/{world.division}"
    assert {"text": "Budget", "matched": True} in api["hits"][0]["snippet"]


def test_a_bad_query_is_a_400_beside_its_field(client_for):
    client = client_for("anonymous")
    for params, field in (({"q": ""}, "q"), ({"q": '"*'}, "q"), ({"q": "AND"}, "q"),
                          ({"q": "budget", "kind": "nonsense"}, "kind"),
                          ({"q": "budget", "page": "0"}, "page")):
        page = client.get("/search", params=params)
        assert page.status_code == 400, params
        assert 'role="alert" id="sq-error"' in page.text
        assert f"{field}: " in page.text
        api = client.get("/api/search", params=params)
        assert api.status_code == 400
        assert field in api.json()["error"]
    assert client.get("/search", params={"q": "budget", "page": "x"}).status_code == 400
    script = client.get("/search", params={"q": "<script>budget</script>"})
    assert "<script>budget" not in script.text  # escaped wherever it is shown


def test_following_a_subject_from_a_search(world, client_for):
    client = client_for("public")
    page = client.get("/search", params={"q": "approved budget"}).text
    assert "Follow this subject" in page
    answer = post(client, "/me/follows/subjects", {"words": "budget approved"})
    assert answer.headers["location"] == "/me/follows?saved=followed"
    follows = client.get("/me/follows?saved=followed").text
    assert "You follow the subject" in follows
    assert "budget approved" in follows
    assert "You follow this subject" in client.get("/search", params={"q": "budget approved"}).text
    assert post(client, "/me/follows/subjects", {"words": "*"}).status_code == 400
    perform(world.engine, open_division, world.division, world.now)
    assert "A division on “budget approved” is open" in client.get("/").text
    subject = next(s for s in read(world.engine, _follows, "public").subjects)
    post(client, f"/me/follows/subjects/{subject.id}/unfollow")
    assert "budget approved" not in client.get("/me/follows").text


def _follows(session, username):
    account = session.exec(select(Account).where(Account.username == username)).one()
    return follows_of(session, account.id)


def test_the_account_page_keeps_an_address_and_the_choice(world, client_for):
    client = client_for("member")
    page = client.get("/me/account").text
    assert "E-mail me my notices" in page
    bad = post(client, "/me/account", {"email": "not an address", "notices": "on"})
    assert bad.status_code == 400
    assert 'id="ce-error"' in bad.text
    assert "email: " in bad.text
    assert 'value="not an address"' in bad.text  # what was typed is kept
    saved = post(client, "/me/account", {"email": "member@example.org"})  # box unticked
    assert saved.headers["location"] == "/me/account?saved=contact"
    page = client.get("/me/account").text
    assert 'value="member@example.org"' in page
    assert 'id="cn" name="notices" type="checkbox">' in page  # not checked
    perform(world.engine, notify_members, [world.member], "Your rota", "Out.", "/me/rota",
            world.now)
    assert "member@example.org" not in {m.to_address for m in read(world.engine, unsent)}
    post(client, "/me/account", {"email": "member@example.org", "notices": "on"})
    assert 'type="checkbox" checked' in client.get("/me/account").text
    perform(world.engine, notify_members, [world.member], "Your rota", "Out.", "/me/rota",
            world.now)
    [mail] = [m for m in read(world.engine, unsent) if m.to_address == "member@example.org"]
    assert (mail.subject, mail.link) == ("Your rota", "/me/rota")
