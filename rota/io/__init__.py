"""Rota files: members, availability and history read from CSV; a solved rota written as CSV,
JSON and per-member iCalendar (.ics, with the VTIMEZONE of :mod:`rota.io.vtimezone`), and read
back.

Every CSV file has one header row; column names are case-insensitive; other columns are ignored;
blank lines and lines starting with ``#`` are skipped.  The formats: members and history in
:mod:`rota.io.problem`, availability in :mod:`rota.io.availability`, a solved rota's rows in
:mod:`rota.io.rows`, the saved JSON in :mod:`rota.io.saved`.  Every error in an input file is a
:class:`RotaFileError` naming the file, the line and the column.
"""

from __future__ import annotations

from rota.io.availability import DATE_HELP, KINDS, WEEKDAYS, Availability, read_availability
from rota.io.member import (
    PRODID,
    MemberRecord,
    MemberView,
    SharerRecord,
    member_ics,
    member_view,
)
from rota.io.problem import (
    CYCLES,
    History,
    load_problem,
    problem_from_files,
    read_history,
    read_members,
)
from rota.io.rows import (
    LONDON,
    ROW_FIELDS,
    RotaRow,
    SlotRecord,
    read_rota_csv,
    rota_rows,
    slot_dict,
    write_rota_csv,
)
from rota.io.saved import (
    JSON_FORMAT,
    JSON_VERSION,
    READ_VERSIONS,
    SavedRota,
    load_saved,
    members_digest,
    read_rota_json,
    rota_from_json,
    rota_json,
    saved_rota,
)
from rota.io.table import SESSION_CODES, PathLike, RotaFileError
from rota.io.vtimezone import vtimezone

__all__ = [
    "CYCLES",
    "DATE_HELP",
    "JSON_FORMAT",
    "JSON_VERSION",
    "KINDS",
    "LONDON",
    "PRODID",
    "READ_VERSIONS",
    "ROW_FIELDS",
    "SESSION_CODES",
    "WEEKDAYS",
    "Availability",
    "History",
    "MemberRecord",
    "MemberView",
    "PathLike",
    "RotaFileError",
    "RotaRow",
    "SavedRota",
    "SharerRecord",
    "SlotRecord",
    "load_problem",
    "load_saved",
    "member_ics",
    "member_view",
    "members_digest",
    "problem_from_files",
    "read_availability",
    "read_history",
    "read_members",
    "read_rota_csv",
    "read_rota_json",
    "rota_from_json",
    "rota_json",
    "rota_rows",
    "saved_rota",
    "slot_dict",
    "vtimezone",
    "write_rota_csv",
]
