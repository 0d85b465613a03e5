"""Meek STV against Droop's reference counts (Meek, omega 10^-9, 18+9 guarded digits)."""

from __future__ import annotations

from decimal import Decimal

from electoral import meek
from electoral.ballots import read_blt, read_preflib
from tests.electoral.droop_report import read_report


def _close(ours: str, ref: str) -> bool:
    return abs(Decimal(ours) - Decimal(ref)) < Decimal("0.000005")  # agree to 5 decimals


def test_eq1_equal_rankings_share_the_vote(stv_data):
    _, actions = read_report(stv_data / "eq1-meek-o9-guarded-p18-g9-d18.report.txt")
    result = meek.count(read_blt(stv_data / "eq1.blt"), seed="x")
    begin, complete = actions[0], actions[-1]
    for name, value in begin.votes.items():
        assert _close(result.stages[0].votes[name], value)
    for name, value in complete.votes.items():
        assert _close(result.stages[-1].votes[name], value), name
    assert set(result.elected) == {n for n, s in complete.status.items() if s == "Elected"}
    assert _close(result.quota, "3")


def test_42_matches_when_the_lot_falls_as_droops_tie_order(stv_data):
    _, actions = read_report(stv_data / "42-meek-o9-guarded-p18-g9-d18.report.txt")
    profile = read_blt(stv_data / "42.blt")
    seed = next(
        s
        for s in (f"s{i}" for i in range(50))
        if meek.count(profile, seed=s).ties[0].chosen == "Pollux"
    )
    result = meek.count(profile, seed=seed)
    complete = actions[-1]
    for name, value in complete.votes.items():
        assert _close(result.stages[-1].votes[name], value), name
    assert result.elected == ("Castor", "Helen")
    assert result.ties[0].method == "lot"
    assert set(result.ties[0].candidates) == {"Pollux", "Helen"}


def test_irish_2002_dublin_west_elects_the_declared_members(stv_data):
    # Declared result (3 seats): Joe Higgins, Brian Lenihan, Joan Burton.
    result = meek.count(read_preflib(stv_data / "dublin_west_2002.soi"), seats=3, seed="x")
    assert {n.split(" ")[1] for n in result.elected} == {"Higgins", "Lenihan", "Burton"}


def test_every_stage_accounts_for_every_vote(stv_data):
    result = meek.count(read_preflib(stv_data / "dublin_west_2002.soi"), seats=3, seed="x")
    for stage in result.stages:
        total = sum(Decimal(v) for v in stage.votes.values()) + Decimal(stage.non_transferable)
        assert abs(total - result.valid_ballots) < Decimal("0.00001"), stage.stage
