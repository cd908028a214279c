"""Exports for a case review: CSV, Markdown and PDF, each with a header saying what the export
covers and when it was made. Markdown and PDF are rendered from templates of the same data."""

from __future__ import annotations

import csv
import io
from typing import Literal

from sqlalchemy.orm import Session

from lantern.audit.service import Actor
from lantern.chronology import flows
from lantern.chronology.entries import Filters
from lantern.chronology.flows import Chronology
from lantern.web.render import LONDON, TEMPLATES

Format = Literal["csv", "md", "pdf"]
MEDIA_TYPES: dict[Format, str] = {
    "csv": "text/csv; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "pdf": "application/pdf",
}

CSV_COLUMNS = (
    ("occurred_at", "When"),
    ("source_agency_label", "Agency"),
    ("source_ref", "Agency reference"),
    ("type_label", "What"),
    ("significance", "Significance"),
    ("plain", "In plain English"),
    ("original", "Original wording"),
    ("recorded_at", "Recorded"),
    ("recorded_by", "Sent to Lantern by"),
    ("shared", "Shared with"),
)


def header_lines(chronology: Chronology) -> list[str]:
    """What the export covers and its date: the same words at the top of every format."""
    made = chronology.generated_at.astimezone(LONDON).strftime("%-d %B %Y %H:%M")
    return [
        f"Multi-agency chronology: {chronology.name}",
        chronology.covers,
        f"{chronology.count} records, produced by Lantern on {made} (UK time).",
        "Plain-English text is written from each agency's record; the original wording is kept beside it.",
        *(f"Not included: {w.sentence}" for w in chronology.withheld),
        *(["Read under an emergency opening (break-glass), reported for review."] if chronology.emergency else []),
    ]


def shared_text(entry: dict[str, object]) -> str:
    """Who a record was passed on to, and when, as one line."""
    items = entry["shared"]
    assert isinstance(items, list)
    return "; ".join(
        f"{s['with_agency_label']} ({s['status']}"
        + (f", {s['shared_at'].astimezone(LONDON):%-d %b %Y %H:%M}" if s["shared_at"] else "")
        + ")"
        for s in items
    )


def to_csv(chronology: Chronology) -> str:
    """One row per record; the header lines come first, marked with '#'."""
    out = io.StringIO()
    for line in header_lines(chronology):
        out.write(f"# {line}\n")
    writer = csv.writer(out)
    writer.writerow([label for _, label in CSV_COLUMNS])
    for entry in chronology.entries:
        row = {**entry, "shared": shared_text(entry)}
        for key in ("occurred_at", "recorded_at"):
            row[key] = entry[key].astimezone(LONDON).strftime("%Y-%m-%d %H:%M")
        writer.writerow([row[key] for key, _ in CSV_COLUMNS])
    return out.getvalue()


def _render(template: str, chronology: Chronology) -> str:
    return TEMPLATES.get_template(template).render(
        chronology=chronology, header=header_lines(chronology), shared_text=shared_text
    )


def to_markdown(chronology: Chronology) -> str:
    """Markdown for a review report."""
    return _render("chronology/export.md", chronology)


def to_pdf(chronology: Chronology) -> bytes:
    """A PDF (WeasyPrint) of the same content, A4 landscape with page numbers."""
    from weasyprint import HTML  # imported here: loading pango costs time the other formats need not pay

    return HTML(string=_render("chronology/export.html", chronology)).write_pdf()  # type: ignore[no-any-return]


def render(chronology: Chronology, fmt: Format) -> bytes:
    """The chronology in one format, for the page's download links and `lantern chronology` alike."""
    if fmt == "pdf":
        return to_pdf(chronology)
    return (to_csv(chronology) if fmt == "csv" else to_markdown(chronology)).encode()


def file_name(chronology: Chronology, fmt: Format) -> str:
    """A name that says whose chronology it is and when it was made."""
    return f"chronology-{chronology.person_id[:8]}-{chronology.generated_at:%Y%m%d}.{fmt}"


def export(*, db: Session, actor: Actor, person_id: str, scope: flows.Scope, fmt: Format) -> bytes:
    """Every record of the person (or their family network) as a file for a case review; the read
    is audited like any other."""
    chronology = flows.read(db=db, actor=actor, person_id=person_id, scope=scope, filters=Filters())
    return render(chronology, fmt)
