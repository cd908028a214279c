"""Reading agency files (JSON Lines or CSV) as a stream of raw records, with line numbers.

CSV columns are dotted paths into the canonical event: `subjects.0.person.given_name`,
`subjects.0.role`, `location.postcode`, `payload.risk_level`. Empty cells are left out.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from lantern.common.errors import InvalidInput

RawRecord = tuple[int, Any]  # (line number, parsed record or an InvalidInput)


def read_records(path: Path) -> Iterator[RawRecord]:
    """Yield (line number, record) from a .jsonl/.json-lines or .csv file."""
    if path.suffix.lower() == ".csv":
        yield from _read_csv(path)
    else:
        yield from _read_jsonl(path)


def _read_jsonl(path: Path) -> Iterator[RawRecord]:
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                yield number, orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                yield number, InvalidInput([{"loc": [], "msg": f"malformed JSON: {exc}"}])


def _read_csv(path: Path) -> Iterator[RawRecord]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        for row in reader:
            yield reader.line_num, unflatten(row)


def unflatten(row: dict[str, str | None]) -> dict[str, Any]:
    """Turn {"subjects.0.person.given_name": "Amy"} into nested dicts and lists."""
    record: dict[str, Any] = {}
    for column, cell in row.items():
        if column is None or cell is None or cell.strip() == "":
            continue
        _set_path(record, column.strip().split("."), cell.strip())
    return record


def _set_path(target: dict[str, Any], path: list[str], value: str) -> None:
    node: Any = target
    for part, following in zip(path, path[1:], strict=False):
        container: Any = [] if following.isdigit() else {}
        if isinstance(node, list):
            index = int(part)
            while len(node) <= index:
                node.append(None)
            node[index] = node[index] if node[index] is not None else container
            node = node[index]
        else:
            node = node.setdefault(part, container)
    last = path[-1]
    if isinstance(node, list):
        index = int(last)
        while len(node) <= index:
            node.append(None)
        node[index] = value
    else:
        node[last] = value
