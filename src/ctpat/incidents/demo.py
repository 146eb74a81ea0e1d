"""Demo incidents in every stage, taken step by step through the same services as the portal:
one reported late, self-reported ones, one the agency found itself, one referred to U.S.
Immigration and Customs Enforcement (whose liaison ``liaison@ice-demo.example`` can then read
it), post-incident analyses requested and answered, one that opened a non-compliance case, and
closed ones.

The lead's demo command calls ``demo_incidents(rng=...)`` after the partners are built. It adds
nothing when incidents already exist, so running it twice is harmless.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from ctpat.accounts.models import Membership, Organization, User
from ctpat.accounts.roles import OrganizationKind, Role
from ctpat.applications.models import Partner
from ctpat.core.incident_rules import IncidentKind
from ctpat.core.lifecycle import MEMBER_STATUSES
from ctpat.demo.sample_files import sample_pdf
from ctpat.incidents import services
from ctpat.incidents.models import Incident

ICE_NAME = "U.S. Immigration and Customs Enforcement"
ICE_LIAISON = "liaison@ice-demo.example"
DEMO_EMAIL_SUFFIX = "-demo.example"

PLACES = (
    ("Nuevo Laredo, Tamaulipas (yard 4)", "MX"),
    ("Port of Long Beach, Pier T", "US"),
    ("Otay Mesa crossing, truck lane 3", "US"),
    ("Shenzhen Yantian terminal", "CN"),
    ("Houston, TX cross-dock", "US"),
    ("Monterrey, Nuevo León, plant gate", "MX"),
)
WHAT_HAPPENED = {
    IncidentKind.THEFT: "Two pallets of electronics were missing at unloading; the trailer doors showed pry marks.",
    IncidentKind.LOSS: "A container was not found at the terminal on its release date.",
    IncidentKind.TAMPERING: "The container's right door hinge bolts had been replaced; the seal itself was intact.",
    IncidentKind.SEAL_DISCREPANCY: "The seal number on the trailer did not match the bill of lading.",
    IncidentKind.CONTRABAND: "Packages of what appeared to be narcotics were found behind the false front wall.",
    IncidentKind.HUMAN_SMUGGLING: "Two people were found hidden in the trailer's nose compartment at the yard.",
    IncidentKind.TERRORISM: "An unidentified device was found taped under the tractor's cab; the yard was cleared.",
    IncidentKind.CYBER: "Our shipment management system was accessed with a stolen account; bookings were altered.",
}
INVESTIGATION = (
    "Reviewed the yard cameras and the driver's log; the seal was verified at stuffing (photo on file)."
)
CORRECTIVE = (
    "Retrained the dock team on the 7-point inspection and added a second seal check before departure."
)
ANALYSIS = (
    "Root cause: the seal was not checked against the bill of lading at the handover. We added the check "
    "to the handover form, retrained drivers and will audit ten handovers a month for six months."
)
# The stages shown, each once, in this order (the first is reported late).
STAGES = (
    "reported_late",
    "reported",
    "triaged",
    "referred",
    "analysis_requested",
    "analysis_received",
    "recorded_by_agency",
    "noncompliance",
    "closed",
)


@dataclass(frozen=True)
class DemoSide:
    user: User
    membership: Membership


def demo_incidents(*, rng: random.Random) -> int:
    """Add incidents in every stage to the demo's partners; returns how many were added."""
    if Incident.objects.exists():
        return 0
    specialist = demo_member_of_role(Role.SPECIALIST)
    partners = demo_partners_with_officers()
    if specialist is None or not partners:
        return 0
    ice = _ice_with_liaison()
    members = [p for p in partners if p.status in MEMBER_STATUSES] or partners
    made = 0
    for index, stage in enumerate(STAGES):
        partner = (
            members[index % len(members)] if stage == "noncompliance" else partners[index % len(partners)]
        )
        if stage == "noncompliance" and partner.status not in MEMBER_STATUSES:
            continue  # a non-compliance case needs a member
        with transaction.atomic():
            _build(stage, partner, demo_officer(partner), specialist, ice, rng)
        made += 1
    return made


def _build(
    stage: str,
    partner: Partner,
    officer: DemoSide,
    specialist: DemoSide,
    ice: Organization,
    rng: random.Random,
) -> None:
    by_agency = stage == "recorded_by_agency"
    reporter = specialist if by_agency else officer
    write: Callable[..., Incident] = services.incident_record if by_agency else services.incident_report
    incident = write(
        actor=reporter.user,
        membership=reporter.membership,
        partner=partner,
        data=_input(stage, rng),
        uploads=[_photo(stage)],
    )
    if stage in {"reported_late", "reported"}:
        return
    user, membership = specialist.user, specialist.membership
    services.incident_triage(
        actor=user, membership=membership, incident=incident, assessment=_assessment(incident)
    )
    if stage == "referred":
        services.incident_refer(
            actor=user,
            membership=membership,
            incident=incident,
            agency=ice,
            note="Suspected smuggling load: for your investigation; the partner cooperates.",
        )
    if stage in {"analysis_requested", "analysis_received", "noncompliance"}:
        services.analysis_request(
            actor=user,
            membership=membership,
            incident=incident,
            question="Root cause, what failed, what you changed and how you will check it works.",
            due=timezone.localdate() + timedelta(days=rng.randint(10, 30)),
        )
    if stage == "analysis_received":
        services.analysis_submit(
            actor=officer.user,
            membership=officer.membership,
            incident=incident,
            text=ANALYSIS,
            uploads=[SimpleUploadedFile("post-incident-analysis.pdf", sample_pdf("Post-incident analysis"))],
        )
    if stage == "noncompliance":
        services.incident_escalate(
            actor=user,
            membership=membership,
            incident=incident,
            reason="Second seal failure this year and the analysis is not convincing: open a case.",
        )
    if stage == "closed":
        services.incident_close(
            actor=user,
            membership=membership,
            incident=incident,
            reason="Isolated event; the partner's corrective actions are adequate.",
        )


def _input(stage: str, rng: random.Random) -> services.IncidentInput:
    kind = {
        "referred": IncidentKind.CONTRABAND,
        "noncompliance": IncidentKind.SEAL_DISCREPANCY,
        "recorded_by_agency": IncidentKind.TAMPERING,
    }.get(stage) or rng.choice(list(IncidentKind))
    now = timezone.now()
    # Found a few hours before the report; the late one three days before.
    found = now - (timedelta(days=3) if stage == "reported_late" else timedelta(hours=rng.randint(2, 20)))
    place, country = rng.choice(PLACES)
    return services.IncidentInput(
        kind=kind,
        happened_at=found - timedelta(hours=rng.randint(1, 48)),
        found_at=found,
        place=place,
        country=country,
        description=WHAT_HAPPENED[kind],
        bill_of_lading=f"MAEU{rng.randint(100000000, 999999999)}",
        entry_number=f"ABC-{rng.randint(1000000, 9999999)}-{rng.randint(0, 9)}",
        conveyance=f"Trailer {rng.choice('ABCDEFGH')}{rng.randint(10000, 99999)}",
        seal_numbers=f"SL{rng.randint(1000000, 9999999)}",
        investigation="" if stage == "reported_late" else INVESTIGATION,
        corrective_actions="" if stage in {"reported_late", "reported"} else CORRECTIVE,
    )


def _assessment(incident: Incident) -> str:
    if incident.self_reported:
        return "Self-reported promptly with evidence: a review, not a suspension. Partner cooperates."
    return "Found at the port by CBP officers: the partner did not report it. Review its seal controls."


def _photo(stage: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(f"incident-{stage}.pdf", sample_pdf(f"Incident photos and notes ({stage})"))


# --- Who acts ----------------------------------------------------------------------------------


def demo_member_of_role(role: Role) -> DemoSide | None:
    membership = (
        Membership.objects.filter(role=role).select_related("user", "organization").order_by("id").first()
    )
    return DemoSide(membership.user, membership) if membership else None


def demo_partners_with_officers() -> list[Partner]:
    officers = Membership.objects.filter(role=Role.COMPANY_OFFICER).values_list("organization_id", flat=True)
    return list(Partner.objects.filter(organization_id__in=officers).order_by("pk"))


def demo_officer(partner: Partner) -> DemoSide:
    membership = (
        Membership.objects.filter(organization_id=partner.organization_id, role=Role.COMPANY_OFFICER)
        .select_related("user", "organization")
        .order_by("id")
        .first()
    )
    assert membership is not None  # chosen among partners with an officer
    return DemoSide(membership.user, membership)


def _ice_with_liaison() -> Organization:
    """The government agency referrals go to, with its liaison (made when the demo has none)."""
    ice, _created = Organization.objects.get_or_create(
        name=ICE_NAME, kind=OrganizationKind.GOVERNMENT_AGENCY, defaults={"country": "US"}
    )
    if not Membership.objects.filter(organization=ice, role=Role.LIAISON).exists():
        user = User.objects.filter(email=ICE_LIAISON).first()
        if user is None:
            user = User(email=ICE_LIAISON, full_name="Immigration and Customs Enforcement liaison")
            # The shared demo password, copied from another demo user (hashing again is slow).
            donor = User.objects.filter(email__endswith=DEMO_EMAIL_SUFFIX).exclude(password="").first()
            user.password = donor.password if donor else make_password(None)
            user.save()
        Membership.objects.create(user=user, organization=ice, role=Role.LIAISON)
    return ice
