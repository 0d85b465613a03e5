"""A refused form comes back as its own page with the message beside the field (or at the top of
the form), what was typed filled in again, and the refusal's status; without a Referer from the
site, the error page as before."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from tests.web.conftest import post
from web.formagain import beside, field_named

FORM = ('<main><h1>Page</h1><form method="post" action="/x"><input type="hidden" '
        'name="_csrf_token" value="t"><label for="a">A</label><input id="a" name="seats">'
        '<input name="password" type="password"><textarea name="notes">old</textarea>'
        '<select name="rule"><option value="a" selected>A</option><option value="b">B'
        '</option></select><button>Go</button></form></main>')


def test_the_message_goes_beside_the_field_it_names_with_what_was_typed():
    page = beside(FORM, "/x", "seats 'abc' is not a whole number",
                  {"seats": "abc", "password": "secret", "notes": "new <b>", "rule": "b",
                   "_csrf_token": "forged"})
    assert re.search(r'role="alert"[^>]*>seats &#x27;abc&#x27; is not a whole number</p>'
                     r'<input id="a" name="seats" value="abc" aria-invalid="true"', page)
    assert 'value="abc"' in page
    assert "secret" not in page
    assert "forged" not in page
    assert "new &lt;b&gt;</textarea>" in page
    assert '<option value="b" selected>' in page
    assert '<option value="a">' in page


def test_a_message_naming_no_field_goes_at_the_top_of_the_form_or_the_page():
    page = beside(FORM, "/x", "the ballot is closed", {})
    assert '<form method="post" action="/x"><p class="field-error"' in page
    other = beside(FORM, "/elsewhere", "the ballot is closed", {})
    assert other.startswith('<main><p class="field-error"')


@given(st.text(max_size=40))
def test_whatever_is_typed_is_escaped(typed):
    page = beside(FORM, "/x", "notes: " + typed, {"seats": typed, "notes": typed})
    assert page.count("<input") == FORM.count("<input")
    assert page.count("<textarea") == 1
    assert page.count("</textarea>") == 1


def test_field_named_prefers_the_field_a_message_starts_with():
    assert field_named("rule: not known; seats fine", ["seats", "rule"]) == "rule"
    assert field_named("nothing here", ["seats"]) is None
    assert field_named("the closes_at time", ["opens_at", "closes_at"]) == "closes_at"


def test_a_clerks_refused_division_comes_back_on_the_clerk_page(client_for, world):
    clerk = client_for("clerk")
    r = post(clerk, "/clerk/divisions",
             {"sitting": str(world.sitting), "question": "Shall we sit late?",
              "options": "content\nnot content", "opens_at": "2027-01-02T10:00",
              "closes_at": "2027-01-02T09:00"},
             headers={"referer": "http://testserver.local/clerk"})
    assert r.status_code == 400, r.text
    assert "<h1>Sorry</h1>" not in r.text
    assert 'class="field-error" role="alert"' in r.text
    assert 'value="Shall we sit late?"' in r.text  # what was typed
    assert 'action="/clerk/divisions"' in r.text
    plain = post(clerk, "/clerk/divisions", {"sitting": str(world.sitting), "question": "Q",
                                             "options": "a\nb", "opens_at": "x",
                                             "closes_at": "y"})
    assert plain.status_code == 400
    assert "Sorry" in plain.text


def test_a_form_refused_again_goes_back_to_the_first_page_and_never_elsewhere(
    client_for, world
):
    clerk = client_for("clerk")
    form = {"sitting": str(world.sitting), "question": "Again?", "options": "a\nb",
            "opens_at": "2027-01-02T10:00", "closes_at": "2027-01-02T09:00"}
    first = post(clerk, "/clerk/divisions", form,
                 headers={"referer": "http://testserver.local/clerk"})
    assert 'name="_back" value="/clerk"' in first.text
    again = post(clerk, "/clerk/divisions", {**form, "_back": "/clerk"},
                 headers={"referer": "http://testserver.local/clerk/divisions"})
    assert again.status_code == 400
    assert 'class="field-error"' in again.text
    for elsewhere in ("//example.org/x", "https://example.org/", ""):
        out = post(clerk, "/clerk/divisions", {**form, "_back": elsewhere},
                   headers={"referer": "http://testserver.local/clerk/divisions"})
        assert out.status_code == 400
        assert "<h1>Sorry</h1>" in out.text
