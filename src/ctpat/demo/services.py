"""Building and wiping the demo program.

Applications are filled in and moved through the lifecycle by the same services the portal
and the API call (eligibility, profile, identifiers, answers, evidence, signature, submission,
``partner_transition``), each with the acting person's real membership, so every status change
has its event row. The one thing written directly is each event's time: the demo moves it into
the past so the 90-day and one-year clocks show a spread of due dates.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from ctpat.accounts.models import Membership, Organization, User
from ctpat.accounts.roles import OrganizationKind, Role
from ctpat.applications.models import (
    AnswerStatus,
    Contact,
    ContactType,
    Evidence,
    Facility,
    OriginCountry,
    Partner,
    PartnerEvent,
    ProfileAnswer,
)
from ctpat.applications.services import (
    AnswerInput,
    agreement_sign,
    answer_save,
    application_return,
    application_submit,
    child_save,
    eligibility_record,
    evidence_add,
    identifier_set,
    partner_profile_update,
    partner_transition,
    security_profile_ensure,
)
from ctpat.audits.demo import demo_audits
from ctpat.business_partners.demo import demo_business_partners
from ctpat.compliance.demo import demo_compliance
from ctpat.declarations.demo import demo_declarations
from ctpat.demo.companies import CompanyFactory, CompanySketch
from ctpat.demo.people import (
    AGENCY_NAME,
    AGENCY_STAFF,
    CONSULTANT_EMAIL,
    OUTSIDE_ORGANIZATIONS,
    demo_member_add,
    demo_password_hash,
    demo_user_create,
)
from ctpat.demo.plan import OFFICER, SPECIALIST, CompanyPlan, Step, company_entity_type, company_plan, journey
from ctpat.demo.sample_files import sample_pdf, sample_png
from ctpat.incidents.demo import demo_incidents
from ctpat.membership.demo import demo_membership
from ctpat.review.demo import demo_review
from ctpat.validation.demo import demo_validation

# Companies (by position) the demo consultant serves besides the first one, Acme.
CONSULTANT_CLIENTS = frozenset({0, 12, 18, 23})
# Must answers the "ready" draft leaves open, so its officer has something to complete.
READY_DRAFT_OPEN_ANSWERS = 3


@dataclass
class DemoSummary:
    partners: int = 0
    users: int = 0
    events: int = 0
    evidence: int = 0
    by_status: Counter[str] = field(default_factory=Counter)
    by_entity_type: Counter[str] = field(default_factory=Counter)


@dataclass
class Actors:
    """The people who take transitions: (user, membership) per role."""

    agency: dict[str, list[tuple[User, Membership]]]
    officer: tuple[User, Membership] | None = None

    def for_step(self, step: Step, index: int) -> tuple[User, Membership]:
        if step.role == OFFICER:
            assert self.officer is not None
            return self.officer
        people = self.agency[step.role]
        return people[index % len(people)]


# The demo hooks of later workflow areas, called in this order with ``rng=``; each one finds
# the demo companies it needs by their status.
DEMO_AREAS: list[Callable[..., object]] = [
    demo_review,
    demo_validation,
    demo_membership,
    demo_incidents,
    demo_audits,
    demo_compliance,
    demo_declarations,
]


def demo_wipe() -> None:
    """Empty the database for a fresh demo, evidence files included, and reload the catalogue.

    Every workflow area hangs records off the demo's companies and people, so the one reliable
    way to start again is an empty database. The command refuses to run in production.
    """
    from django.core.management import call_command

    from ctpat.criteria.services import catalogue_import

    for evidence in Evidence.objects.all():
        evidence.file.delete(save=False)
    call_command("flush", interactive=False, verbosity=0)
    catalogue_import()


def demo_build(
    *,
    seed: int = 2024,
    partners: int = 40,
    now: datetime | None = None,
    areas: Sequence[Callable[..., object]] | None = None,
) -> DemoSummary:
    """Build the demo program: the agency and its staff, outside partners, and ``partners``
    companies in every status, then the records of each later workflow area (``areas``, by
    default ``DEMO_AREAS``). The same seed always builds the same program."""
    builder = _DemoBuilder(seed=seed, now=now or timezone.now())
    with transaction.atomic():
        builder.agency_and_liaisons()
        consultant = builder.user(CONSULTANT_EMAIL, builder.factory.person_name())
        companies = [
            builder.company(index, consultant=consultant if index in CONSULTANT_CLIENTS else None)
            for index in range(partners)
        ]
        # Business-partner registers with screening hits for the first companies (Acme first).
        demo_business_partners(partners=companies, actor_for=builder.officer_of, rng=builder.rng)
        # Each later workflow area adds its records for the companies above.
        for area_demo in DEMO_AREAS if areas is None else areas:
            area_demo(rng=builder.rng)
    return builder.summary


class _DemoBuilder:
    def __init__(self, *, seed: int, now: datetime) -> None:
        self.factory = CompanyFactory(seed)
        self.rng = random.Random(seed)
        self.now = now
        self.password_hash = demo_password_hash()
        self.actors = Actors(agency={})
        self.summary = DemoSummary()
        self.specialists: list[User] = []
        self.officers: dict[int, User] = {}

    def officer_of(self, partner: Partner) -> User:
        return self.officers[partner.pk]

    def user(self, email: str, full_name: str, *, is_staff: bool = False) -> User:
        self.summary.users += 1
        return demo_user_create(
            email=email, full_name=full_name, password_hash=self.password_hash, is_staff=is_staff
        )

    def agency_and_liaisons(self) -> None:
        agency, _ = Organization.objects.get_or_create(
            name=AGENCY_NAME, kind=OrganizationKind.AGENCY, country="US"
        )
        for email, role in AGENCY_STAFF:
            user = self.user(email, self.factory.person_name(), is_staff=role == Role.ADMINISTRATOR)
            membership = demo_member_add(user=user, organization=agency, role=role)
            self.actors.agency.setdefault(role.value, []).append((user, membership))
        self.specialists = [user for user, _ in self.actors.agency[SPECIALIST]]
        for name, kind, country, email in OUTSIDE_ORGANIZATIONS:
            organization, _ = Organization.objects.get_or_create(name=name, kind=kind, country=country)
            demo_member_add(
                user=self.user(email, self.factory.person_name(country)),
                organization=organization,
                role=Role.LIAISON,
            )

    # One company -------------------------------------------------------------------------

    def company(self, index: int, *, consultant: User | None) -> Partner:
        plan = company_plan(index)
        sketch = self.factory.sketch(index, company_entity_type(index))
        partner, officer, others = self.register(sketch)
        if consultant is not None:
            demo_member_add(user=consultant, organization=partner.organization, role=Role.CONSULTANT)
            others[ContactType.CONSULTANT] = consultant
        self.actors.officer = officer
        self.officers[partner.pk] = officer[0]
        user = officer[0]
        eligibility_record(actor=user, partner=partner, answers=sketch.eligibility)
        if plan.variant != "early":
            self.application(partner, sketch, user, others)
            self.security_profile(partner, plan, user)
        if journey(plan):
            agreement_sign(actor=user, membership=officer[1], partner=partner)
            self.walk(partner, plan, index)
        self.summary.partners += 1
        self.summary.by_status[partner.status] += 1
        self.summary.by_entity_type[partner.entity_type] += 1
        return partner

    def register(self, sketch: CompanySketch) -> tuple[Partner, tuple[User, Membership], dict[str, User]]:
        """The company, its three users and its officer contact, as ``partner_register`` makes
        them (without hashing the shared demo password again for every user)."""
        organization = Organization.objects.create(
            name=sketch.name, kind=OrganizationKind.PARTNER, country=sketch.country
        )
        partner = Partner.objects.create(
            organization=organization,
            entity_type=sketch.entity_type,
            legal_name=sketch.name,
            country=sketch.country,
        )
        users: dict[str, User] = {}
        officer: tuple[User, Membership] | None = None
        for contact_type, local_part, role in (
            (ContactType.COMPANY_OFFICER, "officer", Role.COMPANY_OFFICER),
            (ContactType.EMPLOYEE, "employee", Role.EMPLOYEE),
            (ContactType.READ_ONLY, "readonly", Role.PARTNER_READ_ONLY),
        ):
            user = self.user(f"{local_part}@{sketch.slug}.example", sketch.people[contact_type])
            membership = demo_member_add(user=user, organization=organization, role=role)
            users[contact_type] = user
            if role == Role.COMPANY_OFFICER:
                officer = (user, membership)
        assert officer is not None
        Contact.objects.create(
            partner=partner,
            contact_type=ContactType.COMPANY_OFFICER,
            full_name=officer[0].full_name,
            email=officer[0].email,
            is_primary=True,
        )
        return partner, officer, users

    def application(
        self, partner: Partner, sketch: CompanySketch, actor: User, people: dict[str, User]
    ) -> None:
        """Company profile, identifiers, contacts and business information."""
        address = sketch.address
        fields = {
            "doing_business_as": sketch.name.split()[0],
            "website": sketch.website,
            "phone": sketch.phone,
            "street": address.street,
            "city": address.city,
            "region": address.region,
            "postal_code": address.postal_code,
            "year_established": sketch.year_established,
            "employees": sketch.employees,
            "business_description": sketch.description,
            "transport_modes": sketch.transport_modes,
        }
        partner_profile_update(actor=actor, partner=partner, fields=fields)
        for kind, value in sketch.identifiers.items():
            identifier_set(actor=actor, partner=partner, kind=kind, value=value)
        titles = {ContactType.EMPLOYEE: "Logistics manager", ContactType.READ_ONLY: "Internal auditor"}
        titles[ContactType.CONSULTANT] = "Supply-chain security consultant"
        for contact_type, title in titles.items():
            person = people.get(contact_type)
            if person is not None:
                contact = Contact(
                    contact_type=contact_type, full_name=person.full_name, title=title, email=person.email
                )
                child_save(actor=actor, partner=partner, instance=contact)
        for country, share in sketch.origin_shares:
            child_save(
                actor=actor, partner=partner, instance=OriginCountry(country=country, share_percent=share)
            )
        for facility in sketch.facilities:
            spot = facility.address
            row = Facility(
                name=facility.name[:200],
                kind=facility.kind,
                street=spot.street,
                city=spot.city,
                region=spot.region,
                postal_code=spot.postal_code,
                country=spot.country,
            )
            child_save(actor=actor, partner=partner, instance=row)

    def security_profile(self, partner: Partner, plan: CompanyPlan, actor: User) -> None:
        """Answers for every applicable criterion (a draft leaves some open) and two evidence files."""
        profile = security_profile_ensure(partner=partner)
        answers = list(
            ProfileAnswer.objects.filter(profile=profile)
            .select_related("criterion")
            .order_by("criterion__sort_key")
        )
        to_answer = answers
        if plan.variant == "half":
            to_answer = answers[: len(answers) // 2]
        elif plan.variant == "ready":
            open_musts = [a for a in answers if a.criterion.is_must][-READY_DRAFT_OPEN_ANSWERS:]
            to_answer = [a for a in answers if a not in open_musts]
        for answer in to_answer:
            answer_save(actor=actor, partner=partner, answer=answer, data=self.answer_for(answer, partner))
        if plan.variant != "half":
            self.evidence(partner, to_answer, actor)

    def answer_for(self, answer: ProfileAnswer, partner: Partner) -> AnswerInput:
        criterion = answer.criterion
        roll = self.rng.random()
        narrative = NARRATIVES[int(roll * 1000) % len(NARRATIVES)].format(
            code=criterion.code,
            company=partner.legal_name.split()[0],
            category=criterion.category_name.lower(),
        )
        if criterion.is_must:
            status = AnswerStatus.PARTLY if roll < 0.1 else AnswerStatus.IMPLEMENTED
            return AnswerInput(status=status, narrative=narrative)
        if roll < 0.15:
            return AnswerInput(
                status=AnswerStatus.NOT_APPLICABLE,
                not_applicable_reason=f"{partner.get_entity_type_display()} operations do not involve this (criterion {criterion.code}).",
            )
        if roll < 0.25:
            return AnswerInput(status=AnswerStatus.NOT_IMPLEMENTED)
        return AnswerInput(
            status=AnswerStatus.PARTLY if roll < 0.4 else AnswerStatus.IMPLEMENTED, narrative=narrative
        )

    def evidence(self, partner: Partner, answers: list[ProfileAnswer], actor: User) -> None:
        """A written procedure (PDF) and a photo (PNG), attached to the seal and incident
        criteria when the company's type has them, else to its first answers."""
        by_code = {a.criterion.code: a for a in answers}
        pdf_answer = by_code.get("7.23") or answers[0]
        png_answer = by_code.get("6.2") or answers[min(1, len(answers) - 1)]
        name = partner.legal_name.split()[0].lower()
        files = [
            (
                pdf_answer,
                f"{name}-incident-reporting-procedure.pdf",
                sample_pdf(f"{partner.legal_name}: incident reporting procedure"),
                "application/pdf",
            ),
            (
                png_answer,
                f"{name}-high-security-seal.png",
                sample_png(rgb=(self.rng.randint(0, 255), 94, 162)),
                "image/png",
            ),
        ]
        for answer, file_name, content, content_type in files:
            upload = SimpleUploadedFile(file_name, content, content_type=content_type)
            evidence_add(actor=actor, partner=partner, answer=answer, upload=upload)
            self.summary.evidence += 1

    # The lifecycle -----------------------------------------------------------------------

    def walk(self, partner: Partner, plan: CompanyPlan, index: int) -> None:
        """Take the plan's transitions in order, each by a person who may, then date it."""
        specialist = self.specialists[index % len(self.specialists)]
        partner_profile_update(actor=specialist, partner=partner, fields={"assigned_specialist": specialist})
        agency = dict(self.actors.agency)
        agency[SPECIALIST] = [p for p in agency[SPECIALIST] if p[0] == specialist]
        actors = Actors(agency=agency, officer=self.actors.officer)
        for step in journey(plan):
            user, membership = actors.for_step(step, index)
            event = self.take(step, partner, user, membership)
            moved_to = self.now - timedelta(days=step.days_ago, hours=self.rng.randint(1, 8))
            PartnerEvent.objects.filter(pk=event.pk).update(at=moved_to)
            self.summary.events += 1

    def take(self, step: Step, partner: Partner, user: User, membership: Membership) -> PartnerEvent:
        if step.transition == "submit":
            return application_submit(actor=user, membership=membership, partner=partner)
        if step.transition == "return_to_partner":
            return application_return(actor=user, membership=membership, partner=partner, reason=step.reason)
        return partner_transition(
            actor=user,
            membership=membership,
            partner=partner,
            name=step.transition,
            reason=step.reason,
            facts=step.facts,
            details=step.details,
        )


NARRATIVES: tuple[str, ...] = (
    "Written procedure SP-{code} covers this; the security manager reviews it every January and after any incident.",
    "{company} trains the staff concerned on arrival and yearly; attendance sheets are kept for three years (criterion {code}).",
    "Checked at each site during the quarterly internal audit of {category}; findings go to the Company Officer.",
    "Our business partners confirm this in the annual security questionnaire; we follow up on every gap (criterion {code}).",
    "Documented in the {category} section of the security manual, version 4, approved by senior management.",
    "Logs are kept electronically with access limited to the security team; a sample is checked monthly ({code}).",
)
