"""Benchmark closing a division with 12.5 million public votes and 1 million proxy appointments,
on PostgreSQL and on SQLite, with the project's own `close_division`.

Run from the repository root:

    .venv/bin/python benchmarks/tally.py                     # 12.5M votes, 1M proxies, both
    .venv/bin/python benchmarks/tally.py --only postgresql   # what `make bench` runs
    .venv/bin/python benchmarks/tally.py --votes 1000000 --proxies 100000 --only sqlite

The data: 13.5 million registered voters; the first 12.5 million vote directly on a division
with three options; 1 million appoint a proxy: 100,000 who also voted (their direct vote
overrides it) and 900,000 who did not, arranged as the tally must meet them: chains ending at a
direct voter (70%, one of them longer than the proxy cap, so that votes are refused over it),
rings of people who all delegate and none of whom voted (10%, up to 1,000 long) and chains
running into them (5%), whose votes count for no one, and chains ending at someone who neither
voted nor delegated (lapsed).  2% of the proxies are revoked before close (breaking the chains
and rings through them), 5% are for the division itself rather than general.  The rings, the
longest chain and the rest are counted (and printed) by following every delegation one person at
a time in plain Python, and the close's tally, delegated votes counted, votes in cycles, lapsed
and refused over the cap must equal that walk's: an independent route to the result, not the
close's own pointer doubling.  Loading uses PostgreSQL's binary COPY and SQLite's executemany
(not timed as part of the close; the loaded votes count as already on the audit chain, which the
scheduler extends every second, and the rate at which it does so is measured on 100,000 of them
after the close).  The PostgreSQL server is a scratch one (`chamber.devdb`) with durable
settings (fsync on).
"""

from __future__ import annotations

import argparse
import struct
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
from common import Row, report
from proxydata import Data
from rich.console import Console
from rich.table import Table
from sqlalchemy import text

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from chamber import devdb  # noqa: E402
from chamber.audit.keys import submission_mac  # noqa: E402
from chamber.db import make_engine, perform, upgrade  # noqa: E402
from chamber.divisions.lifecycle import close_division, create_division  # noqa: E402
from chamber.divisions.models import PublicSubmission  # noqa: E402
from chamber.divisions.sequencer import chain_public_votes  # noqa: E402
from chamber.seed import practice_sitting  # noqa: E402
from chamber.serial import as_json  # noqa: E402
from chamber.settings import settings  # noqa: E402

T0 = datetime(2027, 3, 1, 8, tzinfo=UTC)
PG_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
OPTIONS = ["content", "not content", "abstain"]
AUDIT_KEY = b"the tally benchmark's audit key, not a secret"


def _binary_copy(columns: list[tuple[str, np.ndarray]]) -> bytes:
    """PostgreSQL's binary COPY format for int4/int8/bytes/timestamptz/NULL columns."""
    n = len(columns[0][1])
    fields: list[tuple[str, str]] = [("count", ">i2")]
    values: dict[str, object] = {"count": len(columns)}
    for name, array in columns:
        kind = array.dtype.kind
        if kind == "S":
            width = array.dtype.itemsize
            fields += [(name + "_len", ">i4"), (name, f"S{width}")]
            values[name + "_len"], values[name] = width, array
        elif kind == "b":
            fields += [(name + "_len", ">i4"), (name, "u1")]
            values[name + "_len"], values[name] = 1, array
        elif kind == "O":  # all NULL
            fields += [(name + "_len", ">i4")]
            values[name + "_len"] = -1
        elif array.dtype == np.dtype("M8[us]"):
            fields += [(name + "_len", ">i4"), (name, ">i8")]
            micro = (array - np.datetime64(PG_EPOCH.replace(tzinfo=None), "us")).astype(np.int64)
            values[name + "_len"], values[name] = 8, micro
        else:
            fields += [(name + "_len", ">i4"), (name, ">i4")]
            values[name + "_len"], values[name] = 4, array
    rows = np.empty(n, dtype=np.dtype(fields))
    for key, value in values.items():
        rows[key] = value
    header = b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0)
    return header + rows.tobytes() + struct.pack(">h", -1)


def _stamps(n: int, at: datetime) -> np.ndarray:
    return np.full(n, np.datetime64(at.replace(tzinfo=None), "us"))


def _tables(data: Data, division: int) -> dict[str, list[tuple[str, np.ndarray]]]:
    v = data.vote_voter.size
    ids = np.arange(1, data.voters + 1, dtype=np.int64)
    handles = np.char.add(b"v", np.char.zfill(ids.astype("S9"), 9))
    receipts = np.char.zfill(np.arange(1, v + 1).astype("S24"), 24)
    n = data.proxy_voter.size
    revoked = np.where(data.revoked, np.datetime64(T0.replace(tzinfo=None), "us"),
                       np.datetime64("NaT"))
    return {
        "publicvoter": [("id", ids), ("handle", handles),
                        ("registered_at", _stamps(data.voters, T0 - timedelta(days=30)))],
        "publicsubmission": [
            ("id", np.arange(1, v + 1)), ("division_id", np.full(v, division)),
            ("voter_id", data.vote_voter), ("option", data.vote_option), ("number", np.ones(v)),
            ("receipt", receipts), ("at", _stamps(v, T0 + timedelta(minutes=5))),
            ("audit_id", np.ones(v, dtype=np.int64)),
        ],
        "publicvote": [
            ("id", np.arange(1, v + 1)), ("division_id", np.full(v, division)),
            ("voter_id", data.vote_voter), ("option", data.vote_option),
            ("submission_id", np.arange(1, v + 1)), ("in_graph", data.in_graph),
        ],
        "proxy": [
            ("id", np.arange(1, n + 1)), ("voter_id", data.proxy_voter),
            ("proxy_id", data.proxy_target),
            ("division_id", np.where(data.for_division, division, 0)),
            ("appointed_at", _stamps(n, T0 - timedelta(days=1))),
            ("revoked_at", revoked),
        ],
    }


def load_postgres(engine, data: Data, division: int) -> None:
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute("SET session_replication_role = replica")  # no FK triggers while loading
        for table, columns in _tables(data, division).items():
            plain = [(c, a) for c, a in columns if c not in ("division_id", "revoked_at")
                     or table not in ("proxy",)]
            names = [c for c, _ in plain]
            with cur.copy(f"COPY {table} ({', '.join(names)}) FROM STDIN (FORMAT binary)") as cp:
                cp.write(_binary_copy(plain))
            if table == "proxy":
                cur.execute("UPDATE proxy SET division_id = %s WHERE id = ANY(%s)",
                            (division, (np.flatnonzero(data.for_division) + 1).tolist()))
                cur.execute("UPDATE proxy SET revoked_at = %s WHERE id = ANY(%s)",
                            (T0, (np.flatnonzero(data.revoked) + 1).tolist()))
        cur.execute("SET session_replication_role = DEFAULT")
        raw.commit()
        cur.execute("ANALYZE")
        raw.commit()
    finally:
        raw.close()


def load_sqlite(engine, data: Data, division: int) -> None:
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute("PRAGMA foreign_keys=OFF")
        cur.execute("BEGIN")
        reg = (T0 - timedelta(days=30)).isoformat(sep=" ")
        cur.executemany(
            "INSERT INTO publicvoter (id, handle, registered_at) VALUES (?, ?, ?)",
            ((int(i), f"v{i:09d}", reg) for i in range(1, data.voters + 1)),
        )
        at = (T0 + timedelta(minutes=5)).isoformat(sep=" ")
        voters, options = data.vote_voter.tolist(), data.vote_option.tolist()
        cur.executemany(
            "INSERT INTO publicsubmission"
            " (id, division_id, voter_id, option, number, receipt, at, audit_id)"
            " VALUES (?, ?, ?, ?, 1, ?, ?, 1)",
            ((i, division, voters[i - 1], options[i - 1], f"{i:024d}", at)
             for i in range(1, len(voters) + 1)),
        )
        flags = data.in_graph.tolist()
        cur.executemany(
            "INSERT INTO publicvote (id, division_id, voter_id, option, submission_id, in_graph)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            ((i, division, voters[i - 1], options[i - 1], i, flags[i - 1])
             for i in range(1, len(voters) + 1)),
        )
        appointed = (T0 - timedelta(days=1)).isoformat(sep=" ")
        revoked_at = T0.isoformat(sep=" ")
        cur.executemany(
            "INSERT INTO proxy (id, voter_id, proxy_id, division_id, appointed_at, revoked_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (
                (i + 1, int(v), int(p), division if d else None, appointed,
                 revoked_at if r else None)
                for i, (v, p, d, r) in enumerate(
                    zip(data.proxy_voter, data.proxy_target, data.for_division, data.revoked,
                        strict=True)
                )
            ),
        )
        raw.commit()
        cur.execute("ANALYZE")
        raw.commit()
    finally:
        raw.close()


def run(kind: str, data: Data, console: Console) -> dict[str, object]:
    server = None
    folder = tempfile.TemporaryDirectory(prefix="tally-")
    if kind == "postgresql":
        server = devdb.start(fast=False)
        engine = make_engine(server.create_database("tally"))
    else:
        engine = make_engine(f"sqlite:///{Path(folder.name) / 'tally.db'}")
    try:
        upgrade(engine)
        sitting = practice_sitting(engine, T0)
        division = perform(
            engine, create_division, "That the Bill do now pass", OPTIONS, T0,
            T0 + timedelta(hours=2), sitting_id=sitting, now=T0,
        )
        began = time.perf_counter()
        (load_postgres if kind == "postgresql" else load_sqlite)(engine, data, division)
        load = time.perf_counter() - began
        console.print(f"{kind}: loaded in {load:.1f} s; closing")
        began = time.perf_counter()
        cap = settings().proxy_cap
        result = as_json(perform(engine, close_division, division, T0 + timedelta(hours=2),
                                 proxy_cap=cap, audit_key=AUDIT_KEY))
        close = time.perf_counter() - began
        again = time.perf_counter()
        perform(engine, close_division, division, T0 + timedelta(hours=3), proxy_cap=cap,
                audit_key=AUDIT_KEY)
        twice = time.perf_counter() - again
        # the sequencer: how fast votes are put on the audit chain (it runs every second)
        sample = min(100_000, data.vote_voter.size)
        with engine.begin() as conn:
            conn.execute(text("UPDATE publicsubmission SET audit_id = NULL WHERE id <= :n"),
                         {"n": sample})
            sub = PublicSubmission.__table__  # the sequencer chains only what carries a MAC
            macs = [{"i": row.id, "m": submission_mac(
                AUDIT_KEY, row.division_id, row.voter_id, row.option, row.number, row.receipt,
                row.at)} for row in conn.execute(sub.select().where(sub.c.id <= sample))]
            conn.execute(text("UPDATE publicsubmission SET mac = :m WHERE id = :i"), macs)
        began = time.perf_counter()
        chain_public_votes(engine, AUDIT_KEY)
        chain_rate = sample / (time.perf_counter() - began)
        return {"load": load, "close": close, "twice": twice, "result": result,
                "chain": chain_rate}
    finally:
        engine.dispose()
        if server is not None:
            server.stop()
        folder.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--votes", type=int, default=12_500_000)
    parser.add_argument("--proxies", type=int, default=1_000_000)
    parser.add_argument("--only", choices=["postgresql", "sqlite"])
    args = parser.parse_args()
    console = Console(width=200)
    cap = settings().proxy_cap
    data = Data(args.votes, args.proxies, cap)
    began = time.perf_counter()
    walk = data.walk(cap)
    console.print(
        f"the proxies in force: {walk.rings:,} rings of people who all delegate (largest "
        f"{walk.largest_ring:,}, {walk.in_rings:,} people in them; {walk.in_cycles:,} in or "
        f"leading into one), {walk.chains:,} direct voters carrying delegated votes, the "
        f"longest chain {walk.longest_chain:,} hops, {walk.lapsed:,} lapsed, {walk.refused:,} "
        f"over the cap of {cap:,}; followed one by one in {time.perf_counter() - began:.1f} s",
        highlight=False,
    )
    table = Table(title=f"Closing a division: {args.votes:,} public votes, "
                  f"{args.proxies:,} proxy appointments")
    for col in ("database", "load (s)", "close (s)", "close again (s)", "chained votes/s",
                "public votes", "proxy votes counted", "in cycles", "lapsed", "over cap",
                "matches the walk"):
        table.add_column(col, justify="right")
    rows = []
    for kind in ("postgresql", "sqlite"):
        if args.only and kind != args.only:
            continue
        out = run(kind, data, console)
        r = out["result"]
        assert isinstance(r, dict)
        got = (list(r["public_votes"]), r["proxy_votes_counted"], r["proxy_votes_in_cycles"],
               r["proxy_votes_lapsed"], r["proxy_votes_refused_over_cap"])
        want = (walk.tally, walk.counted, walk.in_cycles, walk.lapsed, walk.refused)
        agrees = got == want
        table.add_row(
            kind, f"{out['load']:.1f}", f"{out['close']:.2f}", f"{out['twice']:.3f}",
            f"{out['chain']:,.0f}", " / ".join(f"{x:,}" for x in r["public_votes"]),
            f"{r['proxy_votes_counted']:,}", f"{r['proxy_votes_in_cycles']:,}",
            f"{r['proxy_votes_lapsed']:,}", f"{r['proxy_votes_refused_over_cap']:,}",
            "yes" if agrees else f"NO (expected {want})",
        )
        rows += [
            Row(f"{kind}: close a division, {args.votes:,} public votes and {args.proxies:,} "
                f"proxies ({walk.rings:,} rings, largest {walk.largest_ring:,}; longest chain "
                f"{walk.longest_chain:,} hops; {walk.refused:,} over the cap)", out["close"],
                goal="<= 10 s" if kind == "postgresql" else "-",
                met=out["close"] <= 10 if kind == "postgresql" else None),
            Row(f"  {kind}: tally, counted, in cycles ({walk.in_cycles:,}, none counted), "
                f"lapsed and over cap equal to following every delegation one by one: "
                f"{'yes' if agrees else 'NO'}", None, goal="equal", met=agrees),
            Row(f"  {kind}: public votes put on the audit chain, per second", out["chain"],
                unit="votes/s", higher=True),
        ]
    console.print(table)
    report("tally", f"Closing a division: {args.votes:,} public votes, {args.proxies:,} "
           "proxy appointments with rings and chains", rows)


if __name__ == "__main__":
    main()
