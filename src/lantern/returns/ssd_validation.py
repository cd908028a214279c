"""Validation of SSD tables as written (CSV text) against our field definitions (ssd.TABLES):
header, required fields, types, unique keys and keys that refer to another table's rows."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date

from lantern.returns.ssd import TABLES, Column


def validate(files: dict[str, str]) -> list[str]:
    """Problems found, each naming the table, row (1 = first data row), column and what is wrong."""
    tables = {name: list(csv.DictReader(io.StringIO(text))) for name, text in files.items()}
    problems = []
    for name, text in files.items():
        header = next(csv.reader(io.StringIO(text)), [])
        if header != [c.name for c in TABLES[name]]:
            problems.append(f"{name}: columns are not the model's")
            continue
        for n, row in enumerate(tables[name], start=1):
            problems += [f"{name} row {n} {c.name}: {p}" for c in TABLES[name] if (p := _problem(c, row[c.name]))]
        problems += _keys(name, tables)
    return problems


def _problem(column: Column, value: str) -> str | None:
    if not value:
        return "required" if column.required else None
    checks: dict[str, Callable[[str], bool]] = {
        "datetime": _is_date,
        "int": str.isdigit,
        "float": _is_number,
        "nchar": lambda v: len(v) == 1,
    }
    check = checks.get(column.type)
    return None if check is None or check(value) else f"{value!r} is not {column.type}"


def _keys(name: str, tables: dict[str, list[dict[str, str]]]) -> list[str]:
    problems = []
    for column in TABLES[name]:
        values = [row[column.name] for row in tables[name] if row[column.name]]
        if column.key and len(set(values)) < len(values):
            problems.append(f"{name} {column.name}: duplicate keys")
        if column.refers:
            table, target = column.refers.split(".")
            known = {row[target] for row in tables.get(table, [])}
            problems += [f"{name} {column.name}: {v!r} not in {column.refers}" for v in values if v not in known]
    return problems


def _is_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True
