"""Targeting in the portal: the registered models, the scored declaration files and each
declaration with its score, the selection decision and, later, the examination's outcome.

Rows are written only by ``services``: a model is registered, a file is scored (one batch, all
its declarations, in one transaction), outcomes are recorded (one ``OutcomeImport`` row each time).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ctpat.applications.models import Partner

MODELS_FOLDER = "targeting"
"""Registered models live in ``settings.VAR_DIR / MODELS_FOLDER / <directory>``."""


class TargetingModelVersion(models.Model):
    """A trained targeting model registered in the portal, with what the engine recorded about it."""

    name = models.CharField(_("name"), max_length=120)
    directory = models.CharField(
        _("directory"), max_length=200, unique=True, help_text=_("Folder under VAR_DIR/targeting")
    )
    label = models.CharField(_("outcome predicted"), max_length=20, default="fraud")
    trained_at = models.DateTimeField(_("trained at"))
    # What it was trained on: file names and row counts per role (train, valid), the date range
    # when the portal read the files itself, and the SHA-256 of each file from the engine.
    training_files = models.JSONField(default=dict, blank=True)
    training_rows = models.JSONField(default=dict, blank=True)
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    data_hashes = models.JSONField(default=dict, blank=True)
    validation_metrics = models.JSONField(default=dict, blank=True)
    library_versions = models.JSONField(default=dict, blank=True)
    training_settings = models.JSONField(default=dict, blank=True)
    top_features = models.JSONField(default=list, blank=True)
    is_active = models.BooleanField(default=False)
    activated_at = models.DateTimeField(null=True, blank=True)
    activated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    registered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-registered_at", "-id"]
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(
                fields=["is_active"], condition=models.Q(is_active=True), name="one_active_targeting_model"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def path(self) -> Path:
        return Path(settings.VAR_DIR) / MODELS_FOLDER / self.directory


class DeclarationBatch(models.Model):
    """One declaration file scored with one model under one selection policy."""

    source_name = models.CharField(_("file"), max_length=255)
    model_version = models.ForeignKey(TargetingModelVersion, on_delete=models.PROTECT, related_name="batches")
    policy = models.JSONField(default=dict, help_text=_("The SelectionPolicy used, as JSON"))
    declarations_count = models.PositiveIntegerField(default=0)
    selected_count = models.PositiveIntegerField(default=0)
    risk_count = models.PositiveIntegerField(default=0)
    random_count = models.PositiveIntegerField(default=0)
    member_count = models.PositiveIntegerField(
        default=0, help_text=_("Declarations of importers linked to a CTPAT partner")
    )
    is_synthetic = models.BooleanField(default=False, help_text=_("Demo data, not real declarations"))
    note = models.TextField(blank=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    scored_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-scored_at", "-id"]
        verbose_name_plural = "declaration batches"

    def __str__(self) -> str:
        return f"{self.source_name} ({self.declarations_count})"


class Selection(models.TextChoices):
    RISK = "risk", _("Risk-based")
    RANDOM = "random", _("Random compliance sample")


class Declaration(models.Model):
    """One import declaration as scored: what the engine's canonical schema carries for display,
    its member link, score, selection and the examination's outcome (which may arrive later)."""

    batch = models.ForeignKey(DeclarationBatch, on_delete=models.CASCADE, related_name="declarations")
    position = models.PositiveIntegerField(help_text=_("Row order in the file (0 = first)"))
    line = models.PositiveIntegerField(help_text=_("Line in the file (header = 1)"))
    declaration_id = models.CharField(_("declaration ID"), max_length=64, unique=True)
    declared_on = models.DateField(_("date"))
    importer_id = models.CharField(_("importer ID"), max_length=64)
    importer_key = models.CharField(max_length=64, db_index=True, help_text=_("Normalised importer ID"))
    partner = models.ForeignKey(
        Partner, null=True, blank=True, on_delete=models.SET_NULL, related_name="declarations"
    )
    declarant_id = models.CharField(_("declarant"), max_length=64, blank=True)
    seller_id = models.CharField(_("seller"), max_length=64, blank=True)
    hs_code = models.CharField(_("HS code"), max_length=10)
    origin_country = models.CharField(_("origin"), max_length=2)
    departure_country = models.CharField(_("departure"), max_length=2, blank=True)
    transport_mode = models.CharField(_("mode of transport"), max_length=10, blank=True)
    office_id = models.CharField(_("office"), max_length=10, blank=True)
    customs_value = models.FloatField(_("customs value"))
    net_mass = models.FloatField(_("net mass (kg)"))
    tax_rate = models.FloatField(_("duty rate (%)"), null=True, blank=True)
    # The decision, as made when the file was scored (the tier is the one the importer held then).
    tier = models.CharField(_("tier"), max_length=12, default="non-member")
    mra = models.BooleanField(default=False)
    score = models.FloatField(_("risk score"))
    adjusted_score = models.FloatField(_("adjusted score"))
    selected = models.BooleanField(_("selected for examination"), default=False)
    selection = models.CharField(max_length=10, choices=Selection.choices, blank=True)
    reason = models.TextField(blank=True)
    # The examination's outcome; None until reported.
    inspected = models.BooleanField(null=True, blank=True)
    fraud = models.BooleanField(_("violation found"), null=True, blank=True)
    critical = models.BooleanField(_("critical violation"), null=True, blank=True)
    outcome_recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["batch_id", "position"]
        indexes: ClassVar[list[Any]] = [models.Index(fields=["batch", "position"], name="declaration_order")]

    def __str__(self) -> str:
        return self.declaration_id


class OutcomeImport(models.Model):
    """One file of examination outcomes recorded (who, when, how many declarations)."""

    source_name = models.CharField(_("file"), max_length=255)
    rows = models.PositiveIntegerField(default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.source_name} ({self.rows})"
