"""`lantern adapt KIND FILE`: the command, kept here so that the root CLI only registers it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from lantern.audit.service import Actor

Kind = Literal["police", "probation", "school", "hospital"]


def adapt(
    kind: Annotated[Kind, typer.Argument(help="Layout: police, probation, school or hospital")],
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    agency_user: Annotated[
        str | None, typer.Option(help="Store as this user of the agency (default: the system, as lantern ingest)")
    ] = None,
    rejects: Annotated[Path | None, typer.Option(help="Reject report CSV (default: FILE.rejects.csv)")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Map and check everything, store nothing")] = False,
) -> None:
    """Map an agency's own export (docs/adapters.md) to canonical events and store them; every row
    that cannot be stored is listed in the reject report with its row, column and reason."""
    from lantern.adapters import ADAPTERS, flows, reading
    from lantern.cli import _progress, _settings, console
    from lantern.db.engine import make_engine, make_session_factory

    try:
        reading.check_readable(file)
    except reading.UnreadableFile as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from None
    adapter, settings = ADAPTERS[kind], _settings()
    factory = make_session_factory(make_engine(settings.database_url))
    actor = _actor(factory, agency_user, default=f"cli:adapt:{file.name}", agency=adapter.agency)
    reject_path = rejects or file.with_name(file.name + ".rejects.csv")
    with _progress() as progress, reject_path.open("w", newline="", encoding="utf-8") as out:
        task = progress.add_task(f"{'Checking' if dry_run else 'Adapting'} {file.name}", total=reading.count_rows(file))
        summary = flows.adapt_file(
            session_factory=factory,
            adapter=adapter,
            path=file,
            actor=actor,
            rejects=out,
            max_bytes=settings.max_event_bytes,
            dry_run=dry_run,
            on_progress=lambda n: progress.advance(task, n),
        )
    console.print(
        f"{'dry run: nothing stored; ' if dry_run else ''}rows={summary.rows} accepted={summary.accepted} "
        f"duplicates={summary.duplicates} rejected_rows={summary.rejected_rows} without_events={summary.without_events}"
    )
    if summary.ignored_columns:
        console.print(
            f"[yellow]Columns not in the {kind} layout, ignored:[/yellow] {', '.join(summary.ignored_columns)}"
        )
    for reason, count in sorted(summary.reasons.items(), key=lambda kv: -kv[1])[:20]:
        console.print(f"  {count:>7}  {reason}")
    console.print(f"Reject report ({summary.rejects} lines) written to {reject_path}")


def _actor(factory: object, username: str | None, *, default: str, agency: str) -> Actor:
    """The named agency user, or the system actor that `lantern ingest` uses."""
    from sqlalchemy.orm import sessionmaker

    from lantern.access import service as access_service
    from lantern.cli import console

    if username is None:
        return Actor(id=None, name=default, agency=agency, role="system")
    assert isinstance(factory, sessionmaker)
    with factory() as db:
        user = next((u for u in access_service.list_users(db=db) if u.username == username), None)
    if user is None or not user.is_active:
        console.print(f"[red]No active user {username!r}[/red]")
        raise typer.Exit(2)
    if user.agency != agency:
        console.print(f"[red]{username} is a {user.agency} user; these are {agency} records[/red]")
        raise typer.Exit(2)
    return access_service.actor_for(user)
