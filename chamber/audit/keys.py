"""The audit key: a secret kept outside the database (the environment, or a file made on first
use), and the MACs it makes.  Each public submission carries a MAC over its fields, so a row
written straight into the database is not chained by the sequencer and is reported by
`chamber audit verify` as forged; each checkpoint of the chain's head carries one too.

Someone with the database alone cannot make a valid MAC; someone with the key as well can
(docs/reliability.md states what each check proves).
"""

from __future__ import annotations

import contextlib
import hmac
import os
import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.engine import URL, make_url

from chamber.clock import aware
from chamber.settings import Settings

MIN_LENGTH = 32
DEFAULT_FILE = "chamber.audit-key"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class AuditKeyError(ValueError):
    """The audit key is too short, or its file cannot be read or made."""


def key_file(config: Settings, database_url: str | URL | None = None) -> Path:
    """Where the audit key is kept: ``audit_key_file``, else beside the SQLite database, else
    ``chamber.audit-key`` in the working directory."""
    if config.audit_key_file:
        return Path(config.audit_key_file)
    url = make_url(str(database_url or config.database_url))
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(f"{url.database}.audit-key")
    return Path(DEFAULT_FILE)


def _checked(key: str, where: str) -> bytes:
    key = key.strip()
    if len(key) < MIN_LENGTH:
        raise AuditKeyError(f"the audit key ({where}) must be at least {MIN_LENGTH} characters")
    return key.encode()


def existing_audit_key(config: Settings, database_url: str | URL | None = None) -> bytes | None:
    """The deployment's audit key (``AUDIT_KEY``, or its file), or None when there is none yet."""
    if config.audit_key:
        return _checked(config.audit_key, "AUDIT_KEY")
    path = key_file(config, database_url)
    try:
        text = path.read_text(encoding="ascii")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise AuditKeyError(f"cannot read the audit key file {path}: {exc}") from None
    return _checked(text, str(path))


def audit_key(config: Settings, database_url: str | URL | None = None) -> bytes:
    """The deployment's audit key, its file made (mode 0600, 256 random bits) on first use.
    Two processes starting at once make one key: the file appears whole or not at all (a
    temporary file linked into place), and the loser reads the winner's."""
    found = existing_audit_key(config, database_url)
    if found is not None:
        return found
    path = key_file(config, database_url)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(secrets.token_hex(32) + "\n")
            out.flush()
            os.fsync(out.fileno())
        with contextlib.suppress(FileExistsError):  # another made it first: read theirs
            os.link(temporary, path)
    except OSError as exc:
        raise AuditKeyError(f"cannot make the audit key file {path}: {exc}") from None
    finally:
        temporary.unlink(missing_ok=True)
    made = existing_audit_key(config, database_url)
    assert made is not None
    return made


def microseconds(moment: datetime) -> int:
    """An instant as whole microseconds since 1970 (UTC): the same on every database."""
    return (aware(moment) - _EPOCH) // timedelta(microseconds=1)


def _mac(key: bytes, *fields: object) -> str:
    return hmac.digest(key, "|".join(map(str, fields)).encode(), "sha256").hex()


def submission_mac(
    key: bytes, division: int, voter: int, option: int, number: int, receipt: str, at: datetime
) -> str:
    """The MAC of a public submission: HMAC-SHA256 over its division, voter, option, number,
    receipt and time."""
    return _mac(key, "public submission", division, voter, option, number, receipt,
                microseconds(at))


def submission_mac_ok(key: bytes, row: Any) -> bool:
    """Whether a stored submission (a `PublicSubmission` or a row with its columns) carries
    the MAC of its fields under ``key``."""
    if not row.mac:
        return False
    expected = submission_mac(
        key, row.division_id, row.voter_id, row.option, row.number, row.receipt, row.at
    )
    return hmac.compare_digest(expected, str(row.mac))


def checkpoint_mac(key: bytes, length: int, head: str, at: datetime, reason: str) -> str:
    """The MAC of a checkpoint: the chain had ``length`` entries, the last ``head``, at ``at``."""
    return _mac(key, "checkpoint", length, head, microseconds(at), reason)
