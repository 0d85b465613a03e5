"""`chamber register` and `chamber outbox`: importing the electoral register, exporting the
letters that carry codes by post, and sending the e-mail waiting in the outbox."""

from __future__ import annotations

from dataclasses import astuple
from datetime import UTC, datetime
from pathlib import Path

import typer

from cli.common import DATABASE, app, console, fail

register_app = typer.Typer(help="The electoral register and the codes for claiming it.",
                           no_args_is_help=True)
outbox_app = typer.Typer(help="E-mail waiting to be sent.", no_args_is_help=True)
app.add_typer(register_app, name="register")
app.add_typer(outbox_app, name="outbox")


@register_app.command("import")
def register_import(
    file: Path = typer.Argument(..., help="The register as CSV: elector_number, name, postcode, "
                                "date_of_birth and/or year_of_birth, optionally email."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Only say what would change."),
    database: str | None = DATABASE,
) -> None:
    """Import the whole register: new electors added, changed rows updated (the old rows kept),
    electors missing from FILE marked removed.  A file with any bad row is refused, naming every
    bad row and field, and nothing is stored."""
    from chamber.db import make_engine, perform  # deferred: SQLAlchemy and the chamber
    from chamber.errors import ChamberError
    from chamber.register.services import import_register

    try:
        text = file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise fail(f"{file}: {exc}") from None
    try:
        report = perform(make_engine(database), import_register, file.name, text,
                         datetime.now(UTC), dry_run=dry_run)
    except ChamberError as exc:
        raise fail(str(exc)) from None
    console.print(
        f"{'a dry run (nothing stored): ' if dry_run else ''}{report.rows:,} electors: "
        f"{report.added:,} added, {report.changed:,} changed ({report.restored:,} back on the "
        f"register), {report.removed:,} removed, {report.unchanged:,} unchanged",
        highlight=False,
    )


@register_app.command("letters")
def register_letters(
    out: Path = typer.Argument(..., help="The CSV to write (elector_number, name, postcode, "
                               "code, valid_until)."),
    database: str | None = DATABASE,
) -> None:
    """Write the codes waiting to be posted to OUT; they are then marked posted and no longer
    kept (keep OUT safe until the letters are printed, then delete it)."""
    from chamber.db import make_engine, transaction  # deferred: SQLAlchemy and the chamber
    from chamber.register.claims import export_letters
    from chamber.register.files import letters_csv

    if out.exists():
        raise fail(f"{out} exists: choose a new file (nothing was exported)")
    with transaction(make_engine(database)) as session:
        rows = export_letters(session, datetime.now(UTC))
        try:  # written inside the transaction: if the file cannot be written, nothing is marked
            with out.open("x", encoding="utf-8", newline="") as f:
                f.write(letters_csv([astuple(r) for r in rows]))
        except OSError as exc:
            raise fail(f"{out}: {exc}") from None
    console.print(f"{len(rows):,} letters written to {out}", highlight=False)


@outbox_app.command("send")
def outbox_send(database: str | None = DATABASE) -> None:
    """Send the e-mail waiting in the outbox over SMTP (SMTP_HOST, SMTP_PORT, SMTP_TLS,
    SMTP_USER, SMTP_PASSWORD, SMTP_FROM); the scheduler does it every minute when SMTP_HOST
    is set."""
    from chamber.db import make_engine  # deferred: SQLAlchemy and the chamber
    from chamber.errors import ChamberError
    from chamber.outbox.smtp import send_outbox
    from chamber.settings import settings

    try:
        sent = send_outbox(make_engine(database), settings(), datetime.now(UTC))
    except (ChamberError, OSError) as exc:
        raise fail(str(exc)) from None
    if sent is None:
        raise fail("SMTP_HOST is not set: nothing was sent (the e-mail waits in the outbox)")
    console.print(f"{sent.sent:,} sent, {sent.failed:,} failed (tried again next time)")
    if sent.failed:
        raise typer.Exit(1)
