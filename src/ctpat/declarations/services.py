"""Targeting actions: register a model, score a declaration file, record examination outcomes.

Each action checks everything first and then writes in one transaction, so a refused file leaves
nothing behind. The commands and the analysts' upload page call the same functions.
"""

from __future__ import annotations

import secrets
import shutil
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import polars as pl
from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify

from ctpat.accounts.models import User
from ctpat.declarations.models import (
    MODELS_FOLDER,
    Declaration,
    DeclarationBatch,
    OutcomeImport,
    TargetingModelVersion,
)
from ctpat.declarations.outcomes import OutcomesRefused, outcomes_read
from ctpat.declarations.policy import policy_record
from ctpat.declarations.selectors import (
    NON_MEMBER,
    active_model_version,
    importer_key,
    loaded_model,
    member_importers,
    partner_tier_code,
)
from ctpat.targeting import (
    DeclarationFileError,
    DeclarationProblem,
    DeclarationsRejected,
    MissingColumnsError,
    ModelDirError,
    SelectionPolicy,
    TargetingModel,
    TrainingSettings,
    declarations_read,
    declarations_select,
    model_load,
    model_save,
    model_summary,
    model_train,
)
from ctpat.targeting.model import file_hash

Progress = Callable[[str], None]
_CHUNK = 900  # SQLite allows at most 999 parameters in older builds


class TargetingRefused(Exception):
    """A file, model or policy the portal cannot use; nothing was written.

    ``problems`` are the engine's "line N: reason" texts when the file had unfit rows.
    """

    def __init__(self, message: str, problems: Sequence[object] = ()) -> None:
        self.message = message
        self.problems = [str(problem) for problem in problems]
        super().__init__(message + ("" if not self.problems else ": " + "; ".join(self.problems[:5])))


def _quiet(message: str) -> None:
    return None


# --- Models ---------------------------------------------------------------------------------


def _model_folder(name: str) -> tuple[str, Path]:
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    directory = f"{slugify(name)[:60] or 'model'}-{stamp}-{secrets.token_hex(3)}"
    return directory, Path(settings.VAR_DIR) / MODELS_FOLDER / directory


def _read_for_training(path: Path) -> pl.DataFrame:
    try:
        return declarations_read(path).frame
    except DeclarationsRejected as rejected:
        raise TargetingRefused(f"{path.name} has rows that do not fit", rejected.problems) from rejected
    except (DeclarationFileError, MissingColumnsError) as error:
        raise TargetingRefused(f"{path.name}: {error}") from error


def targeting_model_train(
    *,
    actor: User | None,
    train: Path,
    valid: Path,
    name: str,
    training: TrainingSettings | None = None,
    activate: bool = True,
    progress: Progress = _quiet,
) -> TargetingModelVersion:
    """Train a model with the engine on ``train`` (the past) and ``valid`` (the next period),
    save it under VAR_DIR/targeting and register it (active by default)."""
    frames = {"train": _read_for_training(train), "valid": _read_for_training(valid)}
    progress(f"read {frames['train'].height} training and {frames['valid'].height} validation declarations")
    hashes = {"train": file_hash(train), "valid": file_hash(valid)}
    try:
        model = model_train(
            train=frames["train"], valid=frames["valid"], settings=training, data_hashes=hashes
        )
    except ValueError as error:
        raise TargetingRefused(str(error)) from error
    directory, folder = _model_folder(name)
    model_save(model, folder)
    progress(f"trained; saved in {folder}")
    dates = pl.concat([frames["train"]["date"], frames["valid"]["date"]]).sort()
    period: tuple[date, date] = (dates[0], dates[-1])
    files = {"train": train.name, "valid": valid.name}
    return _register(
        actor=actor,
        model=model,
        directory=directory,
        name=name,
        activate=activate,
        files=files,
        period=period,
        cleanup=folder,
    )


def targeting_model_register(
    *, actor: User | None, source: Path, name: str = "", activate: bool = True, progress: Progress = _quiet
) -> TargetingModelVersion:
    """Register a model folder written by the engine (``ctpat targeting train``): it is checked,
    copied under VAR_DIR/targeting (the portal's copy never changes) and recorded."""
    try:
        model_load(source)
    except ModelDirError as error:
        raise TargetingRefused(str(error)) from error
    name = name or Path(source).resolve().name
    directory, folder = _model_folder(name)
    shutil.copytree(source, folder, ignore=shutil.ignore_patterns("*.so"))
    progress(f"copied {source} to {folder}")
    model = model_load(folder)
    return _register(
        actor=actor,
        model=model,
        directory=directory,
        name=name,
        activate=activate,
        files={},
        period=None,
        cleanup=folder,
    )


def _register(
    *,
    actor: User | None,
    model: TargetingModel,
    directory: str,
    name: str,
    activate: bool,
    files: dict[str, str],
    period: tuple[date, date] | None,
    cleanup: Path,
) -> TargetingModelVersion:
    summary = model_summary(model)
    try:
        with transaction.atomic():
            version = TargetingModelVersion.objects.create(
                name=name,
                directory=directory,
                label=summary["label"],
                trained_at=datetime.fromisoformat(summary["created_at"]),
                training_files=files,
                training_rows=summary["rows"],
                period_start=period[0] if period else None,
                period_end=period[1] if period else None,
                data_hashes=summary["data_hashes"],
                validation_metrics=_json_ready(summary["validation_metrics"]),
                library_versions=summary["library_versions"],
                training_settings=summary["settings"],
                top_features=summary["top_features"],
                registered_by=actor,
            )
            if activate:
                targeting_model_activate(actor=actor, version=version)
    except Exception:
        shutil.rmtree(cleanup, ignore_errors=True)
        raise
    return version


def _json_ready(value: Any) -> Any:
    # NaN (e.g. recall when a period has no violation) is not JSON; store null.
    if isinstance(value, dict):
        return {key: _json_ready(item) for key, item in value.items()}
    if isinstance(value, float) and value != value:
        return None
    return value


@transaction.atomic
def targeting_model_activate(*, actor: User | None, version: TargetingModelVersion) -> TargetingModelVersion:
    """Make ``version`` the model that scores new declaration files (one active at a time)."""
    TargetingModelVersion.objects.filter(is_active=True).exclude(pk=version.pk).update(is_active=False)
    version.is_active, version.activated_at, version.activated_by = True, timezone.now(), actor
    version.save(update_fields=["is_active", "activated_at", "activated_by"])
    return version


# --- Scoring a declaration file -------------------------------------------------------------


def _read_declarations(path: Path, *, shown_name: str) -> pl.DataFrame:
    try:
        frame = declarations_read(path).frame
    except DeclarationsRejected as rejected:
        raise TargetingRefused(
            f"{shown_name}: {len(rejected.problems)} row(s) do not fit; nothing was stored", rejected.problems
        ) from rejected
    except (DeclarationFileError, MissingColumnsError) as error:
        raise TargetingRefused(f"{shown_name}: {error}") from error
    if frame.height == 0:
        raise TargetingRefused(f"{shown_name} holds no declarations")
    _refuse_unstorable(frame, shown_name=shown_name)
    return frame


def _too_long(frame: pl.DataFrame) -> list[DeclarationProblem]:
    problems = []
    for name in ("declaration_id", "importer_id", *_TEXT_FIELDS):
        limit = _MAX_LENGTHS[name]
        long = frame.filter(pl.col(name).str.len_chars() > limit).select("line", name)
        problems += [
            DeclarationProblem(line, f"{name}: '{value}' is longer than {limit} characters")
            for line, value in long.iter_rows()
        ]
    return problems


def _refuse_unstorable(frame: pl.DataFrame, *, shown_name: str) -> None:
    """Refuse values the engine accepts but the portal cannot store: repeated or already stored
    declaration IDs and text longer than its column."""
    problems = _too_long(frame)
    first_line: dict[str, int] = {}
    for line, declaration_id in frame.select("line", "declaration_id").iter_rows():
        if declaration_id in first_line:
            problems.append(
                DeclarationProblem(
                    line, f"declaration_id: '{declaration_id}' repeats line {first_line[declaration_id]}"
                )
            )
        first_line.setdefault(declaration_id, line)
    stored = _stored_ids(list(first_line))
    problems += [
        DeclarationProblem(
            first_line[declaration_id], f"declaration_id: '{declaration_id}' was scored already ({source})"
        )
        for declaration_id, source in stored.items()
    ]
    if problems:
        problems.sort(key=lambda problem: problem.line)
        raise TargetingRefused(
            f"{shown_name}: {len(problems)} row(s) cannot be stored; nothing was stored", problems
        )


def _stored_ids(ids: Sequence[str]) -> dict[str, str]:
    stored: dict[str, str] = {}
    for start in range(0, len(ids), _CHUNK):
        rows = Declaration.objects.filter(declaration_id__in=ids[start : start + _CHUNK])
        stored.update(rows.values_list("declaration_id", "batch__source_name"))
    return stored


def _member_tiers(importer_ids: Iterable[str]) -> tuple[dict[str, Any], pl.DataFrame]:
    """Partners by the file's importer IDs, and the tiers frame the engine's policy reads."""
    members = member_importers()
    partners = {raw: members[importer_key(raw)] for raw in importer_ids if importer_key(raw) in members}
    tiers = {partner.pk: partner_tier_code(partner) for partner in set(partners.values())}
    rows = [
        (raw, tiers[partner.pk], False)
        for raw, partner in partners.items()
        if tiers[partner.pk] != NON_MEMBER
    ]
    frame = pl.DataFrame(
        rows, schema={"importer_id": pl.String, "tier": pl.String, "mra": pl.Boolean}, orient="row"
    )
    return partners, frame


def declarations_score_file(
    *,
    actor: User | None,
    path: Path,
    policy: SelectionPolicy,
    source_name: str = "",
    note: str = "",
    is_synthetic: bool = False,
    progress: Progress = _quiet,
) -> DeclarationBatch:
    """Score a declaration file (CSV or Parquet, canonical or KCS layout) with the active model,
    select under ``policy`` with each member importer's current tier, and store one declaration
    per row, in file order. An unfit row, a repeated or already stored declaration ID refuses the
    whole file."""
    shown_name = source_name or path.name
    version = active_model_version()
    if version is None:
        raise TargetingRefused(
            "No targeting model is active: register one first (ctpat manage targeting_train)."
        )
    frame = _read_declarations(path, shown_name=shown_name)
    progress(f"read {frame.height} declarations from {shown_name}")
    scores = loaded_model(version).score(frame)
    progress(f"scored with model {version.name}")
    partners, tiers = _member_tiers(frame["importer_id"].unique().to_list())
    scored = frame.select("declaration_id", "importer_id").with_columns(pl.Series("score", scores))
    selection = declarations_select(scored, policy=policy, tiers=tiers)
    progress(f"selected {int(selection['selected'].sum())} of {selection.height} for examination")
    with transaction.atomic():
        batch = DeclarationBatch.objects.create(
            source_name=shown_name[:255],
            model_version=version,
            policy=policy_record(policy),
            is_synthetic=is_synthetic,
            note=note,
            scored_by=actor,
        )
        rows = _declaration_rows(batch, frame, selection, partners)
        Declaration.objects.bulk_create(rows, batch_size=1000)
        _batch_counts(batch, rows)
    progress(
        f"stored batch {batch.pk}: {batch.selected_count} selected ({batch.risk_count} by risk, "
        f"{batch.random_count} at random), {batch.member_count} declarations of CTPAT members"
    )
    return batch


def _declaration_rows(
    batch: DeclarationBatch, frame: pl.DataFrame, selection: pl.DataFrame, partners: dict[str, Any]
) -> list[Declaration]:
    decisions = selection.select("tier", "mra", "score", "adjusted_score", "selected", "selection", "reason")
    rows = []
    for position, (row, decision) in enumerate(
        zip(frame.iter_rows(named=True), decisions.iter_rows(named=True), strict=True)
    ):
        partner = partners.get(row["importer_id"])
        rows.append(
            Declaration(
                batch=batch,
                position=position,
                line=row["line"],
                declaration_id=row["declaration_id"],
                declared_on=row["date"],
                importer_id=row["importer_id"],
                importer_key=importer_key(row["importer_id"]),
                partner=partner,
                **{name: row[name] or "" for name in _TEXT_FIELDS},
                customs_value=row["customs_value"],
                net_mass=row["net_mass"],
                tax_rate=row["tax_rate"],
                tier=decision["tier"],
                mra=decision["mra"],
                score=decision["score"],
                adjusted_score=decision["adjusted_score"],
                selected=decision["selected"],
                selection=decision["selection"] or "",
                reason=decision["reason"] or "",
            )
        )
    return rows


_MAX_LENGTHS: dict[str, int] = {
    field.name: field.max_length
    for field in Declaration._meta.concrete_fields
    if isinstance(field, models.CharField) and field.max_length
}
_TEXT_FIELDS = (
    "declarant_id",
    "seller_id",
    "hs_code",
    "origin_country",
    "departure_country",
    "transport_mode",
    "office_id",
)


def _batch_counts(batch: DeclarationBatch, rows: list[Declaration]) -> None:
    batch.declarations_count = len(rows)
    batch.selected_count = sum(row.selected for row in rows)
    batch.risk_count = sum(row.selection == "risk" for row in rows)
    batch.random_count = sum(row.selection == "random" for row in rows)
    batch.member_count = sum(row.partner is not None for row in rows)
    batch.save(
        update_fields=["declarations_count", "selected_count", "risk_count", "random_count", "member_count"]
    )


# --- Outcomes -------------------------------------------------------------------------------


def declaration_outcomes_record(
    *, actor: User | None, content: bytes, source_name: str, progress: Progress = _quiet
) -> OutcomeImport:
    """Record examination outcomes from ``declaration_id,inspected,fraud,critical``. A line that
    does not fit or names a declaration not stored refuses the whole file."""
    try:
        outcomes = outcomes_read(content)
    except OutcomesRefused as refused:
        raise TargetingRefused(f"{source_name}: nothing was recorded", refused.problems) from refused
    ids = [outcome.declaration_id for outcome in outcomes]
    stored: dict[str, Declaration] = {}
    for start in range(0, len(ids), _CHUNK):
        stored.update(
            (d.declaration_id, d)
            for d in Declaration.objects.filter(declaration_id__in=ids[start : start + _CHUNK])
        )
    unknown = [
        DeclarationProblem(o.line, f"declaration_id: '{o.declaration_id}' is not a scored declaration")
        for o in outcomes
        if o.declaration_id not in stored
    ]
    if unknown:
        raise TargetingRefused(f"{source_name}: nothing was recorded", unknown)
    now = timezone.now()
    for outcome in outcomes:
        row = stored[outcome.declaration_id]
        row.inspected, row.fraud, row.critical = outcome.inspected, outcome.fraud, outcome.critical
        row.outcome_recorded_at = now
    with transaction.atomic():
        fields = ["inspected", "fraud", "critical", "outcome_recorded_at"]
        Declaration.objects.bulk_update(list(stored.values()), fields, batch_size=500)
        recorded = OutcomeImport.objects.create(
            source_name=source_name[:255], rows=len(outcomes), recorded_by=actor
        )
    progress(f"recorded {len(outcomes)} outcomes from {source_name}")
    return recorded
