"""Public votes on PostgreSQL: a group of votes in two round trips on the driver's pipeline
(psycopg), with statements whose text does not depend on the group's size (so each is prepared
once per connection), in the caller's transaction."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session

from chamber.db import int_array, text_array
from chamber.divisions.ballots import (
    Ballot,
    Known,
    decide,
    division_of,
    private_of,
    usable_keys,
)
from chamber.divisions.state import DIVISION_LOCK
from chamber.divisions.voters import PERSON_LOCK, cached_voters, remember_voter
from chamber.errors import ChamberError

# Every statement of a vote goes by an index, and so must the foreign-key checks of its rows
# (a submission's division and voter, a current vote's submission).  Those checks' plans are
# made once per connection from the statistics of the moment: taken while the tables of
# votes were empty (a division just opened), they would scan the whole table of submissions
# for every vote stored, ever slower as it grows.  So a vote's transaction never plans a
# sequential scan.
INDEXED = "SET LOCAL enable_seqscan = off"
# First the locks, then the reads (each statement of the pipeline sees what committed before
# it ran, so the reads see everything a lock waited for) ...
LOCKS = (
    "SELECT (SELECT count(pg_advisory_xact_lock(%(pc)s, p)) FROM unnest(%(people)s::integer[]) p),"
    " (SELECT count(pg_advisory_xact_lock_shared(%(dc)s, d))"
    " FROM unnest(%(divisions)s::integer[]) d)"
)
DIVISIONS = (
    "SELECT d.id, d.status, d.options, d.opens_at, d.closes_at, r.public_votes FROM division d"
    " LEFT JOIN sitting s ON s.id = d.sitting_id"
    " LEFT JOIN panelremit r ON r.body_key = s.body_key"
    " WHERE d.id = ANY(%(divisions)s::integer[])"
)
# Each (division, voter) pair's latest submission number, by one descent of the unique index
# of current votes each.  (Written as two "= ANY" arrays, the plan a connection settled on
# could walk every current vote of the division: 2.4 ms a group against 0.04 ms, growing with
# the division, on one of the two writers' connections of the web benchmark.)
NUMBERS = (
    "SELECT v.division_id, v.voter_id, s.number"
    " FROM unnest(%(pair_divisions)s::integer[], %(pair_people)s::integer[]) AS k(d, p)"
    " CROSS JOIN LATERAL (SELECT division_id, voter_id, submission_id FROM publicvote"
    " WHERE division_id = k.d AND voter_id = k.p LIMIT 1) v"
    " JOIN publicsubmission s ON s.id = v.submission_id"
)
GRAPH = (
    "SELECT voter_id, proxy_id FROM proxy"
    " WHERE voter_id = ANY(%(people)s::integer[]) OR proxy_id = ANY(%(people)s::integer[])"
)
# A retried vote's first submission, looked up by (division, voter, key) for each ballot with a
# key: one descent of the unique index each.  (Written as three "= ANY" arrays, PostgreSQL 15
# probed that index for every combination of their elements, 15 x 15 for a group of 15 votes,
# and the look-up took up to 3.5 ms a group.)
KEYS = (
    "SELECT s.division_id, s.voter_id, s.idempotency_key, s.receipt, s.option"
    " FROM unnest(%(key_divisions)s::integer[], %(key_people)s::integer[],"
    " %(keys)s::varchar[]) AS k(d, v, key)"
    " CROSS JOIN LATERAL (SELECT division_id, voter_id, idempotency_key, receipt, option"
    " FROM publicsubmission WHERE division_id = k.d AND voter_id = k.v"
    " AND idempotency_key = k.key LIMIT 1) s"
)
# ... then the submissions in arrival order (ids follow it) and the last submission of each
# voter in the group as their current vote.  Every array goes as the text of the array, made
# by `chamber.db.int_array` and `text_array` (psycopg dumps a list element by element).
STORE = """
    WITH new AS (
        INSERT INTO publicsubmission
            (division_id, voter_id, option, number, receipt, idempotency_key, at, mac)
        SELECT d, v, o, n, r, k, t, m FROM unnest(
            %(division)s::integer[], %(voter)s::integer[], %(option)s::integer[],
            %(number)s::integer[], %(receipt)s::varchar[], %(key)s::varchar[],
            %(at)s::timestamptz[], %(mac)s::varchar[]
        ) WITH ORDINALITY AS u(d, v, o, n, r, k, t, m, i)
        ORDER BY i
        RETURNING id, division_id, voter_id, option, number
    )
    INSERT INTO publicvote (division_id, voter_id, option, submission_id, in_graph)
    SELECT DISTINCT ON (division_id, voter_id)
        division_id, voter_id, option, id, voter_id = ANY(%(graph)s::integer[])
    FROM new
    ORDER BY division_id, voter_id, number DESC
    ON CONFLICT (division_id, voter_id) DO UPDATE SET
        option = excluded.option,
        submission_id = excluded.submission_id,
        in_graph = publicvote.in_graph OR excluded.in_graph
"""


def cast(
    session: Session, ballots: Sequence[Ballot], receipt_key: bytes, audit_key: bytes
) -> list[str | ChamberError]:
    """`public_votes.cast_public_votes` on PostgreSQL."""
    url = str(session.get_bind().engine.url)
    voters, missing = cached_voters(url, {b.voter for b in ballots})
    pg = session.connection().connection.driver_connection
    assert pg is not None
    if missing:
        for handle, number in pg.execute(
            "SELECT handle, id FROM publicvoter WHERE handle = ANY(%s::varchar[])", [missing]
        ):
            voters[handle] = number
            remember_voter(url, handle, number)
    people = sorted(set(voters.values()))
    usable = set(usable_keys(ballots))
    keyed = sorted({(b.division_id, voters[b.voter], b.idempotency_key) for b in ballots
                    if b.idempotency_key in usable and b.voter in voters})
    pairs = sorted({(b.division_id, voters[b.voter]) for b in ballots if b.voter in voters})
    params = {
        "pair_divisions": int_array(d for d, _ in pairs),
        "pair_people": int_array(v for _, v in pairs),
        "pc": PERSON_LOCK,
        "dc": DIVISION_LOCK,
        "people": int_array(people),
        "divisions": int_array(sorted({b.division_id for b in ballots})),
        "key_divisions": int_array(d for d, _, _ in keyed),
        "key_people": int_array(v for _, v, _ in keyed),
        "keys": text_array(k for _, _, k in keyed),
    }
    # one submission of a voter at a time (and none while their proxies change), and a close
    # waits for the votes in flight (`state.lock_for_vote`).  Sorted, so two groups never wait
    # for each other in a cycle (unnest yields an array in order and each lock is taken as it
    # goes).
    with pg.pipeline():
        pg.execute(INDEXED)
        pg.execute(LOCKS, params)
        divisions = pg.execute(DIVISIONS, params)
        numbers = pg.execute(NUMBERS, params)
        graph = pg.execute(GRAPH, params)
        seen = pg.execute(KEYS, params) if keyed else None
    division_rows = list(divisions)
    known = Known(
        voters,
        {row[0]: division_of(row) for row in division_rows},
        {(row[0], row[1]): int(row[2]) for row in numbers},
        {person for row in graph for person in row},
        {(r[0], r[1], r[2]): (str(r[3]), int(r[4])) for r in seen} if seen is not None else {},
        private_of(division_rows),
    )
    results, rows = decide(ballots, known, receipt_key, audit_key)
    if rows:
        pg.execute(
            STORE,
            {
                "division": int_array(r["division_id"] for r in rows),
                "voter": int_array(r["voter_id"] for r in rows),
                "option": int_array(r["option"] for r in rows),
                "number": int_array(r["number"] for r in rows),
                "receipt": text_array(r["receipt"] for r in rows),
                "key": text_array(r["idempotency_key"] for r in rows),
                "at": text_array(r["at"].isoformat() for r in rows),
                "mac": text_array(r["mac"] for r in rows),
                "graph": int_array(sorted(known.graph)),
            },
        )
    return results
