"""Reading list files as text, whatever encoding the publisher used."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..model import ListFileError


def read_text(path: Path) -> str:
    """The file's text: UTF-8 (with or without BOM), else Windows-1252 as older OFAC files are."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ListFileError(path, None, f"cannot read the file ({error.strerror or error})") from error
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def file_date(path: Path) -> str:
    """The file's modification date (UTC), for lists that do not carry their own date."""
    stamp = path.stat().st_mtime
    return dt.datetime.fromtimestamp(stamp, tz=dt.UTC).date().isoformat()
