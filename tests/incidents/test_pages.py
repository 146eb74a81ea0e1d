"""Every incident page against every persona and the government-agency liaisons: who may open
what, a partner's isolation, a liaison seeing only the referrals made to its own agency; then the
pages' forms (bad input answered with clear errors and nothing written) and what they show."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ctpat.accounts.models import User
from ctpat.incidents import services
from ctpat.incidents.models import EvidencePurpose, Incident, IncidentEvidence
from tests.conftest import Personas
from tests.incidents.conftest import (
    ACME,
    ACME_EDITORS,
    AGENCY,
    DECIDERS,
    EVERYONE,
    ClientFor,
    Government,
    Stages,
    certify,
    membership_of,
    pdf,
    table,
)

UserNamed = Callable[[str], User | None]

LIST = table(403, **dict.fromkeys((*AGENCY, *ACME, "erin"), 200))
REPORT = table(403, **dict.fromkeys((*ACME_EDITORS, "erin"), 200))
DETAIL = table(403, **dict.fromkeys((*AGENCY, *ACME), 200), erin=404)
RECORD = table(403, **dict.fromkeys(DECIDERS, 200))
# Posting an empty form: allowed roles get the form back with errors (422), nothing is written.
DECIDE = table(403, **dict.fromkeys(DECIDERS, 422))
PARTNER_EDIT = table(403, **dict.fromkeys(ACME_EDITORS, 422), erin=404)
REFERRALS = table(403, ivy=200, tess=200)
ONE_REFERRAL = table(403, ivy=200, tess=404)


def statuses(
    method: str, url: str, user_named: UserNamed, client_for: ClientFor, data: dict[str, str] | None = None
) -> dict[str, int]:
    answered = {}
    for name in EVERYONE:
        client = client_for(user_named(name))
        response = client.post(url, data or {}) if method == "post" else client.get(url)
        answered[name] = response.status_code
    return answered


# --- Who may open what -------------------------------------------------------------------------


def test_list_and_report_pages(user_named: UserNamed, client_for: ClientFor) -> None:
    assert statuses("get", "/incidents/", user_named, client_for) == LIST
    assert statuses("get", "/incidents/report/", user_named, client_for) == REPORT


def test_incident_page_and_its_files(
    personas: Personas, stages: Stages, user_named: UserNamed, client_for: ClientFor
) -> None:
    incident = stages.reported()
    evidence = incident.evidence.get()
    assert statuses("get", f"/incidents/{incident.pk}/", user_named, client_for) == DETAIL
    assert (
        statuses("get", f"/incidents/{incident.pk}/evidence/{evidence.pk}/", user_named, client_for) == DETAIL
    )
    assert client_for(personas.sam).get(f"/incidents/{incident.pk + 99}/").status_code == 404


def test_record_page(personas: Personas, user_named: UserNamed, client_for: ClientFor) -> None:
    assert statuses("get", f"/incidents/record/{personas.acme.pk}/", user_named, client_for) == RECORD
    assert client_for(personas.sam).get("/incidents/record/999999/").status_code == 404


@pytest.mark.parametrize("action", ["triage", "refer", "request-analysis", "noncompliance", "close"])
def test_decisions_are_for_the_agency_deciders(
    stages: Stages, user_named: UserNamed, client_for: ClientFor, action: str
) -> None:
    incident = stages.triaged() if action != "triage" else stages.reported()
    assert statuses("post", f"/incidents/{incident.pk}/{action}/", user_named, client_for) == DECIDE
    assert incident.events.count() == (2 if action != "triage" else 1)  # nothing was written


@pytest.mark.parametrize("action", ["investigation", "analysis"])
def test_the_partners_side_is_for_its_editors(
    stages: Stages, user_named: UserNamed, client_for: ClientFor, action: str
) -> None:
    incident = stages.analysis_requested()
    assert statuses("post", f"/incidents/{incident.pk}/{action}/", user_named, client_for) == PARTNER_EDIT


def test_a_liaison_sees_only_the_referrals_to_its_agency(
    personas: Personas, stages: Stages, gov: Government, user_named: UserNamed, client_for: ClientFor
) -> None:
    incident, referral = stages.referred()
    assert statuses("get", "/incidents/referrals/", user_named, client_for) == REFERRALS
    assert statuses("get", f"/incidents/referrals/{referral.pk}/", user_named, client_for) == ONE_REFERRAL
    report_file = incident.evidence.get(purpose=EvidencePurpose.REPORT)
    url = f"/incidents/referrals/{referral.pk}/evidence/{report_file.pk}/"
    assert statuses("get", url, user_named, client_for) == ONE_REFERRAL
    # Ivy reads ICE's list (this referral only), not TSA's; Tess's list is empty.
    ivy, tess = client_for(gov.ivy), client_for(gov.tess)
    other, _ = stages.referred()
    services.incident_refer(
        actor=personas.sam,
        membership=membership_of(personas.sam),
        incident=other,
        agency=gov.tsa,
        note="For TSA.",
    )
    ice_list = ivy.get("/incidents/referrals/").content.decode()
    assert len(re.findall(r'href="/incidents/referrals/\d+/"', ice_list)) == 2  # both referred to ICE
    tsa_list = tess.get("/incidents/referrals/").content.decode()
    assert re.findall(r'href="/incidents/referrals/(\d+)/"', tsa_list) == [
        str(other.referrals.get(agency=gov.tsa).pk)
    ]
    # Nothing else: not the incident page, its other files, the partner's application, other lists.
    assert ivy.get(f"/incidents/{incident.pk}/").status_code == 403
    assert ivy.get(f"/agency/applications/{personas.acme.pk}/").status_code == 403
    assert ivy.get("/application/").status_code == 403
    assert ivy.get("/audits/").status_code == 403


def test_the_referral_page_is_read_only_and_hides_the_partners_own_file(
    personas: Personas, stages: Stages, gov: Government, client_for: ClientFor
) -> None:
    incident, referral = stages.referred()
    services.investigation_update(
        actor=personas.alice,
        membership=membership_of(personas.alice),
        incident=incident,
        investigation="Internal: the night guard was asleep.",
        corrective_actions="",
        uploads=[pdf("internal.pdf")],
    )
    internal = incident.evidence.get(purpose=EvidencePurpose.INVESTIGATION)
    ivy = client_for(gov.ivy)
    page = ivy.get(f"/incidents/referrals/{referral.pk}/").content.decode()
    assert "Possible smuggling route." in page and "MAEU123456789" in page and "seal-photo.pdf" in page
    assert "night guard" not in page and "internal.pdf" not in page
    assert "<form" not in page.split('id="main-content"')[1]
    assert ivy.get(f"/incidents/referrals/{referral.pk}/evidence/{internal.pk}/").status_code == 404
    assert ivy.post(f"/incidents/{incident.pk}/close/", {"close-reason": "x"}).status_code == 403


# --- Forms -------------------------------------------------------------------------------------


def _form(**overrides: str) -> dict[str, str]:
    now = timezone.localtime()
    return {
        "kind": "theft",
        "happened_at": (now - timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M"),
        "found_at": (now - timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M"),
        "place": "Otay Mesa, lane 3",
        "country": "us",
        "description": "Two pallets missing.",
        "seal_numbers": "SL998877",
        **overrides,
    }


def test_a_partner_reports_on_the_page(personas: Personas, client_for: ClientFor) -> None:
    client = client_for(personas.bob)
    data = {**_form(), "evidence": [pdf("photo-1.pdf"), pdf("photo-2.pdf")]}
    response = client.post("/incidents/report/", data)
    incident = Incident.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/incidents/{incident.pk}/"
    assert incident.country == "US" and incident.self_reported and incident.reported_by == personas.bob
    assert incident.evidence.count() == 2
    page = client.get(response["Location"]).content.decode()
    assert "Self-reported" in page and "Two pallets missing." in page and 'data-testid="late"' not in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"happened_at": (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")},
            "in the future",
        ),
        (
            {"found_at": (timezone.localtime() - timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")},
            "before it happened",
        ),
        ({"kind": ""}, "This field is required"),
    ],
)
def test_bad_dates_on_the_page_are_explained_and_nothing_is_written(
    personas: Personas, client_for: ClientFor, overrides: dict[str, str], message: str
) -> None:
    response = client_for(personas.alice).post("/incidents/report/", _form(**overrides))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert Incident.objects.count() == 0


def test_a_wrong_file_type_on_the_page_is_explained_and_nothing_is_written(
    personas: Personas, client_for: ClientFor
) -> None:
    program = SimpleUploadedFile("seal.png", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + bytes(200))
    response = client_for(personas.alice).post("/incidents/report/", {**_form(), "evidence": [program]})
    assert response.status_code == 422
    assert "not an allowed type" in response.content.decode()
    assert Incident.objects.count() == 0 and IncidentEvidence.objects.count() == 0


def test_the_agency_records_on_the_page(personas: Personas, client_for: ClientFor) -> None:
    response = client_for(personas.sue).post(f"/incidents/record/{personas.acme.pk}/", _form())
    incident = Incident.objects.get()
    assert response.status_code == 302 and not incident.self_reported
    page = client_for(personas.sam).get(f"/incidents/{incident.pk}/").content.decode()
    assert "Not self-reported" in page


def test_the_triage_page_shows_self_reported_review_and_late_flag(
    personas: Personas, stages: Stages, client_for: ClientFor
) -> None:
    incident = stages.reported(
        found_at=timezone.now() - timedelta(hours=30), happened_at=timezone.now() - timedelta(days=2)
    )
    page = client_for(personas.sam).get(f"/incidents/{incident.pk}/").content.decode()
    assert "a self-reported breach gets a review, not an automatic suspension" in page
    assert 'data-testid="late"' in page and "limit 24" in page
    assert f'action="/incidents/{incident.pk}/triage/"' in page
    readonly = client_for(personas.rita).get(f"/incidents/{incident.pk}/").content.decode()
    assert 'data-testid="decisions"' not in readonly


def test_decisions_through_the_pages(
    personas: Personas, stages: Stages, gov: Government, client_for: ClientFor
) -> None:
    incident = stages.reported()
    sam = client_for(personas.sam)
    base = f"/incidents/{incident.pk}"
    assert sam.post(f"{base}/triage/", {"assessment": "Serious; refer."}).status_code == 302
    assert sam.post(f"{base}/refer/", {"agency": gov.ice.pk, "note": "For ICE."}).status_code == 302
    due = (timezone.localdate() + timedelta(days=20)).isoformat()
    assert sam.post(f"{base}/request-analysis/", {"question": "Root cause?", "due": due}).status_code == 302
    past = sam.post(f"{base}/request-analysis/", {"question": "Again?", "due": "2020-01-01"})
    assert past.status_code == 422  # not offered now (an analysis is awaited), and a past date
    incident.refresh_from_db()
    assert incident.state == "analysis_requested"
    alice = client_for(personas.alice)
    answer = alice.post(f"{base}/analysis/", {"text": "We fixed it.", "evidence": [pdf("analysis.pdf")]})
    assert answer.status_code == 302
    assert sam.post(f"{base}/close/", {"close-reason": "Done."}).status_code == 302
    incident.refresh_from_db()
    assert incident.state == "closed"
    page = alice.get(f"{base}/").content.decode()
    assert "We fixed it." in page and 'data-testid="investigation-form"' not in page


def test_an_unknown_agency_in_the_referral_form_is_refused(
    personas: Personas, stages: Stages, client_for: ClientFor
) -> None:
    incident = stages.triaged()
    mra = personas.liam.memberships.get().organization
    response = client_for(personas.sam).post(
        f"/incidents/{incident.pk}/refer/", {"agency": mra.pk, "note": "x"}
    )
    assert response.status_code == 422 and incident.referrals.count() == 0


def test_the_investigation_form_keeps_history(
    personas: Personas, stages: Stages, client_for: ClientFor
) -> None:
    incident = stages.reported()
    client = client_for(personas.carol)
    data = {"investigation": "Camera footage reviewed.", "corrective_actions": "Second seal check."}
    assert client.post(f"/incidents/{incident.pk}/investigation/", data).status_code == 302
    page = client.get(f"/incidents/{incident.pk}/").content.decode()
    assert "2 versions" in page and "Second seal check." in page
    again = client.post(f"/incidents/{incident.pk}/investigation/", data)
    assert again.status_code == 422 and "Nothing was changed." in again.content.decode()


def test_lists_filter_and_flag(personas: Personas, stages: Stages, client_for: ClientFor) -> None:
    stages.reported(
        found_at=timezone.now() - timedelta(hours=30), happened_at=timezone.now() - timedelta(days=2)
    )
    stages.triaged()
    page = client_for(personas.sam).get("/incidents/?state=triaged").content.decode()
    assert page.count('href="/incidents/') - page.count('href="/incidents/?') >= 1
    assert "Late" not in page.split('data-testid="incidents"')[1]
    everything = client_for(personas.sam).get("/incidents/").content.decode()
    assert "Late" in everything.split('data-testid="incidents"')[1]
    assert "No incidents." in client_for(personas.erin).get("/incidents/").content.decode()


def test_dashboard_and_agency_page_show_the_panels(
    personas: Personas, stages: Stages, client_for: ClientFor
) -> None:
    incident = stages.reported()
    dashboard = client_for(personas.alice).get("/application/").content.decode()
    assert incident.reference in dashboard and 'href="/incidents/report/"' in dashboard
    agency = client_for(personas.sam).get(f"/agency/applications/{personas.acme.pk}/")
    assert agency.status_code == 200
    text = agency.content.decode()
    assert incident.reference in text and f'href="/incidents/record/{personas.acme.pk}/"' in text


def test_non_compliance_through_the_page_links_the_case(
    personas: Personas, stages: Stages, client_for: ClientFor
) -> None:
    certify(personas, personas.acme, personas.alice)
    incident = stages.triaged()
    sam = client_for(personas.sam)
    response = sam.post(
        f"/incidents/{incident.pk}/noncompliance/", {"escalate-reason": "Repeated seal failures."}
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    page = sam.get(f"/incidents/{incident.pk}/").content.decode()
    assert (
        'data-testid="noncompliance"' in page
        and f"/compliance/agency/cases/{incident.compliance_case_id}/" in page
    )
    partner_page = client_for(personas.alice).get(f"/incidents/{incident.pk}/").content.decode()
    assert "/compliance/agency/cases/" not in partner_page


def test_non_compliance_refused_for_a_non_member_is_explained(
    personas: Personas, stages: Stages, client_for: ClientFor
) -> None:
    incident = stages.triaged()
    response = client_for(personas.sam).post(
        f"/incidents/{incident.pk}/noncompliance/", {"escalate-reason": "x"}
    )
    assert response.status_code == 422
    incident.refresh_from_db()
    assert incident.state == "triaged"
