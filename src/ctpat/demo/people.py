"""The demo's people: agency staff, outside liaisons, and the log-ins the command prints.

Every demo e-mail address ends in ``-demo.example`` (a domain that can never receive mail), so
``--reset`` can find and delete exactly the demo's users. They all share one password, hashed
once: Argon2 takes a noticeable fraction of a second per hash by design.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password

from ctpat.accounts.models import Membership, Organization, User
from ctpat.accounts.roles import OrganizationKind, Role

DEMO_PASSWORD = "ctpat-demo-password"  # noqa: S105 - printed on purpose: local demo only
DEMO_EMAIL_SUFFIX = "-demo.example"
AGENCY_NAME = "U.S. Customs and Border Protection"

# (e-mail, role): the agency's staff. The first of each role is the one printed.
AGENCY_STAFF: tuple[tuple[str, Role], ...] = (
    ("specialist@cbp-demo.example", Role.SPECIALIST),
    ("specialist2@cbp-demo.example", Role.SPECIALIST),
    ("specialist3@cbp-demo.example", Role.SPECIALIST),
    ("specialist4@cbp-demo.example", Role.SPECIALIST),
    ("supervisor@cbp-demo.example", Role.SUPERVISOR),
    ("supervisor2@cbp-demo.example", Role.SUPERVISOR),
    ("director@cbp-demo.example", Role.PROGRAM_DIRECTOR),
    ("analyst@cbp-demo.example", Role.TARGETING_ANALYST),
    ("readonly@cbp-demo.example", Role.AGENCY_READ_ONLY),
    ("admin@cbp-demo.example", Role.ADMINISTRATOR),
)

# (organisation, kind, country, liaison e-mail): the outside partners.
OUTSIDE_ORGANIZATIONS: tuple[tuple[str, OrganizationKind, str, str], ...] = (
    (
        "Canada Border Services Agency (Partners in Protection)",
        OrganizationKind.FOREIGN_CUSTOMS,
        "CA",
        "liaison@cbsa-demo.example",
    ),
    (
        "U.S. Immigration and Customs Enforcement",
        OrganizationKind.GOVERNMENT_AGENCY,
        "US",
        "liaison@ice-demo.example",
    ),
)

ACME_NAME = "Acme Demo Imports LLC"
ACME_SLUG = "acme-demo"
CONSULTANT_EMAIL = "consultant@compliance-demo.example"

# The log-ins the command prints, in this order: one per kind of person a newcomer wants to try.
FEATURED_LOGINS: tuple[str, ...] = (
    f"officer@{ACME_SLUG}.example",
    f"employee@{ACME_SLUG}.example",
    f"readonly@{ACME_SLUG}.example",
    CONSULTANT_EMAIL,
    "specialist@cbp-demo.example",
    "supervisor@cbp-demo.example",
    "director@cbp-demo.example",
    "analyst@cbp-demo.example",
    "readonly@cbp-demo.example",
    "admin@cbp-demo.example",
    "liaison@cbsa-demo.example",
    "liaison@ice-demo.example",
)


@dataclass(frozen=True)
class DemoLogin:
    email: str
    password: str
    role: str
    organization: str


def demo_password_hash() -> str:
    return make_password(DEMO_PASSWORD)


def demo_user_create(*, email: str, full_name: str, password_hash: str, is_staff: bool = False) -> User:
    """A demo user whose password is the shared, already hashed demo password."""
    user = User(email=email, full_name=full_name, is_staff=is_staff, is_superuser=is_staff)
    user.password = password_hash
    user.save()
    return user


def demo_member_add(*, user: User, organization: Organization, role: Role) -> Membership:
    return Membership.objects.create(user=user, organization=organization, role=role)


def demo_users_exist() -> bool:
    return User.objects.filter(email__endswith=DEMO_EMAIL_SUFFIX).exists()


def demo_logins() -> list[DemoLogin]:
    """The featured demo log-ins that exist in the database, with each one's role and company."""
    logins = []
    for email in FEATURED_LOGINS:
        memberships = list(
            Membership.objects.filter(user__email=email)
            .select_related("organization")
            .order_by("organization__name")
        )
        if not memberships:
            continue
        names = [m.organization.name for m in memberships]
        organization = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
        logins.append(DemoLogin(email, DEMO_PASSWORD, memberships[0].get_role_display(), organization))
    return logins
