"""Inputs as text: every parser reads an upload's text as its file wrapper reads the file, errors
name the file given, and a count of text records the SHA-256 the file would have."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from electoral import count_file, count_text, parse_ballots, read_ballots
from electoral.ballots import parse_preflib
from electoral.errors import BallotFileError
from electoral.sortition.instance import parse_pool, parse_quotas, read_pool, read_quotas
from electoral.sortition.synthetic import pool_csv, quotas_csv
from tests.conftest import DATA

BALLOT_FILES = ["42.blt", "eq1.blt", "glasgow_2007_calton.blt", "dublin_west_2002.soi"]


def _same_profile(a, b) -> bool:
    return (
        a.candidates == b.candidates
        and a.title == b.title
        and a.seats == b.seats
        and a.withdrawn == b.withdrawn
        and a.problems == b.problems
        and (a.rankings == b.rankings).all()
        and (a.levels == b.levels).all()
        and (a.weights == b.weights).all()
    )


@pytest.mark.parametrize("name", BALLOT_FILES)
def test_parsing_a_files_text_gives_the_profile_read_from_the_file(stv_data, name):
    path = stv_data / name
    parsed = parse_ballots(path.read_text(encoding="utf-8"), str(path))
    assert _same_profile(parsed, read_ballots(path))


@pytest.mark.parametrize("name", BALLOT_FILES)
def test_counting_text_records_the_files_sha256(stv_data, name):
    path = stv_data / name
    seats = 3 if name.endswith(".soi") else None
    from_text = count_text(path.read_text(encoding="utf-8"), name, "meek", seats, "s")
    from_file = count_file(path, "meek", seats, "s")
    assert from_text.source_sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert from_text == from_file


def test_a_byte_order_mark_is_read_past_and_kept_in_the_sha256(stv_data, tmp_path):
    plain = (stv_data / "42.blt").read_text(encoding="utf-8")
    marked = tmp_path / "42.blt"
    marked.write_text("\ufeff" + plain, encoding="utf-8")
    from_file = count_file(marked, "scottish", None, "s")
    from_text = count_text("\ufeff" + plain, "42.blt", "scottish", None, "s")
    assert from_file.source_sha256 == hashlib.sha256(marked.read_bytes()).hexdigest()
    assert from_text == from_file
    assert from_text.stages == count_text(plain, "42.blt", "scottish", None, "s").stages


@pytest.mark.parametrize(
    ("text", "name", "message"),
    [
        ('2 1\n1 3 0\n0\n"A"\n"B"\n', "ward.blt", "ward.blt, line 2: unknown candidate id 3"),
        ("rank1,rank2\nA,B\nA\n", "upload.csv", "upload.csv, line 3: expected 2 fields"),
        ("2 1\n", "ballots.txt", "ballots.txt: unknown ballot format '.txt'"),
    ],
)
def test_errors_in_text_name_the_file_given(text, name, message):
    with pytest.raises(BallotFileError, match=re.escape(message)):
        count_text(text, name, "scottish", 1, "s")


def test_text_that_is_not_unicode_is_refused_naming_the_file():
    with pytest.raises(BallotFileError, match=re.escape("x.blt: not a UTF-8 text file")):
        count_text("2 1\n\udcff\n", "x.blt", "scottish", 1, "s")


def test_preflib_text_allows_equal_rankings_by_the_names_extension():
    text = "# NUMBER ALTERNATIVES: 2\n# ALTERNATIVE NAME 1: A\n# ALTERNATIVE NAME 2: B\n1: {1,2}\n"
    assert parse_preflib(text, "x.toc").problems.equal_ranking == 1
    with pytest.raises(BallotFileError, match=re.escape("x.soc, line 4: tied alternatives")):
        parse_preflib(text, "x.soc")


def test_pool_and_quotas_parsed_from_text_equal_those_read_from_files(tmp_path: Path):
    pool_file, quotas_file = tmp_path / "pool.csv", tmp_path / "quotas.csv"
    pool_file.write_text("\ufeff" + pool_csv(40, 3, households=True), encoding="utf-8")
    quotas_file.write_text(quotas_csv(8), encoding="utf-8")
    kw = {"household_column": "household", "require_id": True}
    parsed = parse_pool(pool_file.read_text(encoding="utf-8"), str(pool_file), **kw)
    read = read_pool(pool_file, **kw)
    assert (parsed.ids, parsed.features, parsed.values) == (read.ids, read.features, read.values)
    assert (parsed.households, parsed.sha256, parsed.source) == (
        read.households,
        read.sha256,
        read.source,
    )
    assert (parsed.codes == read.codes).all()
    assert parse_quotas(quotas_file.read_text(encoding="utf-8"), "quotas.csv") == read_quotas(
        quotas_file
    )


def test_pool_and_quota_errors_name_the_file_given():
    with pytest.raises(
        BallotFileError, match=re.escape("upload.csv, line 3: column 'id': id '1' repeats")
    ):
        parse_pool("id,a\n1,x\n1,y\n", "upload.csv")
    with pytest.raises(
        BallotFileError, match=re.escape("q.csv, line 2: column 'max': 'x' is not a whole")
    ):
        parse_quotas("feature,value,min,max\na,x,1,x\n", "q.csv")


def test_the_sample_pool_keeps_its_published_sha256():
    pool = read_pool(DATA / "sortition" / "example_small_20" / "respondents.csv", id_column=None)
    text = (DATA / "sortition" / "example_small_20" / "respondents.csv").read_text("utf-8")
    assert pool.sha256 == hashlib.sha256(text.removeprefix("\ufeff").encode()).hexdigest()
