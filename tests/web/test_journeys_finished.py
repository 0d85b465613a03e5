"""Journeys finished (issue 21): a voter sees their own vote and a receipt naming the question
in London time; staff are not asked to sign in to vote; a member is offered the vote form only
when rostered; a clerk lists, retitles and withdraws planned business and confirms a close."""

from __future__ import annotations

import re
from datetime import timedelta

from tests.web.conftest import post


def test_a_voter_sees_their_choice_on_the_receipt_and_the_division(world, client_for):
    client = client_for("public")
    receipt = post(client, f"/divisions/{world.division}/vote", {"option": "not content"})
    assert receipt.status_code == 200
    assert "You voted <strong>not content</strong> on: That the Budget be approved" in receipt.text
    token = re.search(r'<code id="receipt">([^<]+)</code>', receipt.text)
    assert token is not None
    page = client.get(f"/divisions/{world.division}").text
    assert 'Your vote: <strong>not content</strong>' in page
    checked = client.get(f"/receipts?receipt={token.group(1)}").text
    assert "That the Budget be approved</a>" in checked
    assert re.search(r"recorded \w+ \d+ \w+ \d{4}|recorded [^.]*(GMT|BST)", checked), checked


def test_staff_are_not_asked_to_sign_in_to_vote(world, client_for):
    page = client_for("clerk").get(f"/divisions/{world.division}").text
    assert "Sign in</a> or" not in page
    assert "staff accounts do not vote" in page


def test_a_member_is_offered_the_form_only_when_they_may_vote(world, client_for):
    page = client_for("member").get(f"/divisions/{world.division}").text
    assert "Your vote as a member" in page
    assert ('name="option" id="member-option"' in page) != ("You cannot vote in this division"
                                                           in page)
    closed = client_for("member").get(f"/divisions/{world.closed}").text
    assert 'id="member-option"' not in closed


def test_a_clerk_plans_retitles_and_withdraws_business(world, client_for):
    clerk = client_for("clerk")
    page = clerk.get("/clerk").text
    options = re.findall(r'<select id="b-sitting" name="sitting">(.*?)</select>', page, re.S)
    assert options
    last = [number for number, label in re.findall(r'<option value="(\d+)">([^<]*)</option>',
                                                   options[0])
            if "urgent only" not in label][-1]  # the furthest sitting open to ordinary business
    planned = post(clerk, "/clerk/business", {"sitting": last, "title": "The Estimates"})
    assert planned.status_code in (302, 303), planned.text
    page = clerk.get(planned.headers["location"]).text
    assert "The item of business is planned." in page
    item = re.search(r'action="/clerk/business/(\d+)/title"[^>]*>.*?value="The Estimates"', page,
                     re.S)
    assert item is not None
    number = item.group(1)
    assert post(clerk, f"/clerk/business/{number}/title", {"title": " "}).status_code == 400
    post(clerk, f"/clerk/business/{number}/title", {"title": "The Main Estimates"})
    page = clerk.get("/clerk?done=retitled").text
    assert "The Main Estimates" in page
    post(clerk, f"/clerk/business/{number}/withdraw", {})
    page = clerk.get("/clerk?done=withdrawn").text
    assert "The Main Estimates" not in page
    assert "is withdrawn" in page
    again = post(clerk, f"/clerk/business/{number}/withdraw", {})
    assert again.status_code == 404


def test_business_whose_sitting_has_begun_stands(world, client_for):
    clerk = client_for("clerk")
    page = clerk.get("/clerk").text
    assert "The Budget" in page  # planned into the sitting now under way
    row = page[page.index("The Budget"):]
    assert row.split("</tr>")[0].endswith("stands</td>")


def test_closing_asks_first_and_says_it_is_final(world, client_for):
    page = client_for("clerk").get(f"/clerk/divisions/{world.division}/close").text
    assert "Closing is final." in page
    assert f'action="/clerk/divisions/{world.division}/close"' in page
    done = client_for("clerk").get(f"/clerk/divisions/{world.closed}/close").text
    assert "It is already closed" in done


def test_the_record_is_findable_by_words(world, client_for):
    client = client_for("anonymous")
    everything = client.get("/records").text
    assert f'href="/elections/{world.election}"' in everything
    assert f'href="/draws/{world.draw}"' in everything
    budget = client.get("/records?q=BUDGET approved").text
    assert "That the Budget be approved" in budget
    assert "That the minutes be agreed" not in budget
    assert f'href="/elections/{world.election}"' not in budget
    none = client.get("/records?q=nothing-like-this").text
    assert "0 records with" in none
    assert 'href="/help"' in client.get("/").text
    assert 'href="/records"' in client.get("/help").text


def test_divisions_filter_by_words_and_dates_and_download_the_members_votes(world, client_for):
    client = client_for("anonymous")
    found = client.get("/divisions?q=budget").text
    assert "That the Budget be approved" in found
    assert "That the minutes be agreed" not in found
    assert "1 division found." in found
    assert "0 divisions found." in client.get("/divisions?q=100%").text  # % is a character
    day = world.now.date()
    dated = client.get(f"/divisions?since={day - timedelta(days=400)}&until={day}").text
    assert "That the minutes be agreed" in dated
    assert "0 divisions found." in client.get("/divisions?since=2001-01-01&until=2001-01-02").text
    bad = client.get("/divisions?since=1066-10-14")
    assert bad.status_code == 400
    assert "since" in bad.text
    assert client.get("/divisions?until=31-12-2027").status_code == 400
    votes = client.get(f"/divisions/{world.division}/votes.csv")
    assert votes.status_code == 200
    assert votes.text.splitlines()[0] == "seat,member,name,group,vote"
    assert "attachment" in votes.headers["content-disposition"]


def test_a_members_record_shows_their_seat_votes_and_sittings(world, client_for):
    client = client_for("anonymous")
    page = client.get(f"/members/{world.member}")
    assert page.status_code == 200
    assert f"Member {world.member}." in page.text
    assert "Sittings on the published rota" in page.text
    assert client.get("/members/nobody").status_code == 404
    assert client.get("/members/..%2Fetc").status_code in (400, 404)


def test_divisions_filter_by_the_body_that_sat(world, client_for):
    client = client_for("anonymous")
    found = client.get("/divisions?body=test-panel")
    assert found.status_code == 200
    assert f'href="/divisions/{world.division}"' in found.text
    bad = client.get("/divisions?body=nowhere")
    assert bad.status_code == 400
    assert "body: &#39;nowhere&#39; is not one of" in bad.text or "body: 'nowhere'" in bad.text
