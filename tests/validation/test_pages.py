"""Every validation page against every persona, the partner's isolation, the worksheet saved as
the specialist types, the report PDF, the decision through the pages, and the validation clock
shown on the pages checked against a recomputation from the event rows."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ctpat.accounts.models import User
from ctpat.applications.models import Partner, PartnerEvent
from ctpat.applications.selectors import partner_tier
from ctpat.core.clocks import ClockPolicy, LifecycleEvent, validation_clock
from ctpat.core.lifecycle import PartnerStatus
from ctpat.core.validation_rules import FindingKind, Stage
from ctpat.validation import services
from ctpat.validation.models import Finding, Validation
from tests.conftest import Personas
from tests.validation.conftest import PDF, Stages, criteria_for, membership_of

ClientFor = Callable[[User | None], Client]
AGENCY = ("sam", "sue", "pat", "rita", "adam")
DECIDERS = ("sam", "sue", "pat")
ACME = ("alice", "bob", "carol", "dave")
EVERYONE = (*AGENCY, *ACME, "erin", "liam", "nora", "stan", "anonymous")


def table(default: int, **statuses: int) -> dict[str, int]:
    """Expected status per persona; anonymous visitors are sent to the log-in page."""
    return dict.fromkeys(EVERYONE, default) | statuses | {"anonymous": 302}


AGENCY_OK = table(403, **dict.fromkeys((*AGENCY, "stan"), 200))
DECIDERS_OK = table(403, **dict.fromkeys((*DECIDERS, "stan"), 200))
FIELDWORK_OK = table(403, **dict.fromkeys(DECIDERS, 200))  # Stan is not on the team
ACME_AFTER_REPORT = table(403, **dict.fromkeys((*AGENCY, "stan", *ACME), 200), erin=404)
ACME_PARTNER_PAGE = table(403, **dict.fromkeys(ACME, 200), erin=404)
PARTNER_LIST = table(403, **dict.fromkeys((*ACME, "erin"), 200))


def client_as(name: str, personas: Personas, stan: User, client_for: ClientFor) -> Client:
    if name == "anonymous":
        return client_for(None)
    return client_for(stan if name == "stan" else getattr(personas, name))


def statuses(
    method: str,
    url: str,
    personas: Personas,
    stan: User,
    client_for: ClientFor,
    data: dict[str, str] | None = None,
) -> dict[str, int]:
    answered = {}
    for name in EVERYONE:
        client = client_as(name, personas, stan, client_for)
        response = client.post(url, data or {}) if method == "post" else client.get(url)
        answered[name] = response.status_code
    return answered


@pytest.fixture
def sent_with_evidence(stages: Stages, personas: Personas) -> tuple[Validation, int]:
    validation = stages.fieldwork()
    finding = validation.findings.get()
    evidence = services.finding_evidence_add(
        actor=personas.sam,
        membership=membership_of(personas.sam),
        finding=finding,
        upload=SimpleUploadedFile("seal-photo.pdf", PDF),
    )
    services.report_send(actor=personas.sam, membership=membership_of(personas.sam), validation=validation)
    return validation, evidence.pk


# --- Who may open what -------------------------------------------------------------------------


def test_agency_pages_against_every_persona(
    personas: Personas, stan: User, client_for: ClientFor, sent_with_evidence: tuple[Validation, int]
) -> None:
    validation, _evidence = sent_with_evidence
    site = validation.sites.get(country="US")
    pages = {
        reverse("validation:list"): AGENCY_OK,
        reverse("validation:dashboard"): AGENCY_OK,
        reverse("validation:plan", args=[personas.acme.pk]): DECIDERS_OK,
        reverse("validation:detail", args=[validation.pk]): AGENCY_OK,
        reverse("validation:plan_edit", args=[validation.pk]): DECIDERS_OK,
        reverse("validation:site_add", args=[validation.pk]): FIELDWORK_OK,
        reverse("validation:site_edit", args=[validation.pk, site.pk]): FIELDWORK_OK,
        reverse("validation:worksheet", args=[validation.pk, site.pk]): AGENCY_OK,
        reverse("validation:company_findings", args=[validation.pk]): AGENCY_OK,
    }
    for url, expected in pages.items():
        assert statuses("get", url, personas, stan, client_for) == expected, url


def test_report_and_partner_pages_against_every_persona(
    personas: Personas, stan: User, client_for: ClientFor, sent_with_evidence: tuple[Validation, int]
) -> None:
    validation, evidence = sent_with_evidence
    pages = {
        reverse("validation:report_pdf", args=[validation.pk]): ACME_AFTER_REPORT,
        reverse("validation:evidence", args=[validation.pk, evidence]): ACME_AFTER_REPORT,
        reverse("validation:partner_list"): PARTNER_LIST,
        reverse("validation:partner_detail", args=[validation.pk]): ACME_PARTNER_PAGE,
    }
    for url, expected in pages.items():
        assert statuses("get", url, personas, stan, client_for) == expected, url


def test_the_partner_sees_nothing_before_the_report_is_sent(
    personas: Personas, stan: User, client_for: ClientFor, stages: Stages
) -> None:
    validation = stages.fieldwork()
    hidden = table(403, **dict.fromkeys((*AGENCY, "stan"), 200), **dict.fromkeys((*ACME, "erin"), 404))
    assert (
        statuses("get", reverse("validation:report_pdf", args=[validation.pk]), personas, stan, client_for)
        == hidden
    )
    partner_page = table(403, **dict.fromkeys((*ACME, "erin"), 404))
    url = reverse("validation:partner_detail", args=[validation.pk])
    assert statuses("get", url, personas, stan, client_for) == partner_page
    listing = client_for(personas.alice).get(reverse("validation:partner_list"))
    assert f"V-{validation.pk}" not in listing.content.decode()
    dashboard = client_for(personas.alice).get(reverse("applications:dashboard")).content.decode()
    assert "No validation report yet." in dashboard


def test_another_company_never_sees_acmes_report(
    personas: Personas, client_for: ClientFor, sent_with_evidence: tuple[Validation, int]
) -> None:
    validation, evidence = sent_with_evidence
    erin = client_for(personas.erin)
    assert f"V-{validation.pk}" not in erin.get(reverse("validation:partner_list")).content.decode()
    assert f"V-{validation.pk}" not in erin.get(reverse("applications:dashboard")).content.decode()
    carol = client_for(personas.carol)
    carol.post(reverse("accounts:switch"), {"organization": personas.beta.organization_id})
    assert carol.get(reverse("validation:partner_detail", args=[validation.pk])).status_code == 404
    assert carol.get(reverse("validation:evidence", args=[validation.pk, evidence])).status_code == 404


def test_writes_against_every_persona(
    personas: Personas, stan: User, client_for: ClientFor, stages: Stages
) -> None:
    validation = stages.fieldwork()
    criterion = criteria_for(validation)[1]
    finding = validation.findings.get()
    home = validation.sites.get(country="US")
    services.finding_save(
        actor=personas.sam,
        membership=membership_of(personas.sam),
        validation=validation,
        site=home,
        criterion=criterion,
        kind="compliant",
        narrative="",
    )  # a site with findings is never removed, so every decider's try is refused alike
    writes = {
        reverse("validation:finding_save", args=[validation.pk]): {
            "criterion": str(criterion.pk),
            "kind": "",
        },
        reverse("validation:finding_evidence", args=[validation.pk, finding.pk]): {},
        reverse("validation:site_delete", args=[validation.pk, home.pk]): {},
        reverse("validation:propose", args=[validation.pk]): {},
        reverse("validation:report_send", args=[validation.pk]): {},  # last: it ends the fieldwork
    }
    allowed = table(403, **dict.fromkeys(DECIDERS, 0))
    for url, data in writes.items():
        answered = statuses("post", url, personas, stan, client_for, data)
        refused = {name: code for name, code in answered.items() if allowed[name] != 0}
        assert refused == {k: v for k, v in allowed.items() if v != 0}, url
        assert all(answered[name] not in (403, 404) for name in DECIDERS), (url, answered)


def test_approval_and_return_against_every_persona(
    personas: Personas, stan: User, client_for: ClientFor, stages: Stages
) -> None:
    proposal = stages.proposed()
    for name in ("approve", "return"):
        url = reverse(f"validation:{name}", args=[proposal.validation_id, proposal.pk])
        answered = statuses("post", url, personas, stan, client_for, {"note": ""})
        expected = table(403, sue=answered["sue"], pat=answered["pat"])
        assert answered == expected
        assert answered["sue"] == 302  # the first approver decides; the second finds it decided
    assert Partner.objects.get(pk=personas.acme.pk).status == PartnerStatus.VALIDATED


def test_the_response_against_every_persona(
    personas: Personas, stan: User, client_for: ClientFor, stages: Stages
) -> None:
    validation = stages.report_sent()
    url = reverse("validation:partner_respond", args=[validation.pk])
    answered = statuses("post", url, personas, stan, client_for, {"text": ""})
    assert answered == table(403, alice=422, bob=422, carol=422, erin=404)


# --- The pages at work -------------------------------------------------------------------------


def test_plan_page_plans_with_the_facilities_as_sites(
    personas: Personas, client_for: ClientFor, certified: Partner
) -> None:
    sam = client_for(personas.sam)
    today = timezone.localdate()
    url = reverse("validation:plan", args=[certified.pk])
    bad = sam.post(
        url, {"lead": personas.sam.pk, "planned_start": "2026-13-01", "planned_end": today.isoformat()}
    )
    assert bad.status_code == 422 and "Enter a valid date" in bad.content.decode()
    response = sam.post(
        url,
        {
            "lead": personas.sam.pk,
            "planned_start": today.isoformat(),
            "planned_end": today.isoformat(),
            "prefill_sites": "on",
        },
    )
    validation = Validation.objects.get(partner=certified)
    assert response.url == reverse("validation:detail", args=[validation.pk])
    detail = sam.get(response.url).content.decode()
    assert "Main warehouse" in detail and "Stuttgart plant" in detail and "33.768300" in detail


def test_site_form_shows_each_error_by_its_field(
    personas: Personas, client_for: ClientFor, stages: Stages
) -> None:
    validation = stages.planned()
    site = validation.sites.get(country="US")
    data = {"name": site.name, "city": site.city, "country": "US", "no_go": "on", "mra_partner": "EU"}
    page = client_for(personas.sam).post(reverse("validation:site_edit", args=[validation.pk, site.pk]), data)
    html = page.content.decode()
    assert page.status_code == 422
    assert "Say why the site is a no-go zone." in html
    assert "Only a foreign site" in html and "Give the MRA partner" in html


def test_worksheet_saves_as_the_specialist_types_with_an_error_per_field(
    personas: Personas, client_for: ClientFor, stages: Stages
) -> None:
    validation = stages.planned()
    site = validation.sites.get(country="US")
    url = reverse("validation:worksheet", args=[validation.pk, site.pk])
    sam = client_for(personas.sam)
    assert "7-point container" in sam.get(url).content.decode()
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    typed = {
        "visited_on": future,
        "container_7__front_wall__result": "ok",
        "container_7__floor__result": "issue",
        "container_7__floor__note": "",
        "vvtt_view": "1",
        "seal_class_seen": "S",
        "seal_log_kept": "no",
        "observations": "Seal cabinet unlocked.",
    }
    answer = sam.post(url, typed, headers={"HX-Request": "true"})
    html = answer.content.decode()
    assert answer.status_code == 200
    assert re.search(r'id="err-visited_on"[^>]*>The visit date cannot be in the future', html)
    assert re.search(r'id="err-container_7__floor__note"[^>]*>Describe the issue', html)
    assert re.search(r'id="err-container_7__front_wall__result"[^>]*></span>', html)  # cleared
    assert "class S seen" in html  # the seal concerns update as they type
    site.refresh_from_db()
    assert site.inspections["container_7"]["floor"]["result"] == "issue"
    assert (site.seal_class_seen, site.seal_log_kept, site.observations) == (
        "S",
        False,
        "Seal cabinet unlocked.",
    )
    # Without htmx the page comes back with what was typed, including the refused date.
    full = sam.post(url, typed)
    assert full.status_code == 422
    assert f'value="{future}"' in full.content.decode()


def test_findings_save_as_they_type(personas: Personas, client_for: ClientFor, stages: Stages) -> None:
    validation = stages.planned()
    criterion = criteria_for(validation)[0]
    url = reverse("validation:finding_save", args=[validation.pk])
    sam = client_for(personas.sam)
    data = {"site": "0", "criterion": str(criterion.pk), "kind": "major_deficiency", "narrative": ""}
    html = sam.post(url, data, headers={"HX-Request": "true"}).content.decode()
    assert re.search(rf'id="s0-c{criterion.pk}-narrative-error"[^>]*>Describe the deficiency', html)
    data["narrative"] = "Seals in an open drawer."
    html = sam.post(url, data, headers={"HX-Request": "true"}).content.decode()
    assert "Saved" in html
    assert Finding.objects.get(validation=validation).narrative == "Seals in an open drawer."
    page = sam.get(reverse("validation:company_findings", args=[validation.pk])).content.decode()
    assert "Seals in an open drawer." in page


def test_report_pdf_draft_and_sent(personas: Personas, client_for: ClientFor, stages: Stages) -> None:
    validation = stages.fieldwork()
    sam = client_for(personas.sam)
    draft = sam.get(reverse("validation:report_pdf", args=[validation.pk]))
    assert draft["Content-Type"] == "application/pdf" and draft.content.startswith(b"%PDF")
    assert "draft" in draft["Content-Disposition"]
    sam.post(reverse("validation:report_send", args=[validation.pk]))
    sent = client_for(personas.alice).get(reverse("validation:report_pdf", args=[validation.pk]))
    assert sent.content.startswith(b"%PDF") and "draft" not in sent["Content-Disposition"]


def test_decision_through_the_pages(personas: Personas, client_for: ClientFor, stages: Stages) -> None:
    validation = stages.responded((FindingKind.COMPLIANT, FindingKind.BEST_PRACTICE))
    sam, sue = client_for(personas.sam), client_for(personas.sue)
    detail = reverse("validation:detail", args=[validation.pk])
    page = sam.get(detail).content.decode()
    assert 'value="tier_3"' in page and 'value="corrective_action"' not in page
    refused = sam.post(reverse("validation:propose", args=[validation.pk]), {"outcome": "corrective_action"})
    assert refused.status_code == 422 and "needs at least one deficiency" in refused.content.decode()
    sam.post(reverse("validation:propose", args=[validation.pk]), {"outcome": "tier_2"})
    proposal = validation.proposals.get()
    assert "separation of duties" in sam.get(detail).content.decode()
    assert sam.post(reverse("validation:approve", args=[validation.pk, proposal.pk])).status_code == 403
    sue.post(reverse("validation:approve", args=[validation.pk, proposal.pk]))
    assert partner_tier(personas.acme).tier == 2
    partner_page = client_for(personas.alice).get(reverse("validation:partner_detail", args=[validation.pk]))
    assert "Tier 2" in partner_page.content.decode()


def test_the_partner_responds_with_evidence(
    personas: Personas, client_for: ClientFor, stages: Stages
) -> None:
    validation = stages.report_sent()
    bob = client_for(personas.bob)
    url = reverse("validation:partner_respond", args=[validation.pk])
    upload = SimpleUploadedFile("fixed.pdf", PDF, content_type="application/pdf")
    response = bob.post(url, {"text": "Seal log introduced.", "evidence": [upload]})
    assert response.status_code == 302
    validation.refresh_from_db()
    assert validation.stage == Stage.RESPONDED
    assert validation.response.evidence.get().original_name == "fixed.pdf"
    page = client_for(personas.sam).get(reverse("validation:detail", args=[validation.pk])).content.decode()
    assert "Seal log introduced." in page and "fixed.pdf" in page


# --- The validation clock ----------------------------------------------------------------------


def recomputed_clock(partner: Partner) -> tuple[str, int]:
    """The validation clock rebuilt from the event rows, independently of the selectors."""
    events = [LifecycleEvent(e.transition, e.at) for e in PartnerEvent.objects.filter(partner=partner)]
    clock = validation_clock(events, ClockPolicy(settings.CERTIFICATION_DAYS, settings.VALIDATION_DAYS))
    assert clock is not None
    return timezone.localtime(clock.due).strftime("%Y-%m-%d"), clock.days_left(timezone.now())


def shown_clock(html: str) -> tuple[str, int]:
    match = re.search(r'data-testid="validation-clock" data-due="([\d-]+)" data-days-left="(-?\d+)"', html)
    assert match, "no validation clock on the page"
    return match.group(1), int(match.group(2))


def test_the_clock_shown_equals_a_recomputation_from_the_events(
    personas: Personas, client_for: ClientFor, stages: Stages
) -> None:
    acme = personas.acme
    # Move certification into the past, as time would, so the clock has a story to tell.
    PartnerEvent.objects.filter(partner=acme, transition="certify").update(
        at=timezone.now() - timedelta(days=320)
    )
    validation = stages.planned()
    sam = client_for(personas.sam)
    for url in (
        reverse("validation:detail", args=[validation.pk]),
        reverse("validation:plan", args=[acme.pk]),
        reverse("validation:plan_edit", args=[validation.pk]),
    ):
        assert shown_clock(sam.get(url).content.decode()) == recomputed_clock(acme), url
    due, days_left = recomputed_clock(acme)
    assert days_left in (44, 45)
    listing = sam.get(reverse("validation:dashboard")).content.decode()
    assert due in listing  # a validation due within 60 days is at risk
