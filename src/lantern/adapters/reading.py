"""Reading an agency file as numbered rows: CSV, a JSON array or JSON Lines (docs/adapters.md,
"Files, rows and formats"). A file that cannot be read as rows at all is refused whole."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from lantern.adapters.base import Row


def read_rows(path: Path) -> Iterator[Row]:
    """Rows of a CSV file (row 2 is the first under the header, as a spreadsheet numbers them), a
    JSON array of objects (numbered from 1) or JSON Lines (numbered by line)."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with path.open(newline="", encoding="utf-8-sig") as handle:
            for number, cells in enumerate(csv.DictReader(handle), start=2):
                extra = cells.pop(None, None)
                row = Row(number, cells)
                if extra:
                    row.reject("", f"{len(extra)} more cells than the header has columns", ",".join(extra))
                yield row
        return
    body = path.read_bytes()
    if suffix == ".json":
        try:
            items = orjson.loads(body)
        except orjson.JSONDecodeError as exc:
            raise UnreadableFile(f"{path.name} is not valid JSON: {exc}") from None
        for number, item in enumerate(items if isinstance(items, list) else [items], start=1):
            yield _json_row(number, item)
        return
    for number, line in enumerate(body.splitlines(), start=1):
        if line.strip():
            try:
                yield _json_row(number, orjson.loads(line))
            except orjson.JSONDecodeError as exc:
                row = Row(number, {})
                row.reject("", f"malformed JSON: {exc}")
                yield row


def _json_row(number: int, item: Any) -> Row:
    if not isinstance(item, dict):
        row = Row(number, {})
        row.reject("", "each record must be a JSON object")
        return row
    row = Row(number, {key: value for key, value in item.items() if not isinstance(value, dict | list)})
    for key, value in item.items():
        if isinstance(value, dict | list):
            row.reject(str(key).strip().lower(), "a nested value; the layout is flat", orjson.dumps(value).decode())
    return row


class UnreadableFile(Exception):
    """A file that cannot be read as rows at all (not UTF-8, not JSON); nothing of it is stored."""


def check_readable(path: Path) -> None:
    """Raise UnreadableFile, naming the line, if the file is not UTF-8 (or, for .json, not JSON)."""
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise UnreadableFile(
                    f"{path.name} is not UTF-8 (line {number}, byte {exc.start + 1}); "
                    "convert it first, e.g. iconv -f WINDOWS-1252 -t UTF-8"
                ) from None
    if path.suffix.lower() == ".json":
        next(read_rows(path), None)


def header(path: Path) -> list[str]:
    """The columns of a file (a CSV header, or the keys of a JSON file's records)."""
    if path.suffix.lower() == ".csv":
        with path.open(newline="", encoding="utf-8-sig") as handle:
            return [column.strip().lower() for column in next(csv.reader(handle), [])]
    seen: dict[str, None] = {}
    for index, row in enumerate(read_rows(path)):
        seen.update(dict.fromkeys(row.cells))
        if index >= 100:
            break
    return list(seen)


def count_rows(path: Path) -> int:
    """Rows in a file, for the progress bar."""
    return sum(1 for _ in read_rows(path))
