"""The fast path of the BLT reader: a plain ballot block read in numpy, whole.

Most BLT files (every Scottish ward's, every generated election's) are a header, lines of
``weight id id ... 0`` and the names.  Such a block is read here as bytes with no Python loop per
line or per number: the numbers are found and read digit by digit over the whole block at once,
each line's ranking is packed into exact 64-bit keys, and identical rankings are merged through a
hash table (no sort), so that 1,000,000 ballot lines take a fraction of a second where the
line-by-line reader takes seconds.  Anything else (comments, options, withdrawn candidates, ballot
ids, equal rankings, skipped ranks, a candidate named twice, an empty ballot, a number of more
than ten digits, a weight beyond `MAX_BALLOTS`, any error) makes :func:`plain_block` return
``None`` and the line-by-line reader reads the file, so that every error still names the file,
the line and the field exactly as before (a weight is refused by
:func:`electoral.bounds.whole_number` there, never wrapped round in 64 bits here), and every
irregularity is reported the same way.
"""

from __future__ import annotations

import re
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
_SPREAD = np.uint64(0x9E3779B97F4A7C15)  # odd: multiplying by it mixes a key's bits upwards
_ZERO = ord("0")
_FEW_LINES = 20_000  # below this merging repeated lines saves less than it costs
_ALL = np.uint64(0xFFFFFFFFFFFFFFFF)

Ints = NDArray[np.int64]
Index = NDArray[np.intp]


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
    if not 1 <= ncand <= _MOST_CANDIDATES or seats < 1:
        return None
    end = _end_line(text, header.end() - 1)
    if end is None:
        return None
    block = text[header.end() : end.start() + 1]
    if not block.isascii():
        return None
    data = block.encode("ascii")
    if b"\r" in data:
        data = data.replace(b"\r\n", b"\n")
        if b"\r" in data:
            return None
    ballots = _ballot_lines(data, ncand)
    if ballots is None:
        return None
    rankings, weights, newlines = ballots
    lines = header.group(0).count("\n") + newlines + end.group(0).count("\n")
    return PlainBlock(ncand, seats, rankings, weights, end.end(), lines)


def _end_line(text: str, start: int) -> re.Match[str] | None:
    """The end-of-ballots line ``0``: looked for from the end of the file, where it is near
    (after it come only the names), and else from the start.  Found from the end it may be a
    later ``0`` line than the first; then the block holds the first, which is no plain ballot
    (a line of one number), so that the line reader reads the file."""
    hi = len(text)
    while (at := text.rfind("\n0", start, hi)) >= 0:
        if found := _END.match(text, at):
            return found
        hi = at + 1
    return _END.search(text, start)


def _ballot_lines(data: bytes, ncand: int) -> tuple[NDArray[np.int16], Ints, int] | None:
    """The unique rankings (candidate indices, -1 padded) and their weights, in the order first
    seen, and the number of lines in the block; ``None`` unless every line is blank or a weight
    of at least 1, known candidate ids, none twice, and the terminating 0 (the line reader then
    finds what is wrong, or reads what is unusual).  Each distinct line is read once: most
    lines of a large file repeat."""
    if not data:
        return None
    lines = _distinct_lines(data)
    if lines is None:
        return None
    distinct, times = lines
    kinds = distinct.translate(_KIND)
    if b"\x03" in kinds:
        return None
    raw = np.frombuffer(distinct, dtype=np.uint8)
    kind = np.frombuffer(kinds, dtype=np.uint8)
    # where each number starts and ends: the edges of the runs of digits
    digit = kind == 0
    edges = _where(digit[1:] != digit[:-1]) + 1  # the block ends in a newline
    if digit[0]:
        edges = np.concatenate(([0], edges))
    starts, ends = edges[0::2], edges[1::2]
    if starts.size == 0:
        return None
    digits = ends - starts
    values = _numbers(raw, starts, digits)
    if values is None:
        return None
    last, line = _line_ends(kind, times.size, starts, ends)
    first = np.empty_like(last)
    first[0] = 0
    first[1:] = last[:-1] + 1
    weights = values[first]
    length = last - first - 1  # preferences on each ballot
    # Every line ends in 0, begins with a weight of at least 1, and holds no other 0.
    if int(length.min()) < 1 or int(weights.min()) < 1 or int(weights.max()) > MAX_BALLOTS:
        return None
    if values[last].any() or np.count_nonzero(values) != values.size - last.size:
        return None
    if (digits[last] != 1).any():
        return None  # a terminator written 00: not the 0 that ends a ballot
    values[first] = 0
    if int(values.max()) > ncand:
        return None
    if ncand < 64 and _named_twice(values, first, length):
        return None
    columns = _keys(values, first, last, length, ncand)
    mixed = columns[0].copy()
    for column in columns[1:]:
        mixed = (mixed * _SPREAD) ^ column
    same = _first_alike(mixed)
    cast = weights * times[line]
    if _exact(same, columns):
        kept = same == np.arange(same.size)
        if kept.all():
            totals, prefs, length_kept = cast, values[values > 0], length
        else:
            totals = np.zeros(int(np.count_nonzero(kept)), dtype=np.int64)
            np.add.at(totals, (np.cumsum(kept) - 1)[same], cast)
            prefs = values[(values > 0) & np.repeat(kept, length + 2)]
            length_kept = length[kept]
        rankings = _matrix(prefs, length_kept)
    else:  # two rankings share a hash: merged by sorting instead
        rankings, totals = merge_identical(
            _matrix(values[values > 0], length), cast, ncand, first_seen=True
        )
    if ncand >= 64 and has_repeats(rankings, ncand):
        return None
    return rankings, totals, int(times.sum())


def _named_twice(values: Ints, first: Index, length: Index) -> bool:
    """Whether a line names a candidate twice (at most 63 candidates): a bit per candidate, OR'd
    over the line, has fewer bits set than the line has preferences."""
    marks = np.left_shift(np.uint64(1), values.astype(np.uint64)) & ~np.uint64(1)
    return bool((np.bitwise_count(np.bitwise_or.reduceat(marks, first)) != length).any())


def _distinct_lines(data: bytes) -> tuple[bytes, Ints] | None:
    """The distinct lines of ``data`` (each with its newline) in the order first seen, and how
    many times each occurs: through a hash table in numpy (:func:`_hashed_lines`) for a large
    file; a ward's few lines are read as they are, each once."""
    lines = data.count(b"\n")
    if lines > _FEW_LINES:
        return _hashed_lines(data)
    return data, np.ones(lines, dtype=np.int64)


def _hashed_lines(data: bytes) -> tuple[bytes, Ints] | None:
    """The distinct lines of ``data`` and how many times each occurs, as
    :func:`_distinct_lines`; ``None`` if two different lines share a hash (never seen, but then
    the line reader reads the file).

    A line is read as 64-bit words at any byte offset: its first 8 bytes and its last 8 (the
    bytes past the end of a shorter line masked off), and every 8 bytes between; two lines are
    the same if their lengths and these words are."""
    raw = np.frombuffer(data, dtype=np.uint8)
    ends = _where(raw == 10) + 1
    begins = np.empty_like(ends)
    begins[0] = 0
    begins[1:] = ends[:-1]
    size = ends - begins
    at_any = np.ndarray((len(data) + 1,), dtype="<u8", buffer=data + bytes(8), strides=(1,))
    mask = _ALL >> (np.uint64(64) - np.minimum(size, 8).astype(np.uint64) * np.uint64(8))
    head = at_any[begins] & mask
    tail = at_any[np.maximum(ends - 8, begins)] & mask
    mixed = ((size.astype(np.uint64) * _SPREAD) ^ head) * _SPREAD ^ tail
    middle = []  # where lines have 8 bytes between their head and tail
    rows = _where(size > 16)
    offset = 8
    while rows.size:
        middle.append(offset)
        mixed[rows] = (mixed[rows] * _SPREAD) ^ at_any[begins[rows] + offset]
        offset += 8
        rows = rows[size[rows] > offset + 8]
    same = _first_alike(mixed)
    moved = _where(same != np.arange(same.size))
    to = same[moved]
    if not all(np.array_equal(column[moved], column[to]) for column in (size, head, tail)):
        return None
    for offset in middle:
        both = _where(size[moved] > offset + 8)
        if not np.array_equal(
            at_any[begins[moved[both]] + offset], at_any[begins[to[both]] + offset]
        ):
            return None
    kept = same == np.arange(same.size)
    times = np.bincount(np.cumsum(kept)[same] - 1)
    if moved.size == 0:
        return data, times
    return raw[np.repeat(kept, size)].tobytes(), times


def _numbers(raw: NDArray[np.uint8], starts: Index, length: Index) -> NDArray[np.int64] | None:
    """The value of each run of digits, read a digit at a time across all runs; ``None`` for a
    run of more than ten digits (read line by line, where it is refused by name)."""
    most = int(length.max())
    if most > _DIGITS:
        return None
    # nine digits fit in 32 bits, which halves the memory touched
    values: NDArray[np.signedinteger] = raw[starts].astype(np.int64 if most > 9 else np.int32)
    values -= _ZERO
    longer = _where(length > 1)
    for digit in range(1, most):
        if digit > 1:
            longer = longer[length[longer] > digit]
        values[longer] = values[longer] * 10 + (raw[starts[longer] + digit] - _ZERO)
    return values.astype(np.int64, copy=False)


def _line_ends(
    kind: NDArray[np.uint8], lines: int, starts: Index, ends: Index
) -> tuple[Index, Index]:
    """The index of the last number of each line that holds one, and which line that is.  When
    every line holds a number and ends right after it (no blank line, no trailing blank), the
    numbers followed by a newline; otherwise the numbers after which the count of newlines so
    far goes up."""
    last = _where(kind[ends] == 2)
    if last.size == lines:
        return last, np.arange(lines)
    line = np.cumsum(kind == 2)[starts]
    last = _where(np.append(line[1:] != line[:-1], True))
    return last, line[last]


def _keys(
    values: Ints, first: Index, last: Index, length: Index, ncand: int
) -> list[NDArray[np.uint64]]:
    """Each line's ranking as exact 64-bit words, ``bits`` per preference (candidate id, or 0
    for none), a column of words per ``64 // bits`` preferences; the weight and the terminator
    count as 0."""
    bits = max(int(ncand).bit_length(), 1)
    per_word = 64 // bits
    words = -(-int(length.max()) // per_word)
    # the position of each number in its line, less one: the weight is -1, the terminator last
    step = np.ones(values.size, dtype=np.int32)
    step[first[1:]] = first[:-1] - last[:-1]
    place = np.cumsum(step, dtype=np.int32)
    place -= 1  # the weight at 0, the first preference at 1
    # the shift of each place in its word (the weight's value is 0: any shift does)
    shift = (np.arange(int(length.max()) + 2) + per_word - 1) % per_word * bits
    packed = values.astype(np.uint64) << shift.astype(np.uint64)[place]
    if words == 1:
        return [np.add.reduceat(packed, first)]
    keys = np.zeros((words, first.size), dtype=np.uint64)
    later = place > per_word
    keys[0] = np.add.reduceat(np.where(later, np.uint64(0), packed), first)
    spill = _where(later & (values > 0))
    line = np.searchsorted(first, spill, side="right") - 1
    np.add.at(keys, ((place[spill] - 1) // per_word, line), packed[spill])
    return list(keys)


def _first_alike(mixed: NDArray[np.uint64]) -> Index:
    """For each hash in ``mixed``, the index of its first occurrence: a hash table filled by
    ``minimum.at`` (each slot keeps the first row that falls in it), then, for the rows whose
    slot went to another hash, again with a fresh table, until none is left.  Linear time where
    sorting a million rows would take several times longer."""
    n = mixed.size
    if n <= _FEW_LINES:  # a few: a dictionary, or none at all when no two are alike
        hashes = mixed.tolist()
        if len(set(hashes)) == n:
            return np.arange(n)
        seen: dict[int, int] = {}
        return np.array([seen.setdefault(h, i) for i, h in enumerate(hashes)], dtype=np.intp)
    bits = min(max(int(n).bit_length() + 1, 4), 62)
    table = np.empty(1 << bits, dtype=np.int32 if n < 2**31 else np.int64)
    shift = np.uint64(64 - bits)
    todo = np.arange(n, dtype=table.dtype)
    hashes = mixed
    first = np.empty(n, dtype=np.intp)
    salt = 0
    while todo.size:
        table.fill(n)
        slot = hashes ^ np.uint64(salt) if salt else hashes.copy()
        slot *= _SPREAD
        slot >>= shift
        where = slot.view(np.int64)  # below 2**62: the same numbers
        np.minimum.at(table, where, todo)
        holder = table[where]
        same = mixed[holder] == hashes
        if salt:
            first[todo[same]] = holder[same]
            todo = todo[~same]
        else:  # the first round settles most rows: the rest are written again later
            first[:] = holder
            todo = _where(~same).astype(table.dtype)
        hashes = mixed[todo]
        salt = (salt + 0x5851F42D4C957F2D) % 2**64
    return first


def _exact(same: Index, columns: list[NDArray[np.uint64]]) -> bool:
    """Whether every row equals, column by column, the row ``same`` says is its first."""
    moved = _where(same != np.arange(same.size))
    if moved.size == 0:
        return True
    to = same[moved]
    return all(np.array_equal(column[moved], column[to]) for column in columns)


def _matrix(prefs: Ints, length: Index) -> NDArray[np.int16]:
    """Rankings of ``length`` preferences each, given one after another as candidate ids from
    1, as candidate indices, -1 padded on the right."""
    matrix = np.full((length.size, int(length.max())), -1, dtype=np.int16)
    matrix[np.arange(matrix.shape[1])[None, :] < length[:, None]] = prefs - 1
    return matrix


def _where(mask: NDArray[np.bool_]) -> Index:
    """``np.flatnonzero`` of a 1-d mask, without its wrapper (a ward's file calls it often)."""
    found: Index = mask.nonzero()[0]
    return found
