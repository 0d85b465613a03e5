"""Hypothesis strategies for random elections."""

from __future__ import annotations

from hypothesis import strategies as st

from electoral.ballots import ProfileBuilder


@st.composite
def elections(draw, min_cand: int = 2, max_cand: int = 7, max_ballots: int = 40):
    """(candidates, seats, ballots) with ballots as (weight, strict ranking) pairs."""
    n = draw(st.integers(min_cand, max_cand))
    seats = draw(st.integers(1, n - 1))
    ranking = st.permutations(range(n)).flatmap(
        lambda p: st.integers(1, len(p)).map(lambda k: tuple(p[:k]))
    )
    ballots = draw(
        st.lists(st.tuples(st.integers(1, 6), ranking), min_size=1, max_size=max_ballots)
    )
    return [chr(ord("A") + i) for i in range(n)], seats, ballots


def build(candidates, ballots, seats=None):
    b = ProfileBuilder(candidates)
    for weight, ranking in ballots:
        b.add(weight, [(c,) for c in ranking])
    return b.build(seats=seats)
