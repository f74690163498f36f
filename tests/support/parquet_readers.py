"""Reads Bulk Collect's Parquet exports with two independent readers, pyarrow and DuckDB, and
checks them against what the export must hold (the parquet suite, tests/suites/parquet.rs):

    parquet_readers.py PEOPLE.parquet PEOPLE.csv FULL.parquet RECORDS.jsonl NEW_FIELD

- PEOPLE.parquet holds the CSV's columns, in order, and each value is the CSV's text once typed
  (numbers as numbers, text as text, formula-looking text guarded in the CSV only);
- FULL.parquet holds every record (first copy of each id), every value; `experience` and
  `education` are lists of structs; NEW_FIELD (a field this build does not know) is a column.

Prints one line per reader and check; exits non-zero at the first difference.
"""

import csv
import json
import sys

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def as_csv(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    return str(value)


def same(source, kept):
    """Whether `kept` (read back) holds `source` (the record's value): nulls left out of objects,
    numbers by value, a value in a column of JSON text through its text."""
    if isinstance(source, dict) and isinstance(kept, dict):
        a = {k: v for k, v in source.items() if v is not None}
        b = {k: v for k, v in kept.items() if v is not None}
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(source, list) and isinstance(kept, list):
        return len(source) == len(kept) and all(same(v, w) for v, w in zip(source, kept))
    if isinstance(source, bool) or isinstance(kept, bool):
        return source is kept
    if isinstance(source, (int, float)) and isinstance(kept, (int, float)):
        return float(source) == float(kept) and (isinstance(kept, float) or source == kept)
    if isinstance(kept, str) and not isinstance(source, str):
        return json.loads(kept) == source
    return source == kept


def pyarrow_rows(path):
    table = pq.read_table(path)
    return table.column_names, table.to_pylist(), table.schema


def duckdb_rows(path):
    result = duckdb.execute("SELECT * FROM read_parquet(?)", [path])
    names = [column[0] for column in result.description]
    return names, [dict(zip(names, row)) for row in result.fetchall()]


def check_people(reader, names, rows, csv_rows):
    assert names == csv_rows[0], f"{reader}: columns {names} != the CSV's {csv_rows[0]}"
    assert len(rows) == len(csv_rows) - 1, f"{reader}: {len(rows)} people, CSV {len(csv_rows) - 1}"
    for r, (row, expected) in enumerate(zip(rows, csv_rows[1:])):
        for name, text in zip(names, expected):
            got = as_csv(row[name])
            assert got == text, f"{reader}: person {r}, {name}: {got!r} != CSV {text!r}"
    print(f"{reader}: People layout: {len(rows)} people, {len(names)} columns, same values as the CSV")


def check_full(reader, names, rows, records, new_field):
    assert new_field in names, f"{reader}: the new field {new_field} is not a column: {names}"
    assert len(rows) == len(records), f"{reader}: {len(rows)} people, records {len(records)}"
    for r, (row, record) in enumerate(zip(rows, records)):
        assert same(record, row), f"{reader}: person {r}:\n{record}\n!=\n{row}"
    entries = sum(len(row.get("experience") or []) for row in rows)
    print(f"{reader}: Full layout: {len(rows)} people, {entries} experience entries, same values as the records")


def main():
    people, people_csv, full, records_path, new_field = sys.argv[1:6]
    with open(people_csv, encoding="utf-8-sig", newline="") as f:
        csv_rows = list(csv.reader(f))
    with open(records_path, encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()]

    names, rows, _ = pyarrow_rows(people)
    check_people("pyarrow", names, rows, csv_rows)
    names, rows = duckdb_rows(people)
    check_people("DuckDB", names, rows, csv_rows)

    names, rows, schema = pyarrow_rows(full)
    for list_field in ("experience", "education"):
        kind = schema.field(list_field).type
        assert pa.types.is_list(kind) and pa.types.is_struct(kind.value_type), f"{list_field} is {kind}"
    check_full("pyarrow", names, rows, records, new_field)
    names, rows = duckdb_rows(full)
    kind = duckdb.execute("SELECT typeof(experience) FROM read_parquet(?) LIMIT 1", [full]).fetchone()[0]
    assert kind.startswith("STRUCT(") and kind.endswith("[]"), f"DuckDB reads experience as {kind}"
    check_full("DuckDB", names, rows, records, new_field)


if __name__ == "__main__":
    main()
