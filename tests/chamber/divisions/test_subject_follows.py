"""Following a subject (issue 21, notifications): a member of the public names some words and
is told when a division whose question has them all opens (once, even if they also follow the
division); they list and stop following what they follow; on both databases."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text

from chamber.db import perform, read
from chamber.divisions.follows import (
    MOST_SUBJECTS,
    follow_division,
    follow_subject,
    follows_of,
    matches,
    unfollow_subject,
)
from chamber.divisions.lifecycle import create_division, open_division
from chamber.errors import Invalid, Refused
from chamber.notices.services import notices_for
from tests.chamber.conftest import public_account


def _division(world, question: str, minutes: int = 0) -> int:
    sitting = next(s for s in world.sittings() if not s.urgent_only)
    opens = sitting.starts_at + timedelta(minutes=minutes)
    return perform(world.engine, create_division, question, ["content", "not content"], opens,
                   opens + timedelta(minutes=30), sitting_id=sitting.id, now=world.now)


def _open(world, division: int) -> None:
    sitting = next(s for s in world.sittings() if not s.urgent_only)
    assert perform(world.engine, open_division, division, sitting.ends_at - timedelta(hours=1))


def test_followers_of_a_subject_are_told_when_a_matching_division_opens(world):
    engine = world.engine
    ann = public_account(engine, "ann", "a long password", world.now).id
    bob = public_account(engine, "bob", "a long password", world.now).id
    cat = public_account(engine, "cat", "a long password", world.now).id
    assert perform(engine, follow_subject, ann, "Climate  BUDGETS", world.now) == "climate budgets"
    perform(engine, follow_subject, ann, "climate budgets", world.now)  # again: no change
    perform(engine, follow_subject, bob, "rivers", world.now)
    perform(engine, follow_subject, cat, "budget", world.now)
    division = _division(world, "That the budget for the climate be approved")
    perform(engine, follow_division, cat, division, world.now)
    assert read(engine, matches, division, "climate budgets")
    assert not read(engine, matches, division, "rivers")
    _open(world, division)
    [told] = read(engine, notices_for, ann)
    assert told.subject == "A division on “climate budgets” is open"
    assert "'That the budget for the climate be approved' is open until" in told.text
    assert "You follow the subject “climate budgets”." in told.text
    assert told.link == f"/divisions/{division}"
    assert read(engine, notices_for, bob) == []
    [once] = read(engine, notices_for, cat)  # follows the division and a subject it has
    assert once.subject == "A division you follow is open"


def test_follows_are_listed_and_each_is_stopped_by_its_follower_alone(world):
    engine = world.engine
    ann = public_account(engine, "ann", "a long password", world.now).id
    bob = public_account(engine, "bob", "a long password", world.now).id
    perform(engine, follow_subject, ann, '"clean rivers"', world.now)
    perform(engine, follow_subject, ann, "budget", world.now)
    division = _division(world, "That clean rivers be funded")
    perform(engine, follow_division, ann, division, world.now)
    mine = read(engine, follows_of, ann)
    assert [s.words for s in mine.subjects] == ["budget", '"clean rivers"']  # newest first
    assert [(d.id, d.status) for d in mine.divisions] == [(division, "scheduled")]
    rivers = mine.subjects[1].id
    perform(engine, unfollow_subject, bob, rivers)  # not bob's: nothing happens
    assert len(read(engine, follows_of, ann).subjects) == 2
    perform(engine, unfollow_subject, ann, rivers)
    assert [s.words for s in read(engine, follows_of, ann).subjects] == ["budget"]
    assert read(engine, follows_of, bob).subjects == ()
    other = _division(world, "That clean rivers be measured", minutes=40)
    _open(world, other)
    assert read(engine, notices_for, ann) == []  # no longer follows the subject


def test_stored_words_that_no_longer_read_as_a_search_do_not_stop_the_opening(world):
    engine = world.engine
    ann = public_account(engine, "ann", "a long password", world.now).id
    with engine.begin() as conn:  # as if the common words had changed since it was stored
        conn.execute(text("INSERT INTO subjectfollow (account_id, words, created_at) VALUES "
                          "(:a, 'the', :t)"), {"a": ann, "t": world.now})
    perform(engine, follow_subject, ann, "budget", world.now)
    division = _division(world, "That the budget be approved")
    _open(world, division)
    assert [n.subject for n in read(engine, notices_for, ann)] == [
        "A division on “budget” is open"]


def test_a_subject_needs_a_word_and_there_is_a_most(world):
    engine = world.engine
    ann = public_account(engine, "ann", "a long password", world.now).id
    with pytest.raises(Invalid, match=r"^words: "):
        perform(engine, follow_subject, ann, '" * AND', world.now)
    for n in range(MOST_SUBJECTS):
        perform(engine, follow_subject, ann, f"topic{n}", world.now)
    with pytest.raises(Refused, match="the most one account may"):
        perform(engine, follow_subject, ann, "one more", world.now)
