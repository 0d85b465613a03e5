"""Proxies: chains carry to the first direct voter, a direct vote overrides, a division's proxy
overrides the general one, cycles and revocations carry nothing, the cap; a proxy is named by
their proxy code, so naming one reveals no handle; on both databases."""

from __future__ import annotations

import pytest

from chamber.db import perform
from chamber.divisions.proxies import appoint_proxy, my_proxy, revoke_proxy
from chamber.divisions.proxy_views import proxy_load, proxy_page
from chamber.divisions.results import LargeProxy
from chamber.divisions.views import delegation_status
from chamber.divisions.voters import voter_number
from chamber.errors import Invalid, NotFound, Refused
from tests.chamber.conftest import appoint, close, proxy_code, public_vote


def test_proxies_carry_to_the_first_direct_voter_and_a_direct_vote_overrides(
    engine, division, voters, t
):
    appoint(engine, "a", "b", t(0))
    appoint(engine, "b", "c", t(0))
    appoint(engine, "d", "c", t(0), division_id=division)
    appoint(engine, "e", "f", t(0))
    appoint(engine, "f", "e", t(0))  # a cycle adds nothing
    appoint(engine, "g", "c", t(0))
    assert perform(engine, my_proxy, "a", t(1)) == proxy_code(engine, "b")
    public_vote(engine, division, "c", "content", t(5))
    public_vote(engine, division, "g", "not content", t(6))  # overrides g's proxy
    result = close(engine, division, t(200))
    assert result.public_votes == (4, 1)  # c with a, b, d; and g
    assert result.proxy_votes_in_cycles == 2
    assert result.largest_proxies == (LargeProxy("c", 3),)
    status = perform(engine, delegation_status, "a", division)
    assert status.delegated_to == proxy_code(engine, "b")  # codes, never handles
    assert status.counted_through == proxy_code(engine, "c")
    assert status.counted is True
    assert perform(engine, delegation_status, "e", division).why_not == (
        "your proxies form a cycle, so none of them carries your vote"
    )
    assert perform(engine, delegation_status, "g", division).voted_directly is True


def test_a_division_proxy_overrides_the_general_one(engine, division, voters, t):
    appoint(engine, "a", "b", t(0))
    appoint(engine, "a", "c", t(0), division_id=division)
    public_vote(engine, division, "b", "content", t(1))
    public_vote(engine, division, "c", "not content", t(1))
    assert close(engine, division, t(200)).public_votes == (1, 2)


def test_proxy_refusals(engine, division, voters, t):
    with pytest.raises(Invalid, match="own proxy"):
        appoint(engine, "a", "a", t(0))
    with pytest.raises(NotFound, match="no proxy to revoke"):
        perform(engine, revoke_proxy, "a", t(0))
    with pytest.raises(NotFound, match="no voter has the proxy code"):
        perform(engine, appoint_proxy, "a", "ZZZZ-ZZZZ", t(0))
    close(engine, division, t(200))
    with pytest.raises(Refused, match="closed"):
        appoint(engine, "a", "b", t(201), division_id=division)


def test_the_proxy_cap_refuses_the_highest_voter_numbers(engine, division, voters, t):
    for name in "abd":
        appoint(engine, name, "c", t(0))
    public_vote(engine, division, "c", "content", t(1))
    result = close(engine, division, t(200), cap=2)
    assert result.public_votes == (3, 0)
    assert result.proxy_votes_refused_over_cap == 1
    assert perform(engine, delegation_status, "d", division).refused_over_cap is True
    assert perform(engine, delegation_status, "a", division).counted is True


def test_a_revoked_proxy_carries_nothing(engine, division, voters, t):
    appoint(engine, "a", "b", t(0))
    perform(engine, revoke_proxy, "a", t(1))
    public_vote(engine, division, "b", "content", t(2))
    assert close(engine, division, t(200)).public_votes == (1, 0)


def test_a_proxy_is_named_by_code_and_handles_reveal_nothing(engine, division, voters, t):
    code = proxy_code(engine, "b")
    assert len(code) == 9
    assert code[4] == "-"
    assert len({proxy_code(engine, n) for n in "abcdefg"}) == 7
    # typed in lower case, without the dash, with O for 0: still b's code
    typed = code.replace("-", "").lower().replace("0", "o")
    perform(engine, appoint_proxy, "a", typed, t(0))
    assert perform(engine, my_proxy, "a", t(1)) == code
    # a handle, registered or not, names nobody: the answer is the same either way
    answers = []
    for name in ("b", "nobody"):
        with pytest.raises(NotFound) as refused:
            perform(engine, appoint_proxy, "c", name, t(0))
        answers.append(str(refused.value).replace(repr(name), "NAME"))
    assert answers[0] == answers[1]


def test_before_close_a_voter_is_told_their_proxy_is_over_the_cap(engine, division, voters, t):
    """The cap as it stands: three voters appoint c generally, one more for this division
    only; with a cap of 2 the voters with the highest numbers are told now that their vote
    will not be carried, and c's own page counts its general appointments."""
    for name in "abd":
        appoint(engine, name, "c", t(0))
    appoint(engine, "e", "c", t(0), division_id=division)
    public_vote(engine, division, "c", "content", t(1))
    page = perform(engine, proxy_page, "d", t(2), 2)
    assert page.general is not None
    assert (page.general.load.carries, page.general.load.place) == (3, 3)
    assert page.general.load.mine_refused
    first = perform(engine, proxy_page, "a", t(2), 2)
    assert first.general is not None
    assert not first.general.load.mine_refused
    own = perform(engine, proxy_page, "c", t(2), 2)
    assert (own.carrying.carries, own.carrying.over) == (3, True)
    for_one = perform(engine, proxy_page, "e", t(2), 2)
    assert for_one.general is None
    [mine] = for_one.for_divisions
    assert (mine.division, mine.load.carries, mine.load.place) == (division, 4, 4)
    assert perform(engine, delegation_status, "d", division, cap=2).refused_over_cap
    assert not perform(engine, delegation_status, "a", division, cap=2).refused_over_cap
    assert not perform(engine, delegation_status, "d", division, cap=10).refused_over_cap
    close(engine, division, t(200), cap=2)
    assert perform(engine, delegation_status, "d", division).refused_over_cap
    assert perform(engine, proxy_page, "e", t(201), 2).for_divisions == ()  # closed: not shown


def test_a_proxy_for_a_division_overrides_the_general_one_in_its_load(
    engine, division, voters, t
):
    appoint(engine, "a", "c", t(0))
    appoint(engine, "a", "b", t(0), division_id=division)  # a's vote goes to b here
    page = perform(engine, proxy_page, "b", t(1), 5)
    assert page.carrying.carries == 0  # b is nobody's general proxy
    c = perform(engine, voter_number, "c")
    load = perform(engine, proxy_load, c, t(1), 5, division_id=division)
    assert load.carries == 0  # a's general proxy to c is overridden in this division
