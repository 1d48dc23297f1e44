"""Every table Polku exports goes out through `table_response`, as CSV or as XLSX."""

import csv
from collections.abc import Iterable
from datetime import datetime
from io import BytesIO

from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from openpyxl import Workbook

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def cell(value):
    """A value for a spreadsheet cell that a spreadsheet never runs: text that starts like a
    formula gets a leading apostrophe (OWASP "CSV injection")."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def table_response(name: str, fmt: str, header: list, rows: Iterable[list]) -> HttpResponse:
    """A download of the table. CSV starts with a byte-order mark so that Excel reads it as
    UTF-8 (ä, ö), and separates with ";" in Finnish, as Finnish Excel expects; XLSX needs
    neither. Header and rows are written as they are given, in the active language."""
    if fmt == "xlsx":
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=name[:31])
        sheet.append([str(h) for h in header])
        for row in rows:
            sheet.append([_xlsx_value(cell(value)) for value in row])
        buffer = BytesIO()
        workbook.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    else:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response.write("\ufeff")
        delimiter = ";" if translation.get_language() == "fi" else ","
        writer = csv.writer(response, delimiter=delimiter)
        writer.writerow([str(h) for h in header])
        for row in rows:
            writer.writerow([cell(value) for value in row])
    # RFC 6266: an ASCII name for old clients and the UTF-8 one ("läsnäolo") for the rest.
    response["Content-Disposition"] = content_disposition_header(True, f"{name}.{fmt}")
    return response


def _xlsx_value(value):
    """openpyxl writes numbers, text and dates; Excel has no time zones, so an aware time is
    written as local time."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    return value
