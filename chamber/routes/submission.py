"""Reading a party's delegation from its files (a folder on the command line, uploaded files on
the site): ``peers.csv`` (its life peers taking up their claim), ``nominated.csv`` and
``indirect.csv`` (``name[,detail]``: the body that elected), ``members.blt`` (the members'
ballot; ``.csv`` or ``.soc`` as well) and ``primaries.csv`` (``constituency,file,held_on``)
naming one ballot file for each open primary.  Any may be left out; a file the listing names
that was not given, or a bad cell, names the file, line and column."""

from __future__ import annotations

from collections.abc import Mapping

from chamber.routes import csvrows
from chamber.routes.delegation import Ballots, Delegation, Named, Primary
from electoral.errors import BallotFileError

LISTS = ("peers.csv", "nominated.csv", "indirect.csv")
MEMBERS = ("members.blt", "members.csv", "members.soc")
PRIMARIES = "primaries.csv"


def _named(files: Mapping[str, str], name: str) -> tuple[Named, ...]:
    if name not in files:
        return ()
    return tuple(Named(c["name"], c.get("detail") or c.get("body") or "")
                 for _, c in csvrows.names(files[name], name))


def read_submission(party: str, files: Mapping[str, str]) -> Delegation:
    """A party's delegation from its files (file name -> text)."""
    primaries: list[Primary] = []
    if PRIMARIES in files:
        for line, c in csvrows.rows(files[PRIMARIES], PRIMARIES,
                                    ("constituency", "file", "held_on")):
            held = csvrows.day(c, "held_on", PRIMARIES, line)
            assert held is not None
            if c["file"] not in files:
                raise BallotFileError(PRIMARIES, line, f"column 'file': {c['file']!r} was not "
                                      "given with the submission")
            primaries.append(Primary(c["constituency"], Ballots(c["file"], files[c["file"]]),
                                     held))
    members = next((Ballots(m, files[m]) for m in MEMBERS if m in files), None)
    return Delegation(
        party, tuple(n.name for n in _named(files, "peers.csv")), _named(files, "nominated.csv"),
        _named(files, "indirect.csv"), members, tuple(primaries),
    )
