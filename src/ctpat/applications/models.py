"""A partner company's program account: its application, security profile, evidence and events.

The status field is written only by ``services.partner_transition``, which goes through the
lifecycle's transition table and writes a ``PartnerEvent`` in the same transaction.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ctpat.accounts.models import Organization
from ctpat.core.entity_types import entity_type_choices
from ctpat.core.identifiers import IdentifierKind
from ctpat.core.lifecycle import TRANSITIONS, PartnerStatus
from ctpat.criteria.models import CatalogueVersion, Criterion

STATUS_CHOICES = [(s.value, s.label) for s in PartnerStatus]
IDENTIFIER_CHOICES = [(k.value, k.label) for k in IdentifierKind]


class TransportMode(models.TextChoices):
    SEA = "sea", _("Sea")
    AIR = "air", _("Air")
    RAIL = "rail", _("Rail")
    HIGHWAY = "highway", _("Highway")


class Partner(models.Model):
    """One company's account in the program, from its first application on."""

    organization = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="partner")
    entity_type = models.CharField(_("entity type"), max_length=40, choices=entity_type_choices())
    status = models.CharField(max_length=32, choices=STATUS_CHOICES, default=PartnerStatus.PRE_APPLICANT)
    # Company profile.
    legal_name = models.CharField(_("legal name"), max_length=200)
    doing_business_as = models.CharField(_("doing business as"), max_length=200, blank=True)
    website = models.URLField(_("website"), blank=True)
    phone = models.CharField(_("telephone"), max_length=40, blank=True)
    street = models.CharField(_("street address"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    region = models.CharField(_("state or province"), max_length=100, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    country = models.CharField(_("country"), max_length=2, default="US")
    year_established = models.PositiveSmallIntegerField(
        _("year established"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1800), MaxValueValidator(2100)],
    )
    employees = models.PositiveIntegerField(_("number of employees"), null=True, blank=True)
    business_description = models.TextField(_("business description"), blank=True)
    transport_modes = models.JSONField(_("modes of transport"), default=list, blank=True)
    # Eligibility questionnaire: the answers as given, and whether the rules passed.
    eligibility_answers = models.JSONField(default=dict, blank=True)
    eligibility_checked_at = models.DateTimeField(null=True, blank=True)
    eligible = models.BooleanField(default=False)
    # Partner agreement, signed by a Company Officer; a new signature is needed after a return.
    agreement_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agreement_signed_at = models.DateTimeField(null=True, blank=True)
    assigned_specialist = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="portfolio"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["legal_name"]

    def __str__(self) -> str:
        return self.legal_name

    @property
    def status_enum(self) -> PartnerStatus:
        return PartnerStatus(self.status)


class Identifier(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="identifiers")
    kind = models.CharField(_("kind"), max_length=32, choices=IDENTIFIER_CHOICES)
    value = models.CharField(_("value"), max_length=40)

    class Meta:
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(fields=["partner", "kind"], name="one_identifier_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"


class ContactType(models.TextChoices):
    COMPANY_OFFICER = "company_officer", _("Company Officer")
    EMPLOYEE = "employee", _("Employee")
    CONSULTANT = "consultant", _("Consultant")
    READ_ONLY = "partner_read_only", _("Read-only")


class Contact(models.Model):
    """A person the agency can reach about this account (not necessarily a portal user)."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contacts")
    contact_type = models.CharField(_("contact type"), max_length=32, choices=ContactType.choices)
    full_name = models.CharField(_("full name"), max_length=200)
    title = models.CharField(_("job title"), max_length=120, blank=True)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("telephone"), max_length=40, blank=True)
    is_primary = models.BooleanField(_("primary contact"), default=False)

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_contact_type_display()})"


class OriginCountry(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="origin_countries")
    country = models.CharField(_("country"), max_length=2)
    share_percent = models.DecimalField(
        _("share of imports (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
    )

    class Meta:
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(fields=["partner", "country"], name="one_share_per_country"),
        ]

    def __str__(self) -> str:
        return f"{self.country} {self.share_percent}%"


class FacilityKind(models.TextChoices):
    OFFICE = "office", _("Office")
    WAREHOUSE = "warehouse", _("Warehouse")
    MANUFACTURING = "manufacturing", _("Manufacturing plant")
    TERMINAL = "terminal", _("Terminal / yard")
    CROSS_DOCK = "cross_dock", _("Cross-dock")


class Facility(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="facilities")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=FacilityKind.choices)
    street = models.CharField(_("street address"), max_length=200)
    city = models.CharField(_("city"), max_length=100)
    region = models.CharField(_("state or province"), max_length=100, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    country = models.CharField(_("country"), max_length=2)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)

    class Meta:
        verbose_name_plural = "facilities"

    def __str__(self) -> str:
        return f"{self.name}, {self.city} ({self.country})"


class SecurityProfile(models.Model):
    """The partner's answers against one catalogue version."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="security_profiles")
    catalogue = models.ForeignKey(CatalogueVersion, on_delete=models.PROTECT, related_name="+")
    is_current = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(
                fields=["partner"], condition=models.Q(is_current=True), name="one_current_profile"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner} — MSC {self.catalogue.version}"


class AnswerStatus(models.TextChoices):
    IMPLEMENTED = "implemented", _("Implemented")
    PARTLY = "partly", _("Partly implemented")
    NOT_IMPLEMENTED = "not_implemented", _("Not implemented")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class ProfileAnswer(models.Model):
    profile = models.ForeignKey(SecurityProfile, on_delete=models.CASCADE, related_name="answers")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="answers")
    status = models.CharField(_("answer"), max_length=20, choices=AnswerStatus.choices, blank=True)
    narrative = models.TextField(_("how the company meets it"), blank=True)
    not_applicable_reason = models.TextField(_("why it does not apply"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(fields=["profile", "criterion"], name="one_answer_per_criterion"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion.code}: {self.status or 'unanswered'}"


def evidence_path(instance: Evidence, filename: str) -> str:
    # Files are stored under their hash, never the uploader's name, so a name cannot clash or
    # traverse folders; the original name is kept on the row.
    return f"evidence/{instance.answer.profile.partner_id}/{instance.sha256}"


class Evidence(models.Model):
    answer = models.ForeignKey(ProfileAnswer, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=evidence_path, max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "evidence"

    def __str__(self) -> str:
        return self.original_name


class PartnerEvent(models.Model):
    """One recorded lifecycle transition: who, why, when, from what to what. Never edited."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="events")
    transition = models.CharField(max_length=40)
    from_status = models.CharField(max_length=32, choices=STATUS_CHOICES)
    to_status = models.CharField(max_length=32, choices=STATUS_CHOICES)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_role = models.CharField(max_length=32)
    reason = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(db_index=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.partner}: {self.transition} at {self.at:%Y-%m-%d}"

    @property
    def transition_label(self) -> str:
        transition = TRANSITIONS.get(self.transition)
        return transition.label if transition else self.transition
