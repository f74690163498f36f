"""Reads Bulk Collect's XLSX export with openpyxl, a reader independent of the export's writer
and of calamine, and checks it against the CSV export of the same records (the xlsx_readers
suite, tests/suites/xlsx_readers.rs):

    xlsx_reader.py WORKBOOK.xlsx SHEET1.csv [SHEET2.csv ...]

The workbook has one sheet per CSV, in order, each holding the CSV's rows cell by cell: the same
text (formula-looking text guarded in the CSV only, never a formula in the workbook), numbers by
value, booleans, dates as real dates formatted yyyy-mm-dd (yyyy-mm for a month); the header row
bold and frozen, the columns 18 characters wide.

Prints one line per sheet; exits non-zero at the first difference.
"""

import csv
import datetime
import re
import sys

from openpyxl import load_workbook

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Characters XML cannot hold (carriage return, other controls) are written _xHHHH_, as Excel
# writes them (ECMA-376 ST_Xstring), and a literal "_x" escape as _x005F_xHHHH_. Excel and
# calamine decode them; openpyxl leaves them as they are, so they are decoded here.
ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def unescape(text):
    return ESCAPE.sub(lambda match: chr(int(match.group(1), 16)), text)


def fail(message):
    print(message)
    sys.exit(1)


def as_csv(cell, expected, where):
    """The CSV's text for `cell`, checking its type and format on the way."""
    value = cell.value
    if value is None:
        return ""
    if cell.data_type == "f":
        fail(f"{where}: a formula {value!r}")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        month = len(expected) == 7
        wanted = "yyyy-mm" if month else "yyyy-mm-dd"
        if cell.number_format != wanted:
            fail(f"{where}: date format {cell.number_format!r}, expected {wanted!r}")
        return value.strftime("%Y-%m" if month else "%Y-%m-%d")
    if isinstance(value, (int, float)):
        try:
            same = float(expected) == value
        except ValueError:
            same = False
        return expected if same else repr(value)
    if isinstance(value, str):
        value = unescape(value)
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    fail(f"{where}: unexpected value {value!r}")


def check_sheet(sheet, path):
    with open(path, encoding="utf-8-sig", newline="") as file:
        rows = list(csv.reader(file))
    if sheet.max_row != len(rows):
        fail(f"{sheet.title}: {sheet.max_row} rows, the CSV has {len(rows)}")
    if sheet.freeze_panes != "A2":
        fail(f"{sheet.title}: frozen at {sheet.freeze_panes!r}, expected the header row")
    for number, (cells, expected_row) in enumerate(zip(sheet.iter_rows(), rows), start=1):
        extra = [cell.value for cell in cells[len(expected_row):] if cell.value is not None]
        if extra:
            fail(f"{sheet.title} row {number}: cells beyond the CSV's columns: {extra!r}")
        for column, expected in enumerate(expected_row):
            cell = cells[column] if column < len(cells) else None
            where = f"{sheet.title} row {number} column {column + 1}"
            got = "" if cell is None else as_csv(cell, expected, where)
            if got != expected:
                fail(f"{where}: {got!r}, the CSV has {expected!r}")
            if number == 1 and cell is not None and cell.value is not None and not cell.font.b:
                fail(f"{where}: the header is not bold")
    for letter, dimension in sheet.column_dimensions.items():
        if abs(dimension.width - 18.7109375) > 1e-9:
            fail(f"{sheet.title} column {letter}: width {dimension.width}")
    print(f"openpyxl: {sheet.title}: {len(rows)} rows match the CSV")


def main():
    workbook_path, csv_paths = sys.argv[1], sys.argv[2:]
    workbook = load_workbook(workbook_path)
    if len(workbook.worksheets) != len(csv_paths):
        fail(f"{len(workbook.worksheets)} sheets for {len(csv_paths)} CSV files")
    for sheet, path in zip(workbook.worksheets, csv_paths):
        check_sheet(sheet, path)


if __name__ == "__main__":
    main()
