"""Readers for the official list formats, each into :class:`~ctpat.screening.model.ListedEntity` rows."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..model import ListFileError, RestrictedPartyList
from .bis_dpl import read_bis_dpl
from .csl_csv import read_csl_csv
from .ofac_csv import read_ofac_csv
from .un_xml import read_un_xml

ListReader = Callable[..., RestrictedPartyList]

LIST_FORMATS: dict[str, ListReader] = {
    "ofac-csv": read_ofac_csv,
    "csl-csv": read_csl_csv,
    "un-xml": read_un_xml,
    "bis-dpl": read_bis_dpl,
}


def read_list(list_format: str, path: Path | str, *, list_date: str | None = None) -> RestrictedPartyList:
    """Read one list file (an OFAC folder for ``ofac-csv``) in the named format.

    Raises :class:`ListFileError` naming the file, the line and the reason when the file is not
    readable or not well formed.
    """
    if list_format not in LIST_FORMATS:
        raise ValueError(f"unknown list format {list_format!r}; expected one of {', '.join(LIST_FORMATS)}")
    path = Path(path)
    if not path.exists():
        raise ListFileError(path, None, "no such file or folder")
    return LIST_FORMATS[list_format](path, list_date=list_date)


__all__ = [
    "LIST_FORMATS",
    "ListFileError",
    "read_bis_dpl",
    "read_csl_csv",
    "read_list",
    "read_ofac_csv",
    "read_un_xml",
]
