"""The Minimum Security Criteria as loaded from the versioned catalogue files.

Each catalogue version keeps its own criterion rows, so answers given against an old version
stay attached to the criterion text they answered when a new version is loaded.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _


class CatalogueVersion(models.Model):
    version = models.CharField(max_length=32, unique=True)
    effective = models.DateField()
    content_hash = models.CharField(max_length=64)
    is_current = models.BooleanField(default=False)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-effective"]

    def __str__(self) -> str:
        return f"MSC {self.version}"


class Requirement(models.TextChoices):
    MUST = "must", _("Must")
    SHOULD = "should", _("Should")


class Criterion(models.Model):
    catalogue = models.ForeignKey(CatalogueVersion, on_delete=models.PROTECT, related_name="criteria")
    code = models.CharField(_("criterion ID"), max_length=10)
    sort_key = models.CharField(max_length=20, help_text=_("Zero-padded ID so that 3.10 sorts after 3.9"))
    category_number = models.PositiveSmallIntegerField()
    category_name = models.CharField(max_length=120)
    focus_area = models.CharField(max_length=80)
    program_area = models.CharField(max_length=32)
    requirement = models.CharField(max_length=8, choices=Requirement.choices)
    statement = models.TextField()
    guidance = models.TextField(blank=True)
    entity_types = models.JSONField(default=list)

    class Meta:
        ordering: ClassVar[list[str]] = ["sort_key"]
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(fields=["catalogue", "code"], name="one_criterion_per_version"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.statement[:60]}"

    @property
    def is_must(self) -> bool:
        return self.requirement == Requirement.MUST
