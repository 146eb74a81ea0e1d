"""Checking an evidence upload: allowed types judged from the content, size, SHA-256.

The name a browser sends is only used to keep the original name and to catch a file whose
name claims another type than its content.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

# Content type -> the file name endings that may carry it.
ALLOWED_TYPES: dict[str, frozenset[str]] = {
    "application/pdf": frozenset({".pdf"}),
    "image/png": frozenset({".png"}),
    "image/jpeg": frozenset({".jpg", ".jpeg"}),
    "image/gif": frozenset({".gif"}),
    "image/webp": frozenset({".webp"}),
    "image/tiff": frozenset({".tif", ".tiff"}),
    "application/msword": frozenset({".doc"}),
    "application/vnd.ms-excel": frozenset({".xls"}),
    "application/vnd.ms-powerpoint": frozenset({".ppt"}),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": frozenset({".docx"}),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": frozenset({".xlsx"}),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": frozenset({".pptx"}),
    "application/vnd.oasis.opendocument.text": frozenset({".odt"}),
    "application/vnd.oasis.opendocument.spreadsheet": frozenset({".ods"}),
    "application/vnd.oasis.opendocument.presentation": frozenset({".odp"}),
    "text/csv": frozenset({".csv"}),
    "text/plain": frozenset({".txt", ".text", ".md", ".log"}),
}
ALLOWED_DESCRIPTION = "PDF, images (PNG, JPEG, GIF, WebP, TIFF), office documents, CSV or plain text"
SNIFF_BYTES = 64 * 1024


class EvidenceRejected(ValueError):
    """An upload that is refused; the message says why in words for the uploader."""


@dataclass(frozen=True)
class InspectedFile:
    content_type: str
    size: int
    sha256: str
    original_name: str


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sniffed block is still text.
        if exc.start < len(head) - 4:
            return False
        text = head[: exc.start].decode("utf-8")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\r\n\t\f")
    return controls == 0


def content_type_of(head: bytes, suffix: str) -> str | None:
    """The type the bytes are, or None when they are of no allowed type."""
    kind = filetype.guess(head)
    if kind is not None:
        return kind.mime if kind.mime in ALLOWED_TYPES else None
    if _looks_like_text(head):
        return "text/csv" if suffix == ".csv" else "text/plain"
    return None


def inspect_upload(upload: UploadedFile[bytes], *, max_bytes: int) -> InspectedFile:
    """Check one upload and return what it is; EvidenceRejected says why it is refused."""
    name = PurePath(upload.name or "upload").name
    size = upload.size or 0
    if size == 0:
        raise EvidenceRejected(_("The file %(name)s is empty.") % {"name": name})
    if size > max_bytes:
        raise EvidenceRejected(
            _("The file %(name)s is %(size).1f MB; the limit is %(limit).0f MB.")
            % {"name": name, "size": size / 1_048_576, "limit": max_bytes / 1_048_576}
        )
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    suffix = PurePath(name).suffix.lower()
    content_type = content_type_of(head, suffix)
    if content_type is None:
        raise EvidenceRejected(
            _("The file %(name)s is not an allowed type. Allowed: %(allowed)s.")
            % {"name": name, "allowed": ALLOWED_DESCRIPTION}
        )
    if suffix and suffix not in ALLOWED_TYPES[content_type]:
        raise EvidenceRejected(
            _(
                "The file %(name)s is named %(suffix)s but its content is %(type)s; rename it or upload the right file."
            )
            % {"name": name, "suffix": suffix, "type": content_type}
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return InspectedFile(content_type=content_type, size=size, sha256=digest.hexdigest(), original_name=name)
