"""The demo hook: incidents in every stage through the services, the ICE liaison made when
missing (with the demo's shared password), and nothing added on a second run."""

from __future__ import annotations

import random

from ctpat.accounts.models import Membership, User
from ctpat.accounts.roles import Role
from ctpat.core.incident_rules import IncidentState
from ctpat.deadlines.registry import open_deadlines
from ctpat.incidents import selectors
from ctpat.incidents.demo import ICE_LIAISON, demo_incidents
from ctpat.incidents.models import Incident, Referral
from tests.conftest import Personas
from tests.incidents.conftest import certify


def test_demo_incidents(personas: Personas) -> None:
    certify(personas, personas.acme, personas.alice)
    donor = User.objects.create_user(
        email="officer@acme-demo.example", password="demo-pass", full_name="Donor"
    )
    made = demo_incidents(rng=random.Random(7))
    assert made == Incident.objects.count() == 9
    assert set(Incident.objects.values_list("state", flat=True)) == set(IncidentState)
    incidents = list(Incident.objects.all())
    assert sum(selectors.incident_is_late(i) for i in incidents) == 1
    assert Incident.objects.filter(self_reported=False).count() == 1
    referral = Referral.objects.get()
    liaison = User.objects.get(email=ICE_LIAISON)
    assert Membership.objects.get(user=liaison).organization == referral.agency
    assert Membership.objects.get(user=liaison).role == Role.LIAISON
    assert liaison.password == donor.password
    assert Incident.objects.get(state=IncidentState.ESCALATED).compliance_case_id is not None
    assert any(d.source == "post_incident_analysis" for d in open_deadlines())
    assert demo_incidents(rng=random.Random(7)) == 0


def test_demo_without_members_skips_the_non_compliance_case(personas: Personas) -> None:
    assert demo_incidents(rng=random.Random(1)) == 8
    assert not Incident.objects.filter(state=IncidentState.ESCALATED).exists()
    assert not User.objects.get(email=ICE_LIAISON).has_usable_password()
