"""The analyst page's charts, built with :mod:`ctpat.charts` from a :class:`TargetingSummary`.

Shares are drawn in percent; a month with nothing to measure is drawn at 0 and shown as "—" in
the page's own tables, which carry every number with the sample it rests on.
"""

from __future__ import annotations

import math

from django.utils.translation import gettext as _

from ctpat.charts import Chart, Series, bar_chart, line_chart
from ctpat.declarations.analysis import TIER_LABELS, TIERS
from ctpat.declarations.selectors import TargetingSummary


def _percent(value: float) -> float:
    return 0.0 if math.isnan(value) else round(value * 100, 1)


def analysis_charts(summary: TargetingSummary) -> dict[str, Chart]:
    months = [month.month for month in summary.months]
    return {
        "rates": bar_chart(
            _("Examination rate by tier, all months"),
            [rate.label for rate in summary.overall.rates],
            [Series(_("Examined"), [_percent(rate.rate) for rate in summary.overall.rates])],
            unit="%",
        ),
        "rates_by_month": line_chart(
            _("Examination rate by month"),
            months,
            [
                Series(TIER_LABELS[tier], [_percent(m.figures.rate_of(tier).rate) for m in summary.months])
                for tier in TIERS
                if summary.overall.rate_of(tier).declarations  # no line for a tier with no declarations
            ],
            unit="%",
        ),
        "precision": line_chart(
            _("Precision of risk-based selections by month"),
            months,
            [Series(_("Violations found"), [_percent(m.figures.precision.value) for m in summary.months])],
            unit="%",
        ),
        "compliance": line_chart(
            _("Compliance rate estimated from the random share, by month"),
            months,
            [Series(_("Compliance rate"), [_percent(m.figures.compliance.value) for m in summary.months])],
            unit="%",
        ),
        "cost": bar_chart(
            _("Precision of risk-based selections with and without the tier reductions"),
            [_("With the tier reductions"), _("Without them")],
            [
                Series(
                    _("Precision"),
                    [
                        _percent(summary.cost.with_reductions.value),
                        _percent(summary.cost.without_reductions.value),
                    ],
                )
            ],
            unit="%",
        ),
    }
