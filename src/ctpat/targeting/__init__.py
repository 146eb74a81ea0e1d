"""Declaration targeting: risk profiles, a compact LightGBM model, a selection policy and metrics.

Importable without Django. The entry points the portal and the command line use::

    from ctpat.targeting import declarations_read, model_train, model_save, model_load
    from ctpat.targeting import SelectionPolicy, declarations_select, targeting_metrics

    train = declarations_read("train.csv").frame
    valid = declarations_read("valid.csv").frame
    model = model_train(train=train, valid=valid)
    model_save(model, "var/targeting-model")
    scores = model.score(valid)                       # numpy array, one score per row
    chosen = declarations_select(valid.select("declaration_id", "importer_id").with_columns(
        score=scores), policy=SelectionPolicy(budget=0.05), tiers=None)
"""

from ctpat.targeting.declarations import (
    DeclarationFileError,
    DeclarationProblem,
    Declarations,
    DeclarationsRejected,
    InvalidRows,
    declaration_source_open,
    declarations_read,
)
from ctpat.targeting.metrics import (
    compliance_estimate,
    examination_rates,
    precision_at,
    recall_at,
    roc_auc,
    selection_precision,
    targeting_metrics,
)
from ctpat.targeting.model import (
    ModelDirError,
    TargetingModel,
    TrainingSettings,
    model_load,
    model_save,
    model_summary,
    model_train,
)
from ctpat.targeting.policy import (
    PolicyError,
    SelectionPolicy,
    declarations_select,
    importer_tiers_read,
    policy_read,
    policy_validate,
    synthetic_tiers,
)
from ctpat.targeting.schema import Layout, MissingColumnsError
from ctpat.targeting.scoring import ScoringEngine, ScoringReport, scoring_engine

__all__ = [
    "DeclarationFileError",
    "DeclarationProblem",
    "Declarations",
    "DeclarationsRejected",
    "InvalidRows",
    "Layout",
    "MissingColumnsError",
    "ModelDirError",
    "PolicyError",
    "ScoringEngine",
    "ScoringReport",
    "SelectionPolicy",
    "TargetingModel",
    "TrainingSettings",
    "compliance_estimate",
    "declaration_source_open",
    "declarations_read",
    "declarations_select",
    "examination_rates",
    "importer_tiers_read",
    "model_load",
    "model_save",
    "model_summary",
    "model_train",
    "policy_read",
    "policy_validate",
    "precision_at",
    "recall_at",
    "roc_auc",
    "scoring_engine",
    "selection_precision",
    "synthetic_tiers",
    "targeting_metrics",
]
