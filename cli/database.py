"""`chamber db`, `chamber seed`, `chamber audit verify`, `chamber account` and `chamber serve`:
the database, the demonstration chamber, the audit chain, accounts (created, disabled or
enabled, their role or password changed) and the web server.

The chamber's modules are imported inside each command (deferred: SQLAlchemy, the scheduler
and the web server are heavy, and a count or a rota never needs them)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import typer
from typer.core import TyperGroup

from cli.common import DATABASE, app, console, err, fail, styled

db_app = typer.Typer(help="The database schema (alembic migrations).", no_args_is_help=True)
audit_app = typer.Typer(help="The hash-chained audit log.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(audit_app, name="audit")


@db_app.command("upgrade")
def db_upgrade(revision: str = typer.Argument("head"), database: str | None = DATABASE) -> None:
    """Apply the migrations up to REVISION (default: the newest)."""
    from chamber.db import current_revision, make_engine, upgrade  # deferred: SQLAlchemy

    engine = make_engine(database)
    upgrade(engine, revision)
    console.print(f"schema at {current_revision(engine)}")


@db_app.command("downgrade")
def db_downgrade(
    revision: str = typer.Argument(..., help="Target revision, or 'base' to empty the schema."),
    database: str | None = DATABASE,
) -> None:
    """Undo migrations down to REVISION (data in dropped tables is lost)."""
    from chamber.db import current_revision, downgrade, make_engine  # deferred: SQLAlchemy

    engine = make_engine(database)
    downgrade(engine, revision)
    console.print(f"schema at {current_revision(engine) or 'base (empty)'}")


@db_app.command("current")
def db_current(database: str | None = DATABASE) -> None:
    """Print the schema's revision."""
    from chamber.db import current_revision, make_engine  # deferred: SQLAlchemy

    console.print(current_revision(make_engine(database)) or "base (empty)")


@app.command()
def seed(
    demo: bool = typer.Option(False, "--demo", help="Build the demonstration national chamber."),
    database: str | None = DATABASE,
    today: str | None = typer.Option(None, help="Pretend today is YYYY-MM-DD (default: today)."),
    seed_value: int = typer.Option(2027, "--seed", help="The demonstration's random seed."),
) -> None:
    """Fill an empty database (migrating it first).  A database that already holds a chamber
    is refused, so nothing stored is ever overwritten."""
    from chamber.db import make_engine, upgrade  # deferred: SQLAlchemy and the whole chamber
    from chamber.errors import ChamberError
    from chamber.seed import build_demo
    from chamber.settings import settings

    if not demo:
        raise fail("say what to seed: --demo")
    try:
        day = date.fromisoformat(today) if today else datetime.now(UTC).date()
    except ValueError:
        raise fail(f"--today {today!r} is not a date YYYY-MM-DD") from None
    engine = make_engine(database)
    upgrade(engine)
    with err.status("seeding") as status:
        try:
            summary = build_demo(
                engine, today=day, seed=seed_value, config=settings(),
                step=lambda s: status.update(f"seeding {s}"),
            )
        except ChamberError as exc:
            raise fail(str(exc)) from None
    console.print(
        f"seeded {engine.url!s}: {summary.seats} seats, {summary.members:,} members, "
        f"{summary.rotas} rotas published, {summary.sittings} sittings held with "
        f"{summary.divisions} divisions (division {summary.open_division} is open now), "
        f"election {summary.election_id}, a jury of {summary.jury_size}, "
        f"{summary.public_voters} public voters; {summary.breaches} breaches of the invariants",
        highlight=False, soft_wrap=True,
    )
    console.print(
        f"{summary.routed:,} members seated through their routes (party, local, faith, youth, "
        "organisations, the stored jury's first cohorts, crossbench peers; `chamber composition "
        "--filled` says which), the rest invented",
        highlight=False, soft_wrap=True,
    )
    console.print(
        f"the stored jury: /admin/jury/national, its experts' ballot "
        f"/jury/national/experts/ballots/{summary.experts_ballot}; the local health and care "
        "panel: /panels/local-health-panel",
        highlight=False, soft_wrap=True,
    )
    console.print("accounts (passwords shown once; the public may also register):")
    for username, role, password in summary.accounts:
        console.print(f"  {role:14} {username:14} {password}", highlight=False)
    number, postcode, born, code = summary.claim
    console.print(
        f"to register as a citizen at /register: elector number {number}, postcode {postcode}, "
        f"year of birth {born}; then the code {code}",
        highlight=False, soft_wrap=True,
    )


@audit_app.command("verify")
def audit_verify(
    database: str | None = DATABASE,
    head: list[str] = typer.Option(
        [], "--head", help="A head hash kept outside (a copy of a checkpoint); repeatable."
    ),
) -> None:
    """Check the hash chain, its checkpoints and every stored vote, submission (its MAC, with
    the audit key), proxy, division, result, account role and count against it; say where
    anything differs (exit 1), or print the head hash."""
    from chamber.audit.keys import AuditKeyError, existing_audit_key, key_file  # deferred
    from chamber.db import make_engine, read
    from chamber.integrity import verify
    from chamber.settings import settings

    engine = make_engine(database)
    try:
        key = existing_audit_key(settings(), engine.url)
    except AuditKeyError as exc:
        raise fail(str(exc)) from None
    found = read(engine, verify, key, head)
    if found.broken is not None:
        b = found.broken
        err.print(
            styled(
                (f"the audit chain is broken at entry {b.id}", "bold red"),
                f" ({b.kind}, {b.at}): its stored hash does not match its contents and the hash"
                " before it, so it or an earlier entry was altered",
            ),
            highlight=False,
        )
    for problem in found.problems:
        err.print(styled((problem, "bold red")), highlight=False, soft_wrap=True)
    if key is None:
        err.print(
            f"no audit key (AUDIT_KEY, or the file {key_file(settings(), engine.url)})"
            ": the MACs of public submissions and checkpoints were not checked",
            highlight=False, soft_wrap=True,
        )
    for note in found.notes:
        console.print(note, highlight=False, soft_wrap=True)
    if not found.intact:
        raise typer.Exit(1)
    waiting = f"; {found.unchained:,} public votes still to be chained" if found.unchained else ""
    console.print(
        f"the audit chain of {found.entries:,} entries is intact and every stored vote, "
        f"proxy, division, result, account role and count matches it, as do its "
        f"{found.checkpoints:,} checkpoints; head {found.head or '(empty)'}{waiting}",
        highlight=False,
    )


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, min=1, max=65_535, help="Port."),
    workers: int = typer.Option(
        1, min=1, max=64, help="Worker processes (one per core); they share the port."
    ),
) -> None:
    """Serve the web site and API (with the scheduler) on DATABASE_URL."""
    from chamber.settings import settings  # deferred: the web server is heavy
    from web.server import serve as run

    console.print(
        f"serving {settings().database_url} on http://{host}:{port}/"
        + (f" with {workers} workers" if workers > 1 else ""),
        highlight=False,
    )
    run(host, port, workers=workers)


class _AccountGroup(TyperGroup):
    """``chamber account NAME --role ROLE`` (the first form) still creates an account."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["create", *args]
        return super().parse_args(ctx, args)


account_app = typer.Typer(
    cls=_AccountGroup, no_args_is_help=True,
    help="Accounts: create one; disable or enable it, change its role or its password (each "
    "change ends its sessions and is recorded on the audit chain).",
)
app.add_typer(account_app, name="account")
USERNAME = typer.Argument(..., help="The sign-in name.")
MEMBER = typer.Option(None, help="The member id (for a member account).")


@account_app.command("create")
def account(
    username: str = USERNAME,
    role: str = typer.Option(..., help="public, member, clerk or administrator."),
    member: str | None = MEMBER,
    elector: str | None = typer.Option(
        None, help="The elector number (for a public account: bound to that elector, who must "
        "have none; the public usually claim theirs with a code at /register)."
    ),
    database: str | None = DATABASE,
) -> None:
    """Create an account; the password is asked for (twice) and never echoed."""
    from chamber.accounts.services import create_account  # deferred: SQLAlchemy
    from chamber.db import make_engine, perform
    from chamber.errors import ChamberError

    password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    try:
        user = perform(
            make_engine(database), create_account, username, password, role, datetime.now(UTC),
            member_id=member, elector=elector,
        )
    except ChamberError as exc:
        raise fail(str(exc)) from None
    console.print(f"created {user.role} account {user.username!r}", highlight=False)


def _change(
    database: str | None, service: Callable[..., int], *args: Any, **kwargs: Any
) -> int:
    """Run an account change (it ends the account's sessions); returns how many ended."""
    from chamber.db import make_engine, perform  # deferred: SQLAlchemy
    from chamber.errors import ChamberError

    try:
        ended: int = perform(make_engine(database), service, *args, datetime.now(UTC), **kwargs)
    except ChamberError as exc:
        raise fail(str(exc)) from None
    return ended


def _ended(n: int) -> str:
    return f"{n} session{'' if n == 1 else 's'} ended"


@account_app.command("disable")
def account_disable(username: str = USERNAME, database: str | None = DATABASE) -> None:
    """Disable an account (it cannot sign in, and is signed out everywhere)."""
    from chamber.accounts.changes import set_disabled  # deferred: SQLAlchemy

    ended = _change(database, set_disabled, username, True)
    console.print(f"disabled account {username!r}; {_ended(ended)}", highlight=False)


@account_app.command("enable")
def account_enable(username: str = USERNAME, database: str | None = DATABASE) -> None:
    """Enable a disabled account again."""
    from chamber.accounts.changes import set_disabled  # deferred: SQLAlchemy

    ended = _change(database, set_disabled, username, False)
    console.print(f"enabled account {username!r}; {_ended(ended)}", highlight=False)


@account_app.command("role")
def account_role(
    username: str = USERNAME,
    role: str = typer.Argument(..., help="public, member, clerk or administrator."),
    member: str | None = MEMBER,
    database: str | None = DATABASE,
) -> None:
    """Give an account another role (it is signed out everywhere)."""
    from chamber.accounts.changes import set_role  # deferred: SQLAlchemy

    ended = _change(database, set_role, username, role, member_id=member)
    console.print(f"account {username!r} is now {role}; {_ended(ended)}", highlight=False)


@account_app.command("password")
def account_password(username: str = USERNAME, database: str | None = DATABASE) -> None:
    """Change an account's password, asked for twice (it is signed out everywhere)."""
    from chamber.accounts.changes import set_password  # deferred: SQLAlchemy

    password = typer.prompt("new password", hide_input=True, confirmation_prompt=True)
    ended = _change(database, set_password, username, password)
    console.print(f"changed the password of {username!r}; {_ended(ended)}", highlight=False)


@db_app.command("backup")
def db_backup(
    path: str = typer.Argument(..., help="The backup file to write (gzip JSON lines)."),
    database: str | None = DATABASE,
) -> None:
    """Write the whole database to PATH (atomically, with a checksum)."""
    from chamber.backup import backup  # deferred: SQLAlchemy
    from chamber.db import make_engine

    counts = backup(make_engine(database), path)
    console.print(
        f"backed up {sum(counts.values()):,} rows of {len(counts)} tables to {path}",
        highlight=False,
    )


@db_app.command("restore")
def db_restore(
    path: str = typer.Argument(..., help="A file written by `chamber db backup`."),
    database: str | None = DATABASE,
) -> None:
    """Load a backup into an empty database (SQLite or PostgreSQL), in one transaction."""
    from chamber.backup import restore  # deferred: SQLAlchemy
    from chamber.db import make_engine
    from chamber.errors import ChamberError

    try:
        counts = restore(make_engine(database), path)
    except (ChamberError, OSError, ValueError) as exc:
        raise fail(str(exc)) from None
    console.print(
        f"restored {sum(counts.values()):,} rows of {len(counts)} tables from {path}",
        highlight=False,
    )
