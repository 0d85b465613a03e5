"""Names from files are printed literally: a candidate, party, quota or file name that looks like
Rich markup (``[/]``, ``[bold red]``) or an emoji code (``:smile:``) is text, never a style and
never a crash."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from cli import app

runner = CliRunner()
NAMES = ["[/]", "[bold red]Red[/bold red]", ":smile:", "Smith \\[x]"]


def _blt(tmp_path: Path) -> Path:
    f = tmp_path / "[red]ward.blt"
    lines = ["4 2", "1 1 2 0", "1 2 1 0", "1 3 0", "1 1 0", "1 4 2 0", "0"]
    f.write_text("\n".join(lines + [f'"{n}"' for n in NAMES] + ['"A [/] title"']) + "\n")
    return f


def test_count_prints_markup_in_candidate_names_literally(tmp_path):
    r = runner.invoke(app, ["count", str(_blt(tmp_path)), "--seed", "s"])
    assert r.exit_code == 0, r.output
    for name in NAMES:
        assert name in r.output


def test_an_error_naming_a_file_with_markup_is_printed_literally(tmp_path):
    f = tmp_path / "[bold]bad.blt"
    f.write_text('2 1\n1 3 0\n0\n"[/]"\n"b"\n"t"\n')
    r = runner.invoke(app, ["count", str(f)])
    assert r.exit_code == 2
    assert "[bold]bad.blt" in r.output


def test_allocate_prints_party_names_literally(tmp_path):
    f = tmp_path / "v.csv"
    f.write_text("party,votes\n[/],100\n[red]x,80\n:smile:,50\n")
    r = runner.invoke(app, ["allocate", str(f), "--seats", "3", "--seed", "s"])
    assert r.exit_code == 0, r.output
    for name in ("[/]", "[red]x", ":smile:"):
        assert name in r.output


def test_draw_prints_quota_names_literally(tmp_path):
    pool = tmp_path / "pool.csv"
    pool.write_text("[/]\n" + "".join(f"{'[a]' if i % 2 else ':b:'}\n" for i in range(20)))
    quotas = tmp_path / "q.csv"
    quotas.write_text("category,feature,min,max\n[/],[a],2,3\n[/],:b:,2,3\n")
    r = runner.invoke(app, ["draw", str(pool), str(quotas), "--size", "5", "--seed", "s"])
    assert r.exit_code == 0, r.output
    assert "[a]" in r.output
    assert ":b:" in r.output
    bad = tmp_path / "bad.csv"
    bad.write_text("category,feature,min,max\n[/],[a],4,5\n[/],:b:,4,5\n")
    r = runner.invoke(app, ["draw", str(pool), str(bad), "--size", "5", "--seed", "s"])
    assert r.exit_code == 2
    assert "'[/]'" in r.output
