"""The rules of business: who may speak, and when business may be planned."""

from __future__ import annotations

from datetime import date, datetime

from chamber.business.rules import may_plan, may_speak, month_before

ROSTER = {"S001": "alice", "S002": "bob"}


def test_an_unrostered_member_may_speak_only_when_invited_for_a_listed_reason():
    assert not may_speak("carol", "S001", ROSTER, None).allowed
    assert may_speak("carol", "S001", ROSTER, "a committee meeting").allowed
    assert "may not vote" in may_speak("carol", "S001", ROSTER, "business on the agenda").reason
    assert not may_speak("carol", "S001", ROSTER, "a favour").allowed


def test_business_is_planned_a_month_ahead_and_urgent_items_go_only_to_saturday_afternoons():
    sitting = datetime(2027, 3, 31, 8)
    assert month_before(sitting.date()) == date(2027, 2, 28)
    assert may_plan(date(2027, 2, 28), sitting, urgent=False, saturday_afternoon=False).allowed
    late = may_plan(date(2027, 3, 1), sitting, urgent=False, saturday_afternoon=False)
    assert "had to be planned by 2027-02-28" in late.reason
    assert not may_plan(date(2027, 3, 30), sitting, urgent=True, saturday_afternoon=False).allowed
    assert may_plan(date(2027, 3, 30), sitting, urgent=True, saturday_afternoon=True).allowed
    assert not may_plan(date(2027, 1, 1), sitting, urgent=False, saturday_afternoon=True).allowed
