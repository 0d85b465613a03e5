"""Scottish STV against Droop's stage-by-stage reference counts and every real Scottish ward."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from electoral import scottish
from electoral.ballots import parse_blt, read_blt
from electoral.errors import CountError
from tests.conftest import shared_data
from tests.electoral.droop_report import plain, read_report


def lines_text(*lines: str) -> str:
    return "\n".join(lines) + "\n"


GOLDEN = [
    ("glasgow_2007_calton.blt", "Calton-2007-scotland-fixed-p5-d5.report.txt", None),
    (
        "glasgow_2007_greater_pollok.blt",
        "Greater-Pollock-2007-scotland-fixed-p5-d5.report.txt",
        None,
    ),
    ("42.blt", "42-scotland-fixed-p5-d5.report.txt", None),
    # weak-surplus needs a lot between E and F; seed "lot-2" draws E as Droop's reference did.
    ("weak-surplus.blt", "weak-surplus-scotland-fixed-p5-d5.report.txt", "lot-2"),
]


def _reference_stages(report: Path) -> tuple[dict[str, str], list]:
    header, actions = read_report(report)
    stages = []
    for a in actions:
        if a.text == "Begin Count":
            stages.append(("first preferences", None, a))
        elif a.text.startswith("Surplus transferred: "):
            name, _, amount = a.text[len("Surplus transferred: ") :].rpartition(" (")
            if Decimal(amount.rstrip(")")) == 0:
                continue  # rule 48(1): only a surplus that exceeds the quota is transferred
            stages.append(("surplus", name, a))
        elif a.text.startswith("Transfer defeated: "):
            stages.append(("exclusion", a.text[len("Transfer defeated: ") :], a))
    return header, stages


@pytest.mark.parametrize(("blt", "report", "seed"), GOLDEN)
def test_count_reproduces_reference_stage_by_stage(stv_data, blt, report, seed):
    header, expected = _reference_stages(stv_data / report)
    result = scottish.count(read_blt(stv_data / blt), seed=seed or "golden")
    assert result.quota == header["Quota"]
    assert len(result.stages) == len(expected)
    for ours, (action, subject, ref) in zip(result.stages, expected, strict=True):
        assert ours.action == action
        assert (plain(ours.subject) if ours.subject else None) == subject
        votes = {plain(n): v for n, v in ours.votes.items()}
        for group, value in ref.votes.items():
            if ref.status[group] == "Defeated" and ours.action == "exclusion":
                continue  # Droop shows the excluded candidate's votes before the transfer
            for name in group.split(", "):  # Droop groups candidates with equal votes
                assert votes[name] == value, f"stage {ours.stage} {name}"
        assert ours.non_transferable == ref.totals["Nontransferable votes"]
        assert ours.loss_to_truncation == ref.totals["Residual"]
    _, actions = read_report(stv_data / report)
    final = actions[-1]
    elected = {n for n, s in final.status.items() if s == "Elected"}
    assert {plain(n) for n in result.elected} == elected


def test_calton_headline_figures(stv_data):
    result = scottish.count(read_blt(stv_data / "glasgow_2007_calton.blt"), seed="x")
    assert result.quota == "1300.00000"
    first, surplus = result.stages[0], result.stages[1]
    assert first.votes["George Redmond (Lab)"] == "1982.00000"
    assert first.elected == ("George Redmond (Lab)",)
    assert surplus.subject == "George Redmond (Lab)"
    assert surplus.non_transferable == "158.62549"
    assert [plain(n) for n in result.elected] == [
        "George Redmond",
        "Alison E Thewliss",
        "Ruth Simpson",
    ]


def test_surplus_is_transferred_at_current_value():
    """Rule 48(3)-(4): a paper passes on at surplus x its value when received / total."""
    # 3 seats, 30 ballots, quota 8.  A's surplus 4 goes to B at 4/12 = 0.33333 a paper
    # (B: 7 + 3.99996).  B's surplus 2.99996 then passes B's own papers at 0.27272 and A's
    # papers, worth 0.33333, at 0.33333 x 2.99996 / 10.99996 = 0.09090: C gets 7 x 0.27272
    # + 12 x 0.09090 = 2.99984.
    lines = ["4 3", "12 1 2 3 0", "7 2 3 0", "5 3 0", "6 4 0", "0"]
    result = scottish.count(
        parse_blt(lines_text(*lines, '"A"', '"B"', '"C"', '"D"', '"t"')), seed="s"
    )
    assert result.stages[1].votes["B"] == "10.99996"
    assert result.stages[2].votes["C"] == "7.99984"
    assert result.stages[2].loss_to_truncation == "0.00016"
    assert result.elected == ("A", "B", "C")


def test_transfer_value_ignores_the_remainder():
    assert scottish.transfer_value(100000, 68200000, 198200000) == 34409  # 0.34409...


def test_exclusion_tie_looks_back_to_the_latest_stage_that_differed():
    """Rule 51(2)(a): B and C tie at 6 after A's surplus; B had fewer at stage 1, so B goes."""
    # 2 seats of 33, quota 12.  A 16 (surplus 4 to B at 0.25), B 2, C 6, D 9: B reaches 6.
    lines = ["4 2", "16 1 2 0", "2 2 0", "6 3 0", "9 4 0", "0"]
    result = scottish.count(
        parse_blt(lines_text(*lines, '"A"', '"B"', '"C"', '"D"', '"t"')), seed="s"
    )
    assert result.stages[1].votes["B"] == result.stages[1].votes["C"] == "6.00000"
    tie = result.ties[0]
    assert tie.purpose == "exclusion"
    assert set(tie.candidates) == {"B", "C"}
    assert (tie.chosen, tie.method) == ("B", "earlier stage 1")
    assert result.stages[2].excluded == ("B",)


def test_lot_is_drawn_from_the_seed_and_recorded(stv_data):
    profile = read_blt(stv_data / "weak-surplus.blt")
    chosen = {scottish.count(profile, seed=str(s)).ties[-1].chosen for s in range(20)}
    assert chosen == {"E", "F"}
    a = scottish.count(profile, seed="abc")
    b = scottish.count(profile, seed="abc")
    assert a == b
    assert a.seed == "abc"
    assert a.lots
    assert a.ties[-1].method == "lot"


def test_seats_are_required():
    profile = parse_blt(lines_text("2 1", "1 1 0", "0", '"A"', '"B"', '"t"'))
    with pytest.raises(CountError, match="seats"):
        scottish.count(profile, seats=0)


def test_fewer_candidates_than_seats_elects_all(stv_data):
    profile = parse_blt(lines_text("2 3", "3 1 0", "1 2 0", "0", '"A"', '"B"', '"t"'))
    result = scottish.count(profile, seed="x")
    assert set(result.elected) == {"A", "B"}


@pytest.mark.slow
def test_every_scottish_ward_counts_without_error():
    root = shared_data("stv", "scotland")
    files = sorted(root.glob("*/*.blt"))
    assert len(files) > 1000
    for f in files:
        profile = read_blt(f)
        result = scottish.count(profile, seed="all-wards")
        assert len(result.elected) == min(profile.seats or 0, len(profile.continuing_candidates)), f
        last = result.stages[-1]
        total = sum(Decimal(v) for v in last.votes.values())
        total += Decimal(last.non_transferable) + Decimal(last.loss_to_truncation)
        assert total == result.valid_ballots, f
