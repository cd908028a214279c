"""The `lantern` command: serve, demo, database, users, ingestion, benchmarks."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Literal

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from lantern.adapters.cli import adapt
from lantern.audit.service import SYSTEM, Actor
from lantern.config import Settings, get_settings
from lantern.returns.cli import app as returns_app

app = typer.Typer(help="Lantern: multi-agency child safeguarding.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
users_app = typer.Typer(help="User accounts.", no_args_is_help=True)
audit_app = typer.Typer(help="The audit trail.", no_args_is_help=True)
duties_app = typer.Typer(help="Statutory notification duties.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(users_app, name="users")
app.add_typer(audit_app, name="audit")
app.add_typer(duties_app, name="duties")
app.add_typer(returns_app, name="returns")
console = Console(stderr=True)
CHRONOLOGY_ACTOR = Actor(id=None, name="cli:chronology", agency=None, role="export")
SUBJECT_ACCESS_ACTOR = Actor(id=None, name="cli:subject-access", agency=None, role="export")


def _settings() -> Settings:
    return get_settings()


@app.command()
def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Server processes (one per core; one duty scheduler in all)")] = 1,
) -> None:
    """Serve the web app and API."""
    import uvicorn

    from lantern.db.migrate import upgrade
    from lantern.main import create_app, serving_processes

    settings = _settings()
    upgrade(settings.database_url)
    if workers == 1:
        uvicorn.run(create_app(settings), host=host, port=port, log_level="info")
        return
    with serving_processes(settings):
        uvicorn.run("lantern.main:app_from_environment", factory=True, workers=workers, host=host, port=port)


@app.command()
def demo(host: str = "127.0.0.1", port: int = 8000, families: int = 300) -> None:
    """Seed the scenarios, demo users and a small synthetic population, then serve."""
    from lantern.demo import seed

    settings = _settings()
    logins = seed.seed_demo(settings=settings, families=families, console=console)
    from lantern.casework import demo as casework_demo

    casework_demo.seed(settings=settings)  # the S4 baby's case, an unallocated case, supervision, a meeting
    console.print("\n[bold]Demo logins[/bold] (username / password):")
    for username, password, description in logins:
        console.print(f"  {username:<22} {password:<22} {description}")
    console.print(f"\nOpen http://{host}:{port}\n")
    serve(host=host, port=port)


@db_app.command("upgrade")
def db_upgrade(revision: str = "head") -> None:
    """Apply database migrations."""
    from lantern.db.migrate import upgrade

    upgrade(_settings().database_url, revision)
    console.print("Database is up to date.")


@users_app.command("add")
def users_add(
    username: str,
    agency: Annotated[str, typer.Option(help="Agency code, e.g. police, csc, gp")],
    role: Annotated[str, typer.Option(help="practitioner, manager, reviewer or admin")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input")
    ] = False,
    full_name: Annotated[str | None, typer.Option(help="Name shown on pages")] = None,
) -> None:
    """Create a user."""
    from lantern.access import service
    from lantern.common.errors import InvalidInput
    from lantern.db.engine import make_engine, make_session_factory

    password = sys.stdin.readline().rstrip("\n") if password_stdin else typer.prompt("Password", hide_input=True)
    factory = make_session_factory(make_engine(_settings().database_url))
    try:
        with factory.begin() as db:
            service.create_user(
                db=db, username=username, password=password, agency=agency, role=role, full_name=full_name, actor=SYSTEM
            )
    except InvalidInput as exc:
        console.print(f"[red]Could not create user:[/red] {exc}")
        raise typer.Exit(2) from None
    console.print(f"Created {username} ({role}, {agency}).")


@users_app.command("deactivate")
def users_deactivate(username: str) -> None:
    """Stop a user signing in; their open sessions and tokens stop working on their next request."""
    _manage_user("deactivate", username, "Deactivated")


@users_app.command("unlock")
def users_unlock(username: str) -> None:
    """Lift a sign-in lockout now, before it runs out."""
    _manage_user("unlock", username, "Unlocked")


@users_app.command("reset-totp")
def users_reset_totp(username: str) -> None:
    """Remove a user's authenticator app (lost phone); they can set one up again after signing in."""
    _manage_user("reset_totp", username, "Removed the security code of")


def _manage_user(operation: str, username: str, done: str) -> None:
    from lantern.access import service
    from lantern.common.errors import NotFound
    from lantern.db.engine import make_engine, make_session_factory

    factory = make_session_factory(make_engine(_settings().database_url))
    try:
        with factory.begin() as db:
            getattr(service, operation)(db=db, username=username, actor=SYSTEM)
    except NotFound as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
    console.print(f"{done} {username}.")


@audit_app.command("verify")
def audit_verify() -> None:
    """Check the audit hash chain; exit 1 if any entry was changed, removed or reordered."""
    from lantern.audit import service
    from lantern.db.engine import make_engine, make_session_factory

    with make_session_factory(make_engine(_settings().database_url))() as db:
        problems = service.verify(db=db)
    for problem in problems:
        console.print(f"[red]{problem}[/red]")
    if problems:
        raise typer.Exit(1)
    console.print("Audit chain intact.")


@duties_app.command("tick")
def duties_tick() -> None:
    """Run one scheduler pass now: mark overdue duties, escalate, send due deliveries (for cron)."""
    from lantern.db.engine import make_engine, make_session_factory
    from lantern.duties import delivery, service

    settings = _settings()
    factory = make_session_factory(make_engine(settings.database_url))
    with factory.begin() as db:
        moved = service.scheduler_pass(db=db)
    sent = delivery.deliver_due(session_factory=factory, config=delivery.config_from(settings))
    console.print(
        f"overdue={moved['overdue']} escalated={moved['escalated']} "
        f"sent={sent['sent']} retrying={sent['retrying']} failed={sent['failed']}"
    )


@app.command()
def ingest(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    agency: Annotated[str | None, typer.Option(help="Agency that sent the file")] = None,
    rejects: Annotated[Path | None, typer.Option(help="Where rejected records go (JSON Lines)")] = None,
) -> None:
    """Ingest a JSON Lines or CSV file of canonical events; idempotent and resumable."""
    from lantern.db.engine import make_engine, make_session_factory
    from lantern.events import flows

    settings = _settings()
    reject_path = rejects or file.with_name(file.name + ".rejects.jsonl")
    factory = make_session_factory(make_engine(settings.database_url))
    actor = Actor(id=None, name=f"cli:{file.name}", agency=agency, role="system")
    total = flows.count_records(file)
    with _progress() as progress, reject_path.open("wb") as out:
        task = progress.add_task(f"Ingesting {file.name}", total=total)
        summary = flows.ingest_file(
            session_factory=factory,
            path=file,
            actor=actor,
            rejects=out,
            agency=agency,
            batch_size=settings.ingest_batch_size,
            max_bytes=settings.max_event_bytes,
            on_progress=lambda n: progress.advance(task, n),
            on_duties=lambda: progress.update(task, description=f"Raising duties for {file.name}"),
        )
    console.print(f"accepted={summary.accepted} duplicates={summary.duplicates} rejected={summary.rejected}")
    console.print(f"duties raised={summary.duties}; duty rules are up to date for every stored event")
    for reason, count in sorted(summary.reasons.items(), key=lambda kv: -kv[1])[:20]:
        console.print(f"  {count:>7}  {reason}")
    if summary.rejected:
        console.print(f"Rejected records written to {reject_path}")
    else:
        reject_path.unlink(missing_ok=True)


app.command()(adapt)  # lantern adapt police|probation|school|hospital FILE: src/lantern/adapters/cli.py


@app.command("backup")
def backup_command(
    out: Path, force: Annotated[bool, typer.Option("--force", help="Replace OUT if it exists")] = False
) -> None:
    """Back up the database while the app runs: SQLite's online backup, or pg_dump -Fc for PostgreSQL."""
    from lantern.db import backup

    _backup_step(lambda: backup.backup(database_url=_settings().database_url, out=out, force=force))


@app.command("restore")
def restore_command(
    backup_file: Annotated[Path, typer.Argument(metavar="IN")],
    force: Annotated[bool, typer.Option("--force", help="Replace the database that is there")] = False,
) -> None:
    """Restore a SQLite backup (stop the app first): refused unless it passes integrity_check and
    its schema revision is known; refuses to replace a database without --force."""
    from lantern.db import backup

    _backup_step(lambda: backup.restore(backup_file=backup_file, database_url=_settings().database_url, force=force))


def _backup_step(step: Callable[[], Any]) -> None:
    from lantern.db.backup import BackupError

    try:
        console.print(step().message)
    except BackupError as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from None


@app.command()
def link(
    input: Annotated[list[Path], typer.Option("--input", help="CSV file; one to dedupe, two to link")],
    id_column: Annotated[str, typer.Option(help="The column that identifies each row")],
    out: Annotated[Path, typer.Option(help="Folder for pairs.csv and clusters.csv")],
    map: Annotated[
        list[str], typer.Option("--map", help="ours=theirs, e.g. family_name=surname; theirs may be a+b")
    ] = [],  # noqa: B006 (typer reads the default)
    threshold: Annotated[float | None, typer.Option(help="Match probability for a pair (default: auto-link)")] = None,
    backend: Annotated[
        Literal["duckdb", "spark"] | None,
        typer.Option(help="Where Splink runs (default: LANTERN_LINKAGE_BACKEND, else duckdb)"),
    ] = None,
    model_file: Annotated[
        Path | None,
        typer.Option("--model", help="A trained model (JSON, as link-train --out saves) to use instead of training"),
    ] = None,
) -> None:
    """Dedupe one CSV file or link two, with a model trained on the files themselves."""
    from lantern.linkage import backends, batch, model

    try:
        mapping = batch.parse_mapping(map)
        if not mapping:
            raise batch.LinkInputError("map at least one column with --map ours=theirs")
        result = batch.link_files(
            inputs=input,
            id_column=id_column,
            mapping=mapping,
            out=out,
            threshold=model.AUTO_LINK if threshold is None else threshold,
            progress=lambda stage: console.print(stage),
            backend=backend or _settings().linkage_backend,
            memory_limit=_settings().linkage_memory,
            trained=None if model_file is None else batch.read_model(model_file),
        )
    except (batch.LinkInputError, backends.BackendUnavailable) as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from error
    console.print(
        f"records={result.records} pairs={result.pairs} clusters={result.clusters} "
        f"threshold={result.threshold} seconds={result.seconds:.1f} backend={result.dialect}"
    )
    console.print(f"Written {out / 'pairs.csv'} and {out / 'clusters.csv'}")


@app.command("link-train")
def link_train(
    out: Annotated[Path | None, typer.Option(help="Also save the model JSON here")] = None,
    synthetic: Annotated[
        int | None, typer.Option(help="Train on this many generated records instead (to make a shipped model)")
    ] = None,
) -> None:
    """Retrain the matching model (no labels) on every person record in the database; a new version."""
    from lantern.db.engine import make_engine, make_session_factory
    from lantern.identity import training

    if synthetic is not None:
        if out is None:
            raise typer.BadParameter("--synthetic needs --out")
        console.print(f"records={training.train_synthetic(size=synthetic, out=out)} written={out}")
        return
    factory = make_session_factory(make_engine(_settings().database_url))
    with factory() as db:
        try:
            version, records = training.retrain(db=db, trained_by="cli", out=out)
        except ValueError as error:
            console.print(f"[red]{error}[/red]")
            raise typer.Exit(2) from error
        db.commit()
    console.print(f"model_version={version} records={records}")


@app.command()
def chronology(
    person_id: str,
    fmt: Annotated[Literal["md", "csv", "pdf"], typer.Option("--format", help="md, csv or pdf")],
    scope: Annotated[Literal["person", "family"], typer.Option(help="family: everyone in their network")] = "person",
    out: Annotated[Path | None, typer.Option(help="File to write (default: standard output)")] = None,
) -> None:
    """Export a person's multi-agency chronology for a case review, as the page's downloads do;
    audited as a read by "cli:chronology"."""
    from lantern.chronology import exports
    from lantern.common.errors import NotFound
    from lantern.db.engine import make_engine, make_session_factory

    if out is None and fmt == "pdf" and sys.stdout.isatty():
        raise typer.BadParameter("a PDF needs --out FILE (or a pipe)")
    factory = make_session_factory(make_engine(_settings().database_url))
    try:
        with factory.begin() as db:
            body = exports.export(db=db, actor=CHRONOLOGY_ACTOR, person_id=person_id, scope=scope, fmt=fmt)
    except NotFound as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from error
    if out is None:
        sys.stdout.buffer.write(body)
    else:
        out.write_bytes(body)
        console.print(f"Written {out}")


@app.command("subject-access")
def subject_access(
    person_id: str,
    out: Annotated[Path | None, typer.Option(help="JSON file to write (default: standard output)")] = None,
) -> None:
    """Everything Lantern holds about a person as one JSON document, for a subject-access request;
    audited as an export by "cli:subject-access"."""
    import orjson

    import lantern.api  # noqa: F401 (every table registered, so that every row about the person is found)
    from lantern.access import subject_access as export
    from lantern.common.errors import NotFound
    from lantern.db.engine import make_engine, make_session_factory

    factory = make_session_factory(make_engine(_settings().database_url))
    try:
        with factory.begin() as db:
            document = export.export(db=db, actor=SUBJECT_ACCESS_ACTOR, person_id=person_id)
    except NotFound as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from error
    body = orjson.dumps(document, option=orjson.OPT_INDENT_2)
    if out is None:
        sys.stdout.buffer.write(body)
    else:
        out.write_bytes(body)
        console.print(f"Written {out}")


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), console=console
    )


@app.command()
def bench(
    area: Annotated[str, typer.Argument(help="ingest")],
    db: Annotated[str | None, typer.Option("--db", help="Database URL (default: a fresh SQLite file)")] = None,
    size: Annotated[int, typer.Option(help="How many events to generate")] = 100_000,
    seconds: Annotated[float | None, typer.Option(help="load: how long the users browse (default 60)")] = None,
    users: Annotated[int | None, typer.Option(help="load: how many users browse at once (default 100)")] = None,
    workers: Annotated[int | None, typer.Option(help="load: server processes, as `lantern serve --workers`")] = None,
) -> None:
    """Measure throughput on a generated population; prints metric=value lines."""
    from lantern.demo import bench as bench_module

    runner = bench_module.AREAS.get(area)
    if runner is None:
        console.print(f"[red]Unknown area {area!r}[/red]; available: {', '.join(bench_module.AREAS)}")
        raise typer.Exit(2)
    extra = {k: v for k, v in {"seconds": seconds, "users": users, "workers": workers}.items() if v is not None}
    for name, value in runner(db_url=db, size=size, console=console, **extra):
        typer.echo(f"{name}={value}")


if __name__ == "__main__":
    app()
