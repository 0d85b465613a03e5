"""Typed requests: a form field or JSON field of the wrong kind, out of range or too long is a
400 that names the field, never a 500, and nothing is stored."""

from __future__ import annotations

import pytest
from sqlmodel import Session, func, select

from chamber.business.models import BusinessItem
from tests.web.conftest import csrf, post


@pytest.mark.parametrize("value", ["²", "9" * 5000, "-3", "0", "x", ""])
def test_a_bad_number_in_a_form_is_a_400_naming_the_field(world, client_for, value):
    client = client_for("clerk")
    with Session(world.engine) as s:
        before = s.exec(select(func.count()).select_from(BusinessItem)).one()
    response = post(client, "/clerk/business", {"sitting": value, "title": "A bill"})
    assert response.status_code == 400, response.text[:300]
    assert "sitting" in response.text
    with Session(world.engine) as s:
        assert s.exec(select(func.count()).select_from(BusinessItem)).one() == before


def test_a_bad_choice_in_a_form_is_a_400_naming_the_field(world, client_for):
    client = client_for("member")
    response = post(client, "/me/swaps/1", {"answer": "perhaps"})
    assert response.status_code == 400
    assert "answer" in response.text
    response = post(client_for("public"), "/proxy", {"proxy": "friend", "division": "²"})
    assert response.status_code == 400
    assert "division" in response.text


def test_an_idempotency_key_longer_than_128_characters_is_refused(world, client_for):
    client = client_for("public")
    response = post(client, f"/divisions/{world.division}/vote",
                    {"option": "content", "idempotency_key": "k" * 129})
    assert response.status_code == 400
    assert "idempotency_key" in response.text


@pytest.mark.parametrize(
    "body",
    [{"option": 5}, {"option": "content", "idempotency_key": "k" * 200}, {}, []],
)
def test_a_bad_json_body_is_a_400_naming_the_field(world, client_for, body):
    client = client_for("public")
    response = client.post(
        f"/api/divisions/{world.division}/votes", json=body, headers={"x-csrftoken": csrf(client)}
    )
    assert response.status_code == 400, response.text
    assert response.json()["error"].startswith("The request was not understood")


def test_the_same_idempotency_key_with_another_choice_is_a_409(world, client_for):
    client = client_for("public")
    url = f"/api/divisions/{world.division}/votes"
    headers = {"x-csrftoken": csrf(client)}
    first = client.post(url, json={"option": "content", "idempotency_key": "try-1"},
                        headers=headers)
    assert first.status_code == 201, first.text
    again = client.post(url, json={"option": "content", "idempotency_key": "try-1"},
                        headers=headers)
    assert again.json()["receipt"] == first.json()["receipt"]
    other = client.post(url, json={"option": "not content", "idempotency_key": "try-1"},
                        headers=headers)
    assert other.status_code == 409
    assert "already used for 'content'" in other.json()["error"]


@pytest.mark.parametrize(
    "when", ["9999-12-31T23:59", "0001-01-01T00:00", "2027-02-30T10:00", "2027-03-01T25:00"]
)
def test_an_impossible_or_out_of_range_time_is_a_400_naming_the_field(world, client_for, when):
    client = client_for("clerk")
    response = post(client, "/clerk/divisions", {
        "sitting": world.sitting, "question": "Q?", "options": "a\nb",
        "opens_at": when, "closes_at": "2027-03-01T11:00",
    })
    assert response.status_code == 400, response.text[:300]
    assert "opening time" in response.text


@pytest.mark.parametrize("week", ["9999-12-31", "0001-01-01", "2027-13-01", "²"])
def test_a_week_out_of_range_is_a_400(world, client_for, week):
    for path in ("/sittings", "/api/sittings"):
        response = client_for("public").get(path, params={"week": week})
        assert response.status_code == 400, (path, response.text[:300])
