"""Proxies: chains carry to the first direct voter, a direct vote overrides, a division's proxy
overrides the general one, cycles and revocations carry nothing, the cap; a proxy is named by
their proxy code, so naming one reveals no handle; on both databases."""

from __future__ import annotations

import pytest

from chamber.db import perform
from chamber.divisions.proxies import appoint_proxy, my_proxy, revoke_proxy
from chamber.divisions.results import LargeProxy
from chamber.divisions.views import delegation_status
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
    assert perform(engine, delegation_status, "e", division).why_not == "a cycle of proxies"
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
