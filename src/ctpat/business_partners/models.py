"""A partner company's register of its own business partners, the restricted-party list versions
they are screened against, and what each screening found and how it was disposed."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ctpat.accounts.models import Organization


class RelationshipKind(models.TextChoices):
    SUPPLIER = "supplier", _("Supplier")
    MANUFACTURER = "manufacturer", _("Manufacturer")
    CARRIER = "carrier", _("Carrier")
    BROKER = "broker", _("Customs broker")
    CUSTOMER = "customer", _("Customer")


class PartyType(models.TextChoices):
    ORGANIZATION = "organization", _("Organization")
    PERSON = "person", _("Person")
    VESSEL = "vessel", _("Vessel")
    AIRCRAFT = "aircraft", _("Aircraft")


class CtpatStatus(models.TextChoices):
    MEMBER = "member", _("CTPAT member")
    MRA_MEMBER = "mra_member", _("Member of a mutual-recognition (MRA) program")
    NOT_MEMBER = "not_member", _("Not a member")
    UNKNOWN = "unknown", _("Unknown")


class ScreeningTrigger(models.TextChoices):
    ENTRY = "entry", _("Entered by hand")
    IMPORT = "import", _("Imported from CSV")
    LIST_UPDATE = "list_update", _("Restricted list updated")


class HitStatus(models.TextChoices):
    OPEN = "open", _("Open")
    TRUE_MATCH = "true_match", _("True match")
    FALSE_POSITIVE = "false_positive", _("False positive")


class BusinessPartner(models.Model):
    """A supplier, manufacturer, carrier, broker or customer of a partner company."""

    company = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="business_partners")
    name = models.CharField(_("name"), max_length=300)
    relationship = models.CharField(_("relationship"), max_length=20, choices=RelationshipKind.choices)
    party_type = models.CharField(
        _("party type"), max_length=20, choices=PartyType.choices, default=PartyType.ORGANIZATION
    )
    country = models.CharField(_("country"), max_length=2, blank=True, help_text=_("ISO 3166-1 alpha-2"))
    address = models.TextField(_("address"), blank=True)
    identifiers = models.CharField(
        _("identifiers"),
        max_length=500,
        blank=True,
        help_text=_("Registration, tax, IMO or passport numbers, separated by semicolons."),
    )
    ctpat_status = models.CharField(
        _("CTPAT or MRA status"), max_length=20, choices=CtpatStatus.choices, default=CtpatStatus.UNKNOWN
    )
    mra_program = models.CharField(
        _("MRA program"),
        max_length=120,
        blank=True,
        help_text=_("For an MRA member: which program (e.g. AEO, PIP)."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def identifier_list(self) -> list[str]:
        return [part.strip() for part in self.identifiers.split(";") if part.strip()]


class RestrictedListVersion(models.Model):
    """One load of a restricted-party list; the latest version of each code is the one screened."""

    code = models.CharField(_("list code"), max_length=40, db_index=True)
    list_format = models.CharField(_("format"), max_length=20)
    list_date = models.CharField(_("list date"), max_length=10)
    content_hash = models.CharField(max_length=64)
    entity_count = models.PositiveIntegerField(default=0)
    snapshot_name = models.CharField(max_length=200, help_text=_("File name under VAR_DIR/screening."))
    source_names = models.JSONField(default=list, blank=True)
    change_summary = models.JSONField(default=dict, blank=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    loaded_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-loaded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.code} of {self.list_date}"


class BusinessPartnerScreening(models.Model):
    """One screening run of one business partner: when, why, against which list versions."""

    business_partner = models.ForeignKey(BusinessPartner, on_delete=models.CASCADE, related_name="screenings")
    trigger = models.CharField(max_length=20, choices=ScreeningTrigger.choices)
    list_versions = models.JSONField(default=dict, help_text=_("List code -> list date and content hash."))
    hit_count = models.PositiveIntegerField(default=0)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(db_index=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.business_partner} screened {self.at:%Y-%m-%d %H:%M} ({self.trigger})"


class ScreeningHit(models.Model):
    """A listed entity found for a business partner; one row per business partner, list and entity."""

    business_partner = models.ForeignKey(BusinessPartner, on_delete=models.CASCADE, related_name="hits")
    list_code = models.CharField(max_length=40)
    entity_id = models.CharField(max_length=80)
    source_list = models.CharField(
        max_length=40, blank=True, help_text=_("The list the entity is on (CSL part).")
    )
    matched_name = models.CharField(max_length=500)
    listed_name = models.CharField(max_length=500, blank=True)
    score = models.FloatField()
    explanation = models.TextField(blank=True)
    list_date = models.CharField(max_length=10, blank=True)
    first_screening = models.ForeignKey(
        BusinessPartnerScreening, on_delete=models.PROTECT, related_name="new_hits"
    )
    last_screening = models.ForeignKey(BusinessPartnerScreening, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=HitStatus.choices, default=HitStatus.OPEN, db_index=True)
    disposition_reason = models.TextField(blank=True)
    disposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    disposed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-score", "id"]
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(
                fields=["business_partner", "list_code", "entity_id"], name="one_hit_per_partner_list_entity"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.business_partner} ~ {self.list_code} {self.entity_id} ({self.status})"


class ApplicantScreening(models.Model):
    """The agency's screening of an applicant company, its contacts and facilities."""

    partner = models.ForeignKey("applications.Partner", on_delete=models.CASCADE, related_name="screenings")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(db_index=True)
    list_versions = models.JSONField(default=dict)
    results = models.JSONField(default=list, help_text=_("Per name screened: what it is and its hits."))
    hit_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering: ClassVar[list[str]] = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.partner} screened {self.at:%Y-%m-%d %H:%M}"
