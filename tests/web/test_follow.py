"""A member of the public follows a division and is told on the site when it opens (issue 21,
notifications); following is theirs alone, and a closed division cannot be followed."""

from __future__ import annotations

from chamber.db import perform
from chamber.divisions.lifecycle import open_division
from tests.web.conftest import post


def test_a_follower_is_told_when_the_division_opens(world, client_for):
    client = client_for("public")
    page = client.get(f"/divisions/{world.division}").text
    assert "Tell me when it opens" in page
    answer = post(client, f"/divisions/{world.division}/follow", {"action": "follow"})
    assert answer.headers["location"] == f"/divisions/{world.division}?followed=follow"
    page = client.get(answer.headers["location"]).text
    assert "You will be told on the site when this division opens." in page
    assert "Stop following" in page
    assert post(client, f"/divisions/{world.division}/follow", {"action": "follow"}).status_code \
        in (302, 303)  # again: no change
    assert perform(world.engine, open_division, world.division, world.now)
    home = client.get("/").text
    assert "A division you follow is open" in home
    assert home.count("A division you follow is open") == 1  # told once, however often followed
    assert "A division you follow is open" not in client_for("friend").get("/").text
    refused = post(client, f"/divisions/{world.closed}/follow", {"action": "follow"})
    assert refused.status_code == 409
    assert "closed" in refused.text
    bad = post(client, f"/divisions/{world.division}/follow", {"action": "shout"})
    assert bad.status_code == 400
