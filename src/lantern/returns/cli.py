"""`lantern returns`: the CIN census and the SSD extract, validated, from the configured database."""

from __future__ import annotations

import os
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from sqlalchemy.orm import Session

from lantern.audit.service import Actor
from lantern.returns.cin_schema import FIRST_YEAR, LA_CODE, LAST_YEAR

app = typer.Typer(help="Statutory returns: CIN census, Standard Safeguarding Dataset.", no_args_is_help=True)
console = Console(stderr=True)
# Whoever runs commands on the server produces returns; audited as "cli:returns".
RETURNS_ACTOR = Actor(id=None, name="cli:returns", agency="csc", role="export")
AllowErrors = Annotated[bool, typer.Option("--allow-errors", help="Exit 0 even when validation finds errors")]


@app.command("cin-census")
def cin_census(
    year: Annotated[int, typer.Option(min=FIRST_YEAR, max=LAST_YEAR, help="Census year, ending 31 March")],
    out: Annotated[Path, typer.Option(help="XML file to write")],
    la: Annotated[
        str | None, typer.Option(help="DfE three-digit LA code for the header (default: LANTERN_LA_CODE)")
    ] = None,
    allow_errors: AllowErrors = False,
) -> None:
    """Write the Children in Need census XML for the year and print its validation summary."""
    from lantern.config import get_settings
    from lantern.returns import service

    la = la or get_settings().la_code
    if la is None:
        raise typer.BadParameter("give the DfE LA code with --la, or set LANTERN_LA_CODE", param_hint="--la")
    if not LA_CODE.fullmatch(la):
        raise typer.BadParameter(f"{la!r} is not a three-digit DfE LA code", param_hint="--la")
    _writable(out.parent, "--out")
    with _session() as db, _progress() as progress:
        task = progress.add_task("Children", total=None)
        census, issues = service.cin_census_export(
            db=db, actor=RETURNS_ACTOR, year=year, la_code=la, progress=lambda n: progress.update(task, completed=n)
        )
    out.write_bytes(census.xml)
    for note in census.notes:
        console.print(f"[yellow]not mapped[/yellow] {note}")
    errors = [i for i in issues if not i.is_query]
    for issue in issues:
        console.print(f"{'[red]error[/red]' if not issue.is_query else '[yellow]query[/yellow]'} {issue}")
    console.print(
        f"Written {out}: {census.children} children, {len(errors)} errors, {len(issues) - len(errors)} queries"
    )
    _exit(bool(errors), allow_errors)


@app.command()
def ssd(
    out: Annotated[Path, typer.Option(help="Folder to write one CSV per SSD table into")],
    allow_errors: AllowErrors = False,
) -> None:
    """Write the Standard Safeguarding Dataset tables Lantern can fill and print their validation."""
    from lantern.returns import service

    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise typer.BadParameter(f"cannot create {out}: {error.strerror}", param_hint="--out") from error
    _writable(out, "--out")
    with _session() as db:
        files, problems = service.ssd_export(db=db, actor=RETURNS_ACTOR)
    for name, text in files.items():
        (out / f"{name}.csv").write_text(text, encoding="utf-8")
    for problem in problems:
        console.print(f"[red]error[/red] {problem}")
    console.print(f"Written {len(files)} tables to {out}: {len(problems)} errors")
    _exit(bool(problems), allow_errors)


def _writable(folder: Path, option: str) -> None:
    """Refuse, before anything is exported or audited, a folder that is missing or not writable."""
    if not folder.is_dir():
        raise typer.BadParameter(f"folder {folder} does not exist", param_hint=option)
    if not os.access(folder, os.W_OK):
        raise typer.BadParameter(f"folder {folder} is not writable", param_hint=option)


def _session() -> AbstractContextManager[Session]:
    from lantern.config import get_settings
    from lantern.db.engine import make_engine, make_session_factory

    return make_session_factory(make_engine(get_settings().database_url)).begin()


def _progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=console)


def _exit(has_errors: bool, allow_errors: bool) -> None:
    if has_errors and not allow_errors:
        raise typer.Exit(1)
