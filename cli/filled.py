"""`chamber composition --filled`: how many of each share's places are filled, by which route,
and what is missing (the routes' read model `chamber.routes.views.filled`)."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from datetime import date

from rich.table import Table
from rich.text import Text

from cli.common import console, fail


def report(body: str, on: str | None, database: str | None, fmt: str) -> None:
    from chamber.clock import london, now  # deferred: SQLAlchemy and the whole chamber
    from chamber.db import make_engine, read, upgrade
    from chamber.errors import ChamberError
    from chamber.routes.views import filled

    try:
        day = date.fromisoformat(on) if on else london(now()).date()
    except ValueError:
        raise fail(f"--on {on!r} is not a date YYYY-MM-DD") from None
    engine = make_engine(database)
    upgrade(engine)
    try:
        found = read(engine, filled, body, day)
    except ChamberError as exc:
        raise fail(str(exc)) from None
    finally:
        engine.dispose()
    if fmt == "json":
        sys.stdout.write(json.dumps(asdict(found), indent=2, default=str,
                                    ensure_ascii=False) + "\n")
        return
    places = sum(s.places for s in found.shares)
    routed = sum(s.routed for s in found.shares)
    table = Table(title=f"{body} on {day}: {routed:,} of {places:,} places filled by a route")
    for column in ("share", "places", "by route", "how", "no route", "empty"):
        table.add_column(column, justify="right" if column in ("places", "by route", "no route",
                                                               "empty") else "left")
    for s in found.shares:
        how = "; ".join(f"{r}/{w} {n:,}" for r, w, n in s.by_route)
        table.add_row(Text(s.title), f"{s.places:,}", f"{s.routed:,}", Text(how),
                      f"{s.unrouted:,}", f"{s.empty:,}")
    console.print(table)
    for s in found.shares:
        for missing in s.missing:
            console.print(Text(f"  {s.title}: {missing}"), highlight=False)
