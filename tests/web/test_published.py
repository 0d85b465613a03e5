"""/published: the public page of every count, draw and route step with its downloads; a bad
kind is a 400 naming the field."""

from __future__ import annotations


def test_anyone_finds_a_count_and_its_downloads(world, client_for):
    page = client_for("anonymous").get("/published?q=Calton")
    assert page.status_code == 200
    assert f'href="/elections/{world.election}/ballots"' in page.text
    assert f'href="/draws/{world.draw}"' not in page.text  # the words keep only the count
    everything = client_for("anonymous").get("/published").text
    assert f'href="/draws/{world.draw}/record.json"' in everything
    assert f'href="/routes/{world.route}/inputs"' in everything
    assert 'href="/published"' in everything  # the footer links it from every page


def test_a_bad_kind_or_page_is_refused_naming_the_field(client_for):
    client = client_for("anonymous")
    bad = client.get("/published?kind=votes")
    assert bad.status_code == 400
    assert "kind" in bad.text
    assert client.get("/published?page=0").status_code == 400
