"""The partner's application journey: dashboard, eligibility, company profile, contacts,
identifiers, business information, security profile with evidence, and review & submit.

Every page fetches the company through ``access_own_partner``; a POST asks for write access, so
read-only contacts and agency staff get 403, and another company's IDs are "not found". An edit
of a submitted application is refused before anything is read from the form (ApplicationLocked)
and shown as a message, never as an error page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, Concatenate, ParamSpec

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms import BaseForm
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ctpat.accounts.access import request_membership
from ctpat.accounts.models import Membership, User
from ctpat.accounts.roles import PARTNER_EDITORS, Role
from ctpat.applications.access import (
    access_answer_by_id,
    access_child_by_id,
    access_evidence_by_id,
    access_own_partner,
)
from ctpat.applications.evidence import ALLOWED_DESCRIPTION, EvidenceRejected
from ctpat.applications.forms import (
    AnswerForm,
    CompanyProfileForm,
    ContactForm,
    EligibilityForm,
    EntityTypeForm,
    EvidenceForm,
    FacilityForm,
    IdentifiersForm,
    OriginCountryForm,
    TransportModesForm,
)
from ctpat.applications.models import Contact, Evidence, Facility, OriginCountry, Partner, ProfileAnswer
from ctpat.applications.selectors import (
    answer_facts,
    application_gaps_for,
    application_progress,
    partner_clocks,
    partner_events,
    profile_answers,
    profile_current,
)
from ctpat.applications.services import (
    AnswerInput,
    ApplicationLocked,
    agreement_sign,
    answer_save,
    application_submit,
    child_delete,
    child_save,
    eligibility_record,
    ensure_editable,
    entity_type_change,
    evidence_add,
    evidence_remove,
    identifier_remove,
    identifier_set,
    origin_shares_check,
    partner_profile_update,
    security_profile_ensure,
)
from ctpat.core.completeness import Gap, answer_gaps
from ctpat.core.eligibility import (
    REQUIRED_IDENTIFIERS,
    evaluate_eligibility,
    missing_identifiers,
    questions_for,
)
from ctpat.core.entity_types import EntityType
from ctpat.core.identifiers import IdentifierKind, normalise_identifier
from ctpat.core.lifecycle import EDITABLE_STATUSES, TransitionError

P = ParamSpec("P")

# The journey's steps in order: (section code used by the completeness gaps, label, page).
STEPS: list[tuple[str, Any, str]] = [
    ("eligibility", gettext_lazy("Eligibility"), "applications:eligibility"),
    ("company", gettext_lazy("Company"), "applications:company"),
    ("contacts", gettext_lazy("Contacts"), "applications:contacts"),
    ("identifiers", gettext_lazy("Identifiers"), "applications:identifiers"),
    ("business", gettext_lazy("Business information"), "applications:business"),
    ("security_profile", gettext_lazy("Security profile"), "applications:profile"),
    ("review", gettext_lazy("Review & submit"), "applications:review"),
]
SECTION_URLS = {code: url for code, _label, url in STEPS}


@dataclass(frozen=True)
class Acting:
    """Who acts, for which company, and whether they may edit it now."""

    user: User
    membership: Membership
    partner: Partner

    @property
    def can_edit(self) -> bool:
        return self.membership.role in PARTNER_EDITORS and self.partner.status_enum in EDITABLE_STATUSES

    @property
    def is_officer(self) -> bool:
        return self.membership.role == Role.COMPANY_OFFICER


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def partner_page(
    view: Callable[Concatenate[HttpRequest, Acting, P], HttpResponseBase],
) -> Callable[..., HttpResponseBase]:
    """Log-in, the company through access (write access for a POST), and locked edits refused."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
        membership = request_membership(request)
        writing = request.method == "POST"
        partner = access_own_partner(membership, write=writing)
        assert membership is not None and isinstance(request.user, User)
        try:
            if writing:
                ensure_editable(partner)
            return view(request, Acting(request.user, membership, partner), *args, **kwargs)
        except ApplicationLocked as exc:
            messages.error(request, " ".join(exc.messages))
            if _is_htmx(request):
                response = HttpResponse(status=204)
                response["HX-Redirect"] = reverse("applications:dashboard")
                return response
            return redirect("applications:dashboard")

    return wrapper


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _add_errors(form: BaseForm, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form, on the field it names where the form has it."""
    if isinstance(exc, ApplicationLocked):
        raise exc
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for name, errors in exc.message_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def _form_error_text(form: BaseForm) -> str:
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


# ---------------------------------------------------------------------------- page frame


@dataclass(frozen=True)
class Step:
    code: str
    label: str
    url: str
    state: str  # "complete", "current" or ""


@dataclass(frozen=True)
class GapRow:
    gap: Gap
    url: str


def _steps(partner: Partner, gaps: list[Gap], here: str) -> list[Step]:
    open_sections = {gap.section for gap in gaps}
    steps = []
    for code, label, url in STEPS:
        done = partner.status_enum not in EDITABLE_STATUSES if code == "review" else code not in open_sections
        state = "current" if code == here else ("complete" if done else "")
        steps.append(Step(code, str(label), reverse(url), state))
    return steps


def _render(request: HttpRequest, acting: Acting, template: str, here: str, **context: Any) -> HttpResponse:
    gaps = context.get("gaps")
    if gaps is None:
        gaps = application_gaps_for(acting.partner)
    return render(
        request,
        template,
        {
            "acting": acting,
            "partner": acting.partner,
            "can_edit": acting.can_edit,
            "steps": _steps(acting.partner, gaps, here),
            **context,
        },
    )


def _answers(acting: Acting) -> list[ProfileAnswer]:
    """The current profile's answers; a company registered before it had a profile gets one now."""
    profile = profile_current(acting.partner)
    if profile is None and acting.partner.status_enum in EDITABLE_STATUSES:
        profile = security_profile_ensure(partner=acting.partner)
    return list(profile_answers(profile))


def _answer_url(answer: ProfileAnswer) -> str:
    return reverse("applications:category", args=[answer.criterion.category_number]) + f"#answer-{answer.pk}"


def _gap_rows(gaps: list[Gap], answers: list[ProfileAnswer]) -> list[GapRow]:
    by_code = {a.criterion.code: a for a in answers}
    rows = []
    for gap in gaps:
        answer = by_code.get(gap.criterion or "")
        rows.append(GapRow(gap, _answer_url(answer) if answer else reverse(SECTION_URLS[gap.section])))
    return rows


def _category_rows(answers: list[ProfileAnswer], partner: Partner) -> list[dict[str, Any]]:
    names = {a.criterion.category_number: a.criterion.category_name for a in answers}
    return [{"progress": p, "name": names.get(p.category, "")} for p in application_progress(partner)]


# ---------------------------------------------------------------------------- dashboard


@partner_page
def dashboard(request: HttpRequest, acting: Acting) -> HttpResponse:
    answers = _answers(acting)
    gaps = application_gaps_for(acting.partner)
    now = timezone.now()
    return _render(
        request,
        acting,
        "applications/dashboard.html",
        "",
        gaps=gaps,
        gap_rows=_gap_rows(gaps, answers),
        categories=_category_rows(answers, acting.partner),
        clocks=[(clock, clock.days_left(now)) for clock in partner_clocks(acting.partner)],
        events=partner_events(acting.partner),
        is_consultant=acting.membership.role == Role.CONSULTANT,
    )


# ---------------------------------------------------------------------------- eligibility


def _eligibility_page(
    request: HttpRequest,
    acting: Acting,
    *,
    form: EligibilityForm | None = None,
    type_form: EntityTypeForm | None = None,
) -> HttpResponse:
    partner = acting.partner
    entity_type = EntityType(partner.entity_type)
    questions = questions_for(entity_type)
    result = (
        evaluate_eligibility(entity_type, partner.eligibility_answers)
        if partner.eligibility_checked_at
        else None
    )
    return _render(
        request,
        acting,
        "applications/eligibility.html",
        "eligibility",
        form=form or EligibilityForm(questions=questions, initial=partner.eligibility_answers),
        type_form=type_form or EntityTypeForm(initial={"entity_type": partner.entity_type}),
        result=result,
    )


@partner_page
def eligibility(request: HttpRequest, acting: Acting) -> HttpResponse:
    questions = questions_for(EntityType(acting.partner.entity_type))
    form = EligibilityForm(_posted(request), questions=questions, initial=acting.partner.eligibility_answers)
    if request.method == "POST" and form.is_valid():
        reasons = eligibility_record(actor=acting.user, partner=acting.partner, answers=form.cleaned_data)
        if reasons:
            messages.warning(request, _("The company does not meet every eligibility rule yet: see below."))
        else:
            messages.success(request, _("The company is eligible for its entity type."))
        return redirect("applications:eligibility")
    return _eligibility_page(request, acting, form=form)


@partner_page
@require_POST
def entity_type(request: HttpRequest, acting: Acting) -> HttpResponse:
    form = EntityTypeForm(request.POST)
    if form.is_valid():
        entity_type_change(
            actor=acting.user,
            partner=acting.partner,
            entity_type=EntityType(form.cleaned_data["entity_type"]),
        )
        messages.success(
            request, _("Entity type changed. Answer the eligibility questions for the new type.")
        )
        return redirect("applications:eligibility")
    return _eligibility_page(request, acting, type_form=form)


# ---------------------------------------------------------------------------- company profile


@partner_page
def company(request: HttpRequest, acting: Acting) -> HttpResponse:
    form = CompanyProfileForm(_posted(request), instance=acting.partner)
    if request.method == "POST" and form.is_valid():
        try:
            partner_profile_update(actor=acting.user, partner=acting.partner, fields=form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Company profile saved."))
            return redirect("applications:company")
    return _render(request, acting, "applications/company.html", "company", form=form)


# ---------------------------------------------------------------------------- contacts, origins, facilities


@dataclass(frozen=True)
class ChildKind:
    model: type[Contact] | type[OriginCountry] | type[Facility]
    form: type[ContactForm] | type[OriginCountryForm] | type[FacilityForm]
    section: str
    title: Any


CHILDREN: dict[str, ChildKind] = {
    "contact": ChildKind(Contact, ContactForm, "contacts", gettext_lazy("Contact")),
    "origin": ChildKind(OriginCountry, OriginCountryForm, "business", gettext_lazy("Country of origin")),
    "facility": ChildKind(Facility, FacilityForm, "business", gettext_lazy("Facility")),
}


def _contacts_page(request: HttpRequest, acting: Acting, *, form: BaseForm | None = None) -> HttpResponse:
    return _render(
        request,
        acting,
        "applications/contacts.html",
        "contacts",
        contacts=acting.partner.contacts.order_by("contact_type", "full_name"),
        form=form or ContactForm(),
    )


@partner_page
def contacts(request: HttpRequest, acting: Acting) -> HttpResponse:
    return _contacts_page(request, acting)


def _save_child(acting: Acting, kind: str, form: BaseForm) -> bool:
    instance: Any = getattr(form, "instance", None)
    try:
        if kind == "origin":
            origin_shares_check(
                partner=acting.partner, share=instance.share_percent, excluding_id=instance.pk
            )
        child_save(actor=acting.user, partner=acting.partner, instance=instance)
    except ValidationError as exc:
        _add_errors(form, exc)
        return False
    return True


def _section_page(request: HttpRequest, acting: Acting, kind: str, form: BaseForm) -> HttpResponse:
    if kind == "contact":
        return _contacts_page(request, acting, form=form)
    return _business_page(request, acting, **{f"{kind}_form": form})


@partner_page
@require_POST
def child_add(request: HttpRequest, acting: Acting, kind: str) -> HttpResponse:
    spec = CHILDREN[kind]
    form = spec.form(request.POST, instance=spec.model(partner=acting.partner))
    if form.is_valid() and _save_child(acting, kind, form):
        messages.success(request, _("%(what)s added.") % {"what": spec.title})
        return redirect(SECTION_URLS[spec.section])
    return _section_page(request, acting, kind, form)


@partner_page
def child_edit(request: HttpRequest, acting: Acting, kind: str, child_id: int) -> HttpResponse:
    spec = CHILDREN[kind]
    instance = access_child_by_id(acting.partner, spec.model, child_id)
    form = spec.form(_posted(request), instance=instance)
    if request.method == "POST" and form.is_valid() and _save_child(acting, kind, form):
        messages.success(request, _("%(what)s saved.") % {"what": spec.title})
        return redirect(SECTION_URLS[spec.section])
    return _render(
        request,
        acting,
        "applications/child_edit.html",
        spec.section,
        form=form,
        title=spec.title,
        kind=kind,
        child_id=child_id,
        back_url=reverse(SECTION_URLS[spec.section]),
    )


@partner_page
@require_POST
def child_remove(request: HttpRequest, acting: Acting, kind: str, child_id: int) -> HttpResponse:
    spec = CHILDREN[kind]
    instance = access_child_by_id(acting.partner, spec.model, child_id)
    child_delete(actor=acting.user, partner=acting.partner, instance=instance)
    messages.success(request, _("%(what)s removed.") % {"what": spec.title})
    return redirect(SECTION_URLS[spec.section])


# ---------------------------------------------------------------------------- identifiers


def _required_kinds(partner: Partner) -> frozenset[IdentifierKind]:
    return frozenset(
        kind for group in REQUIRED_IDENTIFIERS[EntityType(partner.entity_type)] for kind in group
    )


def _identifiers_save(acting: Acting, form: IdentifiersForm, current: dict[str, str]) -> bool:
    """Set, change or clear every identifier in one transaction; any bad value keeps all as they were."""
    with transaction.atomic():
        for kind in IdentifierKind:
            value = form.cleaned_data[kind.value]
            try:
                if value.strip() and normalise_identifier(value) != current.get(kind.value):
                    identifier_set(actor=acting.user, partner=acting.partner, kind=kind, value=value)
                elif not value.strip() and kind.value in current:
                    identifier_remove(actor=acting.user, partner=acting.partner, kind=kind)
            except ApplicationLocked:
                raise
            except ValidationError as exc:
                form.add_error(kind.value, exc.messages)
        if form.errors:
            transaction.set_rollback(True)
    return not form.errors


@partner_page
def identifiers(request: HttpRequest, acting: Acting) -> HttpResponse:
    partner = acting.partner
    current = dict(partner.identifiers.values_list("kind", "value"))
    form = IdentifiersForm(_posted(request), initial=current, required=_required_kinds(partner))
    if request.method == "POST" and form.is_valid() and _identifiers_save(acting, form, current):
        messages.success(request, _("Identifiers saved."))
        return redirect("applications:identifiers")
    present = {IdentifierKind(kind) for kind in current}
    return _render(
        request,
        acting,
        "applications/identifiers.html",
        "identifiers",
        form=form,
        missing=missing_identifiers(EntityType(partner.entity_type), present),
    )


# ---------------------------------------------------------------------------- business information


def _business_page(
    request: HttpRequest,
    acting: Acting,
    *,
    modes_form: BaseForm | None = None,
    origin_form: BaseForm | None = None,
    facility_form: BaseForm | None = None,
) -> HttpResponse:
    partner = acting.partner
    origins = list(partner.origin_countries.order_by("-share_percent", "country"))
    return _render(
        request,
        acting,
        "applications/business.html",
        "business",
        modes_form=modes_form or TransportModesForm(initial={"transport_modes": partner.transport_modes}),
        origin_form=origin_form or OriginCountryForm(),
        facility_form=facility_form or FacilityForm(),
        origins=origins,
        origin_total=sum(o.share_percent for o in origins),
        facilities=partner.facilities.order_by("name"),
    )


@partner_page
def business(request: HttpRequest, acting: Acting) -> HttpResponse:
    return _business_page(request, acting)


@partner_page
@require_POST
def transport_modes(request: HttpRequest, acting: Acting) -> HttpResponse:
    form = TransportModesForm(request.POST)
    if form.is_valid():
        try:
            partner_profile_update(
                actor=acting.user,
                partner=acting.partner,
                fields={"transport_modes": form.cleaned_data["transport_modes"]},
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Modes of transport saved."))
            return redirect("applications:business")
    return _business_page(request, acting, modes_form=form)


# ---------------------------------------------------------------------------- security profile


@dataclass
class AnswerBlock:
    """One criterion on a category page: the answer, its form, what it still lacks, file errors."""

    answer: ProfileAnswer
    form: AnswerForm
    gaps: list[Gap]
    saved: bool = False
    error: str = ""
    evidence_error: str = ""
    evidence: list[Evidence] = field(default_factory=list)


def _answer_block(answer: ProfileAnswer, **extra: Any) -> AnswerBlock:
    form = extra.pop("form", None) or AnswerForm(
        initial={
            "status": answer.status,
            "narrative": answer.narrative,
            "not_applicable_reason": answer.not_applicable_reason,
        }
    )
    gaps = answer_gaps(answer_facts([answer])[0])
    return AnswerBlock(
        answer, form, gaps, evidence=sorted(answer.evidence.all(), key=lambda e: e.uploaded_at), **extra
    )


@partner_page
def profile(request: HttpRequest, acting: Acting) -> HttpResponse:
    answers = _answers(acting)
    return _render(
        request,
        acting,
        "applications/profile.html",
        "security_profile",
        categories=_category_rows(answers, acting.partner),
    )


def _category_page(
    request: HttpRequest, acting: Acting, number: int, *, evidence_error: tuple[int, str] | None = None
) -> HttpResponse:
    answers = [a for a in _answers(acting) if a.criterion.category_number == number]
    if not answers:
        raise Http404(_("No criteria of this category apply to your entity type."))
    blocks = []
    for answer in answers:
        error = evidence_error[1] if evidence_error and evidence_error[0] == answer.pk else ""
        blocks.append(_answer_block(answer, evidence_error=error))
    return _render(
        request,
        acting,
        "applications/category.html",
        "security_profile",
        number=number,
        name=answers[0].criterion.category_name,
        blocks=blocks,
        evidence_form=EvidenceForm(),
        allowed_files=ALLOWED_DESCRIPTION,
    )


@partner_page
def category(request: HttpRequest, acting: Acting, number: int) -> HttpResponse:
    return _category_page(request, acting, number)


@partner_page
@require_POST
def answer_autosave(request: HttpRequest, acting: Acting, answer_id: int) -> HttpResponse:
    """Save one answer; htmx gets the answer fragment back with "Saved" or the error."""
    answer = access_answer_by_id(acting.partner, answer_id)
    form = AnswerForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            answer_save(
                actor=acting.user,
                partner=acting.partner,
                answer=answer,
                data=AnswerInput(**form.cleaned_data),
            )
        except ApplicationLocked:
            raise
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = _form_error_text(form)
    if _is_htmx(request):
        block = _answer_block(answer, form=form, saved=not error, error=error)
        return render(request, "applications/_answer.html", {"block": block, "can_edit": acting.can_edit})
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Answer to %(code)s saved.") % {"code": answer.criterion.code})
    return redirect(_answer_url(answer))


@partner_page
@require_POST
def evidence_upload(request: HttpRequest, acting: Acting, answer_id: int) -> HttpResponse:
    answer = access_answer_by_id(acting.partner, answer_id)
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        error = _form_error_text(form)
    else:
        try:
            evidence = evidence_add(
                actor=acting.user, partner=acting.partner, answer=answer, upload=form.cleaned_data["file"]
            )
        except EvidenceRejected as exc:
            error = str(exc)
        else:
            messages.success(
                request,
                _("%(name)s attached to %(code)s.")
                % {"name": evidence.original_name, "code": answer.criterion.code},
            )
            return redirect(_answer_url(answer))
    return _category_page(
        request, acting, answer.criterion.category_number, evidence_error=(answer.pk, error)
    )


def evidence_response(evidence: Evidence) -> FileResponse:
    """The stored file as a download under its original name; never served from a public URL."""
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("The evidence file is missing from storage.")) from exc
    response = FileResponse(
        handle, as_attachment=True, filename=evidence.original_name, content_type=evidence.content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response


@partner_page
def evidence_download(request: HttpRequest, acting: Acting, evidence_id: int) -> HttpResponseBase:
    return evidence_response(access_evidence_by_id(acting.partner, evidence_id))


@partner_page
@require_POST
def evidence_delete(request: HttpRequest, acting: Acting, evidence_id: int) -> HttpResponse:
    evidence = access_evidence_by_id(acting.partner, evidence_id)
    answer = evidence.answer
    evidence_remove(actor=acting.user, partner=acting.partner, evidence=evidence)
    messages.success(request, _("%(name)s removed.") % {"name": evidence.original_name})
    return redirect(_answer_url(answer))


# ---------------------------------------------------------------------------- review & submit


@partner_page
def review(request: HttpRequest, acting: Acting) -> HttpResponse:
    answers = _answers(acting)
    gaps = application_gaps_for(acting.partner)
    return _render(
        request, acting, "applications/review.html", "review", gaps=gaps, gap_rows=_gap_rows(gaps, answers)
    )


@partner_page
@require_POST
def sign(request: HttpRequest, acting: Acting) -> HttpResponse:
    if request.POST.get("agree") != "on":
        messages.error(request, _("Tick the box to say you have read and agree to the partner agreement."))
        return redirect("applications:review")
    try:
        agreement_sign(actor=acting.user, membership=acting.membership, partner=acting.partner)
    except ApplicationLocked:
        raise
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The partner agreement is signed."))
    return redirect("applications:review")


@partner_page
@require_POST
def submit(request: HttpRequest, acting: Acting) -> HttpResponse:
    try:
        application_submit(actor=acting.user, membership=acting.membership, partner=acting.partner)
    except TransitionError as exc:
        for reason in exc.reasons:
            messages.error(request, reason)
    except ApplicationLocked:
        raise
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Application submitted. The agency decides on certification within 90 days.")
        )
        return redirect("applications:dashboard")
    return redirect("applications:review")
