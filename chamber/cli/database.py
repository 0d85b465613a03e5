"""`chamber db`, `chamber seed`, `chamber audit verify` and `chamber serve`: the database, the
demonstration chamber, the audit chain and the web server."""

from __future__ import annotations

from datetime import UTC, date, datetime

import typer
from rich.markup import escape
from sqlmodel import Session, col, select

from chamber.cli.common import app, console, err, fail
from chamber.db import current_revision, downgrade, make_engine, upgrade
from chamber.settings import settings

db_app = typer.Typer(help="The database schema (alembic migrations).", no_args_is_help=True)
audit_app = typer.Typer(help="The hash-chained audit log.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(audit_app, name="audit")

DATABASE = typer.Option(None, "--database", help="Database URL (default: DATABASE_URL).")


@db_app.command("upgrade")
def db_upgrade(
    revision: str = typer.Argument("head"), database: str | None = DATABASE
) -> None:
    """Apply the migrations up to REVISION (default: the newest)."""
    engine = make_engine(database)
    upgrade(engine, revision)
    console.print(f"schema at {current_revision(engine)}")


@db_app.command("downgrade")
def db_downgrade(
    revision: str = typer.Argument(..., help="Target revision, or 'base' to empty the schema."),
    database: str | None = DATABASE,
) -> None:
    """Undo migrations down to REVISION (data in dropped tables is lost)."""
    engine = make_engine(database)
    downgrade(engine, revision)
    console.print(f"schema at {current_revision(engine) or 'base (empty)'}")


@db_app.command("current")
def db_current(database: str | None = DATABASE) -> None:
    """Print the schema's revision."""
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
    from chamber.seed import build_demo
    from chamber.voting import VotingError

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
                engine, today=day, seed=seed_value, step=lambda s: status.update(f"seeding {s}")
            )
        except VotingError as exc:
            raise fail(str(exc)) from None
    console.print(
        f"seeded {escape(str(engine.url))}: {summary.seats} seats, {summary.members:,} members, "
        f"{len(summary.rota_ids)} fortnights of rota, {summary.sittings} sittings with debates, "
        f"election {summary.election_id}, a jury of {summary.jury_size}, divisions "
        f"{', '.join(map(str, summary.divisions))} (division {summary.open_division} is open), "
        f"{summary.public_voters} public voters"
    )
    console.print("accounts (passwords shown once; the public may also register):")
    for username, role, password in summary.accounts:
        console.print(f"  {role:14} {username:14} {password}", highlight=False)


@audit_app.command("verify")
def audit_verify(database: str | None = DATABASE) -> None:
    """Check the hash chain, and every stored vote, result and count against it; say where
    anything differs (exit 1), or print the head hash."""
    from chamber.divisions.models import AuditEntry, PublicSubmission
    from chamber.divisions.services import audit_problems
    from chamber.records import election_problems

    engine = make_engine(database)
    broken, problems = audit_problems(engine)
    problems += election_problems(engine)
    with Session(engine) as session:
        count = len(session.exec(select(AuditEntry.id)).all())
        pending = len(
            session.exec(
                select(PublicSubmission.id).where(col(PublicSubmission.audit_id).is_(None))
            ).all()
        )
        if broken is not None:
            entry = session.get(AuditEntry, broken)
            assert entry is not None
            err.print(
                f"[bold red]the audit chain is broken at entry {broken}[/] ({escape(entry.kind)}, "
                f"{entry.at.isoformat()}): its stored hash does not match its contents and the "
                "hash before it, so it or an earlier entry was altered",
                highlight=False,
            )
        for problem in problems:
            err.print(f"[bold red]{escape(problem)}[/]", highlight=False)
        if broken is not None or problems:
            raise typer.Exit(1)
        head = session.exec(
            select(AuditEntry.hash).order_by(col(AuditEntry.id).desc()).limit(1)
        ).first()
    waiting = f"; {pending:,} public votes still to be chained" if pending else ""
    console.print(
        f"the audit chain of {count:,} entries is intact and every stored vote, result and "
        f"count matches it; head {head or '(empty)'}{waiting}"
    )


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port."),
    workers: int = typer.Option(
        1, min=1, help="Worker processes (one per core); they share the port (SO_REUSEPORT)."
    ),
) -> None:
    """Serve the web site and API (with the scheduler) on DATABASE_URL."""
    from web.server import serve as run

    console.print(
        f"serving {escape(settings().database_url)} on http://{host}:{port}/"
        + (f" with {workers} workers" if workers > 1 else "")
    )
    run(host, port, workers=workers)


@app.command("account")
def account(
    username: str = typer.Argument(..., help="The sign-in name."),
    role: str = typer.Option(..., help="public, member, clerk or administrator."),
    member: str | None = typer.Option(None, help="The member id (for a member account)."),
    database: str | None = DATABASE,
) -> None:
    """Create an account; the password is asked for (twice) and never echoed."""
    from chamber.accounts import create_account
    from chamber.voting import VotingError

    password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    try:
        user = create_account(
            make_engine(database), username, password, role, datetime.now(UTC), member_id=member
        )
    except VotingError as exc:
        raise fail(str(exc)) from None
    console.print(f"created {user.role} account {user.username!r}")


@db_app.command("backup")
def db_backup(
    path: str = typer.Argument(..., help="The backup file to write (gzip JSON lines)."),
    database: str | None = DATABASE,
) -> None:
    """Write the whole database to PATH (atomically, with a checksum)."""
    from chamber.backup import backup

    counts = backup(make_engine(database), path)
    console.print(f"backed up {sum(counts.values()):,} rows of {len(counts)} tables to {path}")


@db_app.command("restore")
def db_restore(
    path: str = typer.Argument(..., help="A file written by `chamber db backup`."),
    database: str | None = DATABASE,
) -> None:
    """Load a backup into an empty database (SQLite or PostgreSQL), in one transaction."""
    from chamber.backup import restore
    from chamber.voting import VotingError

    try:
        counts = restore(make_engine(database), path)
    except (VotingError, OSError, ValueError) as exc:
        raise fail(str(exc)) from None
    console.print(f"restored {sum(counts.values()):,} rows of {len(counts)} tables from {path}")
