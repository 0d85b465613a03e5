"""The demonstration chamber, built once through the services on SQLite, and the database CLI
(`seed`, `audit verify`, `db`)."""

from __future__ import annotations

import re
import shutil
import sqlite3
from collections import Counter
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import or_
from sqlmodel import Session, col, func, select
from typer.testing import CliRunner

from chamber.accounts.services import authenticate, claim_account
from chamber.audit.models import AuditCheckpoint, AuditEntry
from chamber.bodies.models import Seat
from chamber.business.models import BusinessItem, Speech
from chamber.clock import LONDON
from chamber.db import head_revision, make_engine, perform, read
from chamber.divisions.models import Division, Proxy, PublicVote
from chamber.elections.models import Election
from chamber.jury.expert_models import (
    ExpertBallot,
    PanelMeeting,
    PanelOutput,
    PanelRemit,
    PeerQuestion,
)
from chamber.jury.models import (
    Juror,
    JuryBallot,
    JuryBallotVote,
    JuryDraw,
    JuryPlace,
    Volunteer,
)
from chamber.membership.models import Member
from chamber.register.claims import claim_key
from chamber.register.models import Elector
from chamber.rotas.models import Assignment
from chamber.routes.models import MemberRoute
from chamber.sittings.models import Sitting
from cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'chamber.db'}"
    result = runner.invoke(app, ["seed", "--demo", "--database", url, "--today", "2027-03-10"])
    assert result.exit_code == 0, result.output
    engine = make_engine(url)
    yield url, engine, result.output
    engine.dispose()


def _count(engine, column, *where):
    with Session(engine) as s:
        return s.exec(select(func.count(column)).where(*where)).one()


def test_the_demo_holds_a_complete_chamber(demo):
    _, engine, output = demo
    assert "500 seats" in output
    assert "0 breaches of the invariants" in output
    national = col(Member.seat_id).in_(select(Seat.id).where(Seat.body_key == "national"))
    assert _count(engine, Seat.id, Seat.body_key == "national") == 500
    assert _count(engine, Seat.id, Seat.body_key == "local-health-panel") == 40
    # 450 seats x 24 sharers + 50 youth seats x 48, serving now (some have been replaced; the
    # UK Youth Parliament's former members serve until their term ends)
    today = date(2027, 3, 10)
    serving = or_(col(Member.serves_until).is_(None), col(Member.serves_until) >= today)
    assert _count(engine, Member.id, serving, col(Member.serves_from) <= today, national) == (
        13_200)
    # those with a term ending after 2028: the 200 of the routes, 30 crossbench peers, 8 Health
    # experts appointed by the jury and one whip-taking peer it approved
    assert _count(engine, Member.id, col(Member.serves_until) > date(2028, 1, 1)) == 239
    assert _count(engine, Member.id, Member.role == "Speaker") == 1
    assert _count(engine, Juror.id, Juror.month == 1) == 1_200
    assert _count(engine, Election.id) > 600  # Calton, and the routes' counts
    assert _count(engine, Speech.id) >= 12 * 4
    assert _count(engine, Division.id, Division.status == "closed") >= 12 * 4
    assert _count(engine, Division.id, Division.status != "closed") == 1
    assert _count(engine, PublicVote.id) > 0
    assert _count(engine, Proxy.id) > 0


def test_the_demo_youth_seats_sit_and_every_seat_is_filled(demo):
    _, engine, _ = demo
    with Session(engine) as s:
        sitting = s.exec(
            select(Sitting).where(Sitting.day == date(2027, 3, 9), Sitting.session == "morning")
        ).one()
        seats = s.exec(
            select(Seat.code)
            .join(Assignment, col(Assignment.seat_id) == col(Seat.id))
            .where(Assignment.sitting_id == sitting.id)
        ).all()
    assert len(seats) == len(set(seats)) == 500
    assert {f"S{n:03d}" for n in range(450, 500)} <= set(seats)
    local = sitting.starts_at.astimezone(LONDON)
    assert (local.hour, local.tzname()) == (8, "GMT")


def test_the_demo_sittings_have_their_business(demo):
    _, engine, _ = demo
    with Session(engine) as s:
        ordinary = s.exec(
            select(func.count(Sitting.id)).where(
                ~col(Sitting.urgent_only), col(Sitting.day) <= date(2027, 4, 9),
                Sitting.body_key == "national",
            )
        ).one()
        planned = s.exec(
            select(func.count(func.distinct(BusinessItem.sitting_id)))
            .join(Sitting, col(Sitting.id) == col(BusinessItem.sitting_id))
            .where(~col(Sitting.urgent_only), col(Sitting.day) <= date(2027, 4, 9),
                   Sitting.body_key == "national")
        ).one()
    assert planned == ordinary  # every ordinary sitting to a month ahead


def test_seeding_again_is_refused_and_loses_nothing(demo):
    url, engine, _ = demo
    before = _count(engine, AuditEntry.id)
    result = runner.invoke(app, ["seed", "--demo", "--database", url])
    assert result.exit_code == 2
    assert "already holds a chamber" in result.output
    assert _count(engine, AuditEntry.id) == before


def test_audit_verify_passes_then_names_the_altered_entry(demo, tmp_path):
    url, _engine, _ = demo
    result = runner.invoke(app, ["audit", "verify", "--database", url])
    assert result.exit_code == 0
    assert "is intact and every stored vote" in result.output
    copied = _copy(url, tmp_path)
    tampered = make_engine(copied)
    with Session(tampered) as s:
        entry = s.exec(select(AuditEntry).where(AuditEntry.kind == "member vote")).first()
        entry.payload = {**entry.payload, "option": "not content" if entry.payload["option"]
                         == "content" else "content"}
        s.add(entry)
        s.commit()
        broken = entry.id
    tampered.dispose()
    result = runner.invoke(app, ["audit", "verify", "--database", copied])
    assert result.exit_code == 1
    assert f"broken at entry {broken} (member vote" in result.output


def test_db_current_and_a_fresh_upgrade(tmp_path):
    url = f"sqlite:///{tmp_path / 'x.db'}"
    assert "base" in runner.invoke(app, ["db", "current", "--database", url]).output
    assert head_revision() in runner.invoke(app, ["db", "upgrade", "--database", url]).output
    assert "base" in runner.invoke(app, ["db", "downgrade", "base", "--database", url]).output


def test_seed_needs_demo_and_a_real_date(tmp_path):
    url = f"sqlite:///{tmp_path / 'x.db'}"
    assert runner.invoke(app, ["seed", "--database", url]).exit_code == 2
    result = runner.invoke(app, ["seed", "--demo", "--today", "someday", "--database", url])
    assert result.exit_code == 2
    assert date.today  # the error names the option
    assert "--today" in result.output


def test_the_demo_prints_accounts_that_sign_in(demo):
    _, engine, output = demo
    lines = [line.split() for line in output.splitlines() if line.startswith("  ")]
    roles = {parts[0] for parts in lines}
    assert roles == {"administrator", "clerk", "member", "public"}
    for role, username, password in lines:
        assert read(engine, authenticate, username, password).role == role


def test_the_demo_prints_a_code_that_claims_an_imported_citizen(demo):
    _, engine, output = demo
    line = next(x for x in output.splitlines() if x.startswith("to register as a citizen"))
    found = re.search(r"elector number (\S+), postcode (.+), year of birth (\d{4}); then the "
                      r"code (\S+)", line)
    assert found is not None, line
    number, _postcode, _born, code = found.groups()
    assert number == "E0003"
    with Session(engine) as s:
        assert s.exec(select(func.count(Elector.id))).one() == 400
        bound = s.exec(select(Elector).where(col(Elector.account_id).is_not(None))).all()
    assert sorted(e.number for e in bound) == ["E0001", "E0002"]
    now = datetime(2027, 3, 10, 13, tzinfo=UTC)
    stranger = perform(engine, claim_account, "E0004", code, "stranger", "a long password",
                       now, key=claim_key(engine))
    assert stranger.user is None  # the code is E0003's alone
    made = perform(engine, claim_account, number, code, "Tester", "a long password", now,
                   key=claim_key(engine))
    assert made.user is not None
    assert made.user.voter == "citizen0003"  # their imported voter, with their proxy


def test_the_account_command_asks_for_the_password(tmp_path):
    url = f"sqlite:///{tmp_path / 'a.db'}"
    runner.invoke(app, ["db", "upgrade", "--database", url])
    result = runner.invoke(
        app, ["account", "kim", "--role", "clerk", "--database", url],
        input="a long password\na long password\n",
    )
    assert result.exit_code == 0, result.output
    assert "created clerk account 'kim'" in result.output
    short = runner.invoke(app, ["account", "lee", "--role", "clerk", "--database", url],
                          input="short\nshort\n")
    assert short.exit_code == 2
    assert "at least 10" in short.output
    public = runner.invoke(app, ["account", "lee", "--role", "public", "--database", url],
                           input="a long password\na long password\n")
    assert public.exit_code == 2
    assert "bound to one elector" in public.output


def _copy(url: str, tmp_path) -> str:
    """A copy of the demo database, with its audit key beside it."""
    copy = tmp_path / "copy.db"
    source = sqlite3.connect(url.removeprefix("sqlite:///"))
    with sqlite3.connect(copy) as target:
        source.backup(target)
    source.close()
    shutil.copy(url.removeprefix("sqlite:///") + ".audit-key", f"{copy}.audit-key")
    return f"sqlite:///{copy}"


def test_the_demo_leaves_nothing_unchained_and_checkpoints_its_closes(demo):
    url, engine, _ = demo
    result = runner.invoke(app, ["audit", "verify", "--database", url])
    assert result.exit_code == 0, result.output
    assert "still to be chained" not in result.output
    assert "no audit key" not in result.output
    closed = _count(engine, Division.id, Division.status == "closed")
    assert _count(engine, AuditCheckpoint.id) == closed


def test_a_head_kept_outside_proves_the_chain_up_to_it(demo, tmp_path):
    url = _copy(demo[0], tmp_path)
    with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
        last, head = conn.execute("SELECT id, hash FROM auditentry ORDER BY id DESC").fetchone()
    kept = runner.invoke(app, ["audit", "verify", "--database", url, "--head", head])
    assert kept.exit_code == 0, kept.output
    assert f"the head {head[:16]}… kept outside is entry" in kept.output
    with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
        conn.execute("DELETE FROM auditentry WHERE id = ?", (last,))
    cut = runner.invoke(app, ["audit", "verify", "--database", url, "--head", head])
    assert cut.exit_code == 1
    assert "kept outside is not on the chain" in cut.output


@pytest.mark.parametrize(
    ("sql", "says"),
    [
        ("UPDATE publicsubmission SET option = 1 - option WHERE id = 7", "public submission 7"),
        ("UPDATE publicvote SET option = 1 - option WHERE id = 3", "current public vote 3"),
        ("UPDATE membervote SET option = 1 - option WHERE id = 5", "the member vote of seat"),
        ("UPDATE division SET result = json_set(result, '$.carried', 'x') WHERE id = 1",
         "result of division 1"),
        ("UPDATE election SET ballots = ballots || ' ' WHERE id = 1", "ballots of election 1"),
        ("UPDATE election SET result = json_set(result, '$.quota', '1') WHERE id = 1",
         "result of election 1"),
        ("DELETE FROM publicvote WHERE id = 3", "no current public vote in division"),
        ("UPDATE publicsubmission SET audit_id = NULL WHERE id = 7",
         "public submission 7 (division 1) is on the audit log"),
        ("DELETE FROM membervote WHERE id = 5", "the member vote of seat"),
        ("UPDATE proxy SET proxy_id = voter_id WHERE id = 1", "proxy 1 (voter"),
        ("DELETE FROM proxy WHERE id = 2", "is missing from the proxy table"),
        ("UPDATE division SET question = 'That nothing be done' WHERE id = 1",
         "the question of division 1"),
        ("UPDATE division SET closes_at = '2027-02-16 10:00:00.000000' WHERE id = 1",
         "the closing time of division 1"),
        ("UPDATE division SET status = 'open' WHERE id = 1", "a closed division never reopens"),
        ("UPDATE division SET result = json_set(result, '$.proxy_votes_counted', 12345)"
         " WHERE id = 1", "result of division 1"),
        ("UPDATE account SET role = 'administrator' WHERE username = 'citizen0001'",
         "has the role 'administrator'"),
    ],
)
def test_tampering_with_any_stored_vote_or_count_is_found_and_located(demo, tmp_path, sql, says):
    url = _copy(demo[0], tmp_path)
    with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
        assert conn.execute(sql).rowcount == 1
    result = runner.invoke(app, ["audit", "verify", "--database", url])
    assert result.exit_code == 1
    assert says in result.output


def test_the_demo_runs_the_stored_jury_its_experts_and_a_panel(demo):
    _, engine, output = demo
    assert "/jury/national/experts/ballots/" in output
    with Session(engine) as s:
        draws = s.exec(select(JuryDraw).where(JuryDraw.kind == "monthly",
                                              JuryDraw.body_key == "national")
                       .order_by(col(JuryDraw.month))).all()
        assert [d.month for d in draws] == ["2026-06", "2026-07", "2026-08"]
        assert _count(engine, Volunteer.id, Volunteer.body_key == "national") == 2_000
        serving = s.exec(select(JuryPlace).where(JuryPlace.body_key == "national",
                                                 JuryPlace.status == "serving")).all()
        assert len(serving) == 3 * 85
        ballot = s.exec(select(JuryBallot).where(JuryBallot.month == "2027-03")).one()
        assert ballot.counted_at is None
        assert ballot.seats == 10
        assert len(ballot.candidates) > 10
        assert _count(engine, JuryBallotVote.id, JuryBallotVote.ballot_id == ballot.id) > 100
        experts = s.exec(select(ExpertBallot)).one()
        assert (experts.field, len(experts.appointed)) == ("Health", 8)
        assert s.get(Election, experts.election_id).rule == "scottish"
        ways = Counter(r.way for r in s.exec(select(MemberRoute).where(
            MemberRoute.route == "experts")).all())
        assert ways["crossbench peer"] == 30
        assert ways["appointed by the jury"] == 8
        assert [q.decided_at is not None for q in s.exec(select(PeerQuestion)).all()] == [
            True, True]
        remit = s.get(PanelRemit, "local-health-panel")
        assert remit.powers == ["scrutinise", "advise"]
        assert _count(engine, JuryPlace.id, JuryPlace.body_key == "local-health-panel",
                      JuryPlace.status == "serving") == 40
        assert _count(engine, PanelMeeting.id) >= 2
        assert sorted(o.kind for o in s.exec(select(PanelOutput)).all()) == [
            "recommendation", "recommendation", "scrutiny report"]
