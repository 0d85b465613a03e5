"""The fast path of the BLT reader: a plain ballot block read in numpy, whole.

Most BLT files (every Scottish ward's, every generated election's) are a header, lines of
``weight id id ... 0`` and the names.  Such a block is read here as bytes, without a Python loop
per line: 1,000,000 ballot lines in well under a second, where the line-by-line reader takes
seconds.  Anything else (comments, options, withdrawn candidates, ballot ids, equal rankings,
skipped ranks, a candidate named twice, an empty ballot, a number of more than ten digits, a
weight beyond `MAX_BALLOTS`, any error) makes :func:`plain_block` return ``None`` and the
line-by-line reader reads the file, so that every error still names the file, the line and the
field exactly as before (a weight is refused by :func:`electoral.bounds.whole_number` there, never
wrapped round in 64 bits here), and every irregularity is reported the same way.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from electoral.ballots.rows import has_repeats, merge_identical
from electoral.bounds import MAX_BALLOTS

_HEADER = re.compile(r"\A(?:[ \t]*\r?\n)*[ \t]*([0-9]+)[ \t]+([0-9]+)[ \t]*\r?\n")
_END = re.compile(r"\n[ \t]*0[ \t]*(?:\r?\n|\r?\Z)")
# Longer numbers are read the slow way: ten digits are far inside int64, and a weight beyond
# MAX_BALLOTS (ten digits at most) is refused there, naming its line.
_DIGITS = len(str(MAX_BALLOTS))
_MOST_CANDIDATES = int(np.iinfo(np.int16).max)  # candidate indices are held in int16
# The kind of each byte: 0 a digit, 1 a space or tab, 2 a newline, 3 anything else.
_KIND = bytes(0 if 48 <= c <= 57 else 1 if c in b" \t" else 2 if c == 10 else 3 for c in range(256))

Ints = NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class PlainBlock:
    """A plain ballot block read whole: the unique rankings (candidate indices, -1 padded) and
    their weights, in the order first seen; where the names begin and on which line."""

    candidates: int
    seats: int
    rankings: NDArray[np.int16]
    weights: Ints
    names_at: int
    names_line: int


def plain_block(text: str) -> PlainBlock | None:
    """Read the header and ballot block of a BLT file's text if they are plain; else ``None``."""
    header = _HEADER.match(text)
    if header is None or max(len(header.group(1)), len(header.group(2))) > _DIGITS:
        return None
    ncand, seats = int(header.group(1)), int(header.group(2))
    end = _END.search(text, header.end() - 1)
    if not 1 <= ncand <= _MOST_CANDIDATES or seats < 1 or end is None:
        return None
    block = text[header.end() : end.start() + 1]
    if "\r" in block:
        if block.count("\r") != block.count("\r\n"):
            return None
        block = block.replace("\r\n", "\n")
    if not block.isascii() or not block.strip():
        return None
    ballots = _ballot_lines(block, ncand)
    if ballots is None:
        return None
    return PlainBlock(ncand, seats, *ballots, end.end(), text.count("\n", 0, end.end()) + 1)


def _ballot_lines(block: str, ncand: int) -> tuple[NDArray[np.int16], Ints] | None:
    """The unique rankings (candidate indices, -1 padded) and their weights, in the order first
    seen, or ``None`` unless every non-blank line is a weight of at least 1, known candidate
    ids, none twice, and the terminating 0 (the line reader then finds what is wrong, or reads
    what is unusual).  Each distinct line is read once: most lines of a large file repeat."""
    times = Counter(block.split("\n"))
    distinct = "\n".join(times) + "\n"
    data = distinct.encode("ascii")
    kinds = data.translate(_KIND)
    if b"\x03" in kinds:
        return None
    raw = np.frombuffer(data, dtype=np.uint8)
    kind = np.frombuffer(kinds, dtype=np.uint8)
    newline = np.flatnonzero(kind == 2)
    before = kind[newline - 1]
    if np.any(before == 1):
        return None  # trailing blanks: rare, and simplest read line by line
    digit = np.concatenate(([0], (kind == 0).view(np.int8), [0]))
    edges = np.diff(digit)
    if int((np.flatnonzero(edges == -1) - np.flatnonzero(edges == 1)).max(initial=0)) > _DIGITS:
        return None  # a number too long for int64, or beyond the bound: named line by line
    cast = np.flatnonzero(before == 0)  # the lines with something on them end in a digit
    ended = newline[cast]
    values = np.fromstring(distinct, dtype=np.int64, sep=" ")
    zero = np.flatnonzero(values == 0)
    # Every line ends in the number 0 and holds no other 0: then 0s end ballots, and nothing
    # but whole lines are ballots.
    if zero.size != ended.size or zero.size == 0 or zero[-1] != values.size - 1:
        return None
    if np.any(raw[ended - 1] != ord("0")) or np.any(kind[ended - 2] == 0):
        return None  # a line ends in another number than 0
    first = np.concatenate(([0], zero[:-1] + 1))
    length = zero - first - 1  # preferences on each ballot
    weights = values[first]
    if int(length.min()) < 1 or int(weights.max()) > MAX_BALLOTS:
        return None
    values[first] = 0
    ids = values[values > 0]
    if int(ids.max()) > ncand:
        return None
    matrix = np.full((first.size, int(length.max())), -1, dtype=np.int16)
    matrix[np.arange(matrix.shape[1])[None, :] < length[:, None]] = ids - 1
    repeated = np.fromiter(times.values(), dtype=np.int64, count=len(times))[cast]
    rankings, totals = merge_identical(matrix, weights * repeated, ncand, first_seen=True)
    if has_repeats(rankings, ncand):
        return None
    return rankings, totals
