"""Reading a business-partner register from CSV. The whole file is checked before anything is
written: one bad row refuses the import, and every bad row is named by its line number."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.utils.translation import gettext as _

from ctpat.business_partners.forms import BusinessPartnerForm
from ctpat.business_partners.models import CtpatStatus, PartyType

REGISTER_COLUMNS = ("name", "relationship", "party_type", "country", "address", "identifiers", "ctpat_status")
REQUIRED_COLUMNS = ("name", "relationship")


class RegisterImportRefused(ValueError):
    """The file was refused; ``errors`` lists each reason (with its line number for a bad row)."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__(" ".join(errors))


def register_rows(content: bytes) -> list[dict[str, Any]]:
    """The register's rows, each validated with the register form; RegisterImportRefused otherwise."""
    text = _decoded(content)
    reader = csv.DictReader(io.StringIO(text))
    header = [column.strip().lower() for column in reader.fieldnames or []]
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise RegisterImportRefused(
            [_("The header lacks the column(s): %(columns)s.") % {"columns": ", ".join(missing)}]
        )
    reader.fieldnames = header
    rows: list[dict[str, Any]] = []
    errors: list[str] = []
    for raw in reader:
        if not any((value or "").strip() for value in raw.values() if isinstance(value, str)):
            continue
        fields, problem = _row_fields(raw)
        form = BusinessPartnerForm(data=fields)
        if problem or not form.is_valid():
            reasons = (
                [problem]
                if problem
                else [f"{name}: {' '.join(str(m) for m in msgs)}" for name, msgs in form.errors.items()]
            )
            errors.append(
                _("Line %(line)d: %(reasons)s") % {"line": reader.line_num, "reasons": "; ".join(reasons)}
            )
            continue
        rows.append(form.cleaned_data)
    if errors:
        raise RegisterImportRefused(errors)
    if not rows:
        raise RegisterImportRefused([_("The file has no business partners in it.")])
    return rows


def _decoded(content: bytes) -> str:
    if not content.strip():
        raise RegisterImportRefused([_("The file is empty.")])
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise RegisterImportRefused(
            [
                _("The file is not UTF-8 text (byte %(position)d). Save it as “CSV UTF-8” and try again.")
                % {"position": error.start + 1}
            ]
        ) from error


def _row_fields(raw: dict[str | None, Any]) -> tuple[dict[str, str], str]:
    if None in raw:
        return {}, _("more cells than the header has columns")
    cells = {column: (raw.get(column) or "").strip() for column in REGISTER_COLUMNS}
    status, _sep, program = cells["ctpat_status"].partition(":")
    fields = {
        **cells,
        "relationship": cells["relationship"].lower(),
        "party_type": cells["party_type"].lower() or PartyType.ORGANIZATION,
        "ctpat_status": status.strip().lower() or CtpatStatus.UNKNOWN,
        "mra_program": program.strip(),
    }
    return fields, ""
