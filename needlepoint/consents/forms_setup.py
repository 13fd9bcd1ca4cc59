"""Setting up a clinic's consent forms: adding one, publishing its next version, the starters.

A published version is never changed (the database refuses it): changed wording, or a
changed scope of what a procedure consent covers, is published as a new version, which
clients then sign again. A form's title, services and whether it is in use may change.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from needlepoint.audit import log as audit
from needlepoint.audit.choices import Action, Target
from needlepoint.clients.language_versions import ENGLISH
from needlepoint.clinics.choices import DeviceKind
from needlepoint.clinics.models import Organisation
from needlepoint.consents.models import ConsentForm, ConsentFormVersion
from needlepoint.consents.services import Covers, consent_form_publish, current_in_languages
from needlepoint.core.errors import DomainError, checked
from needlepoint.scheduling.choices import ServiceKind
from needlepoint.scheduling.models import Service

MAX_TITLE = 120
MAX_WORDING = 20_000
STARTER_BAND = "band.deep_dermal"

STARTER_TITLE = "Microneedling consent"
STARTER_WORDING = """\
Microneedling (collagen induction therapy) uses fine needles to make many tiny punctures in \
the skin so that it repairs itself and makes new collagen.

What to expect: redness like mild sunburn for one to three days, tightness, some swelling, \
and at deeper settings pinpoint bleeding during the treatment. Dryness and flaking for a few \
days afterwards are normal. Several sessions, usually four to six weeks apart, are needed for \
results, and results vary from person to person.

Less common risks: infection, cold-sore flare-ups, darker or lighter patches of skin \
(especially in darker skin types), small marks from the needles, and reactions to the \
numbing cream or to products applied afterwards. Rarely, scarring.

I confirm that the medical history I have given is complete and true, that I will tell the \
clinic about any change before each session, and that I have been given the aftercare \
instructions. I understand I can ask questions and can withdraw my consent at any time \
before or during treatment.\
"""


@dataclass(frozen=True)
class FormSummary:
    """A form on the list: its current version, how many signatures all versions have, and
    the languages it is offered in besides English (a translation of an older English
    version is out of date)."""

    form: ConsentForm
    current: ConsentFormVersion | None
    signatures: int
    translations: tuple[str, ...] = ()
    outdated: tuple[str, ...] = ()


def consent_forms_summary(organisation: Organisation) -> list[FormSummary]:
    forms = (
        ConsentForm.objects.filter(organisation=organisation)
        .annotate(signature_count=Count("versions__signatures"))
        .prefetch_related("versions", "services")
        .order_by("name")
    )
    summary = []
    for form in forms:
        offered = current_in_languages(form)
        written = {version.language for version in form.versions.all()} - {ENGLISH}
        summary.append(
            FormSummary(
                form,
                offered.get(ENGLISH),
                form.signature_count,
                tuple(sorted(written & offered.keys())),
                tuple(sorted(written - offered.keys())),
            )
        )
    return summary


def covers_chosen(
    depth_band: str, indications: Sequence[str], device_kinds: Sequence[str]
) -> Covers | None:
    """What a form covers from the choices on the page; None for a form with no needling."""
    if not depth_band:
        if indications or device_kinds:
            raise DomainError(
                "covers_without_band",
                _(
                    "Choose how deep the consent covers needling, or untick the indications "
                    "and devices for a form that covers no needling."
                ),
                field="depth_band",
            )
        return None
    return Covers(depth_band, tuple(indications), tuple(device_kinds))


@transaction.atomic
def consent_form_create(
    *,
    organisation: Organisation,
    name: str,
    services: Iterable[Service],
    text: str,
    depth_band: str = "",
    indications: Sequence[str] = (),
    device_kinds: Sequence[str] = (),
) -> ConsentForm:
    """A new form with its first version."""
    title = _title(name)
    covers = covers_chosen(depth_band, indications, device_kinds)
    _check_wording(text)
    if ConsentForm.objects.filter(organisation=organisation, name__iexact=title).exists():
        raise _title_taken()
    chosen = _own_services(organisation, services)
    form = ConsentForm(organisation=organisation, name=title)
    checked(form)
    form.save()
    form.services.set(chosen)
    version = consent_form_publish(form=form, text=text, covers=covers)
    audit.record(
        Action.CREATED,
        Target.CONSENT_FORM,
        form.pk,
        organisation_id=organisation.pk,
        detail={"name": title, "version": version.version},
    )
    return form


@transaction.atomic
def consent_form_change(
    *,
    form: ConsentForm,
    name: str,
    services: Iterable[Service],
    is_active: bool,
    text: str,
    depth_band: str = "",
    indications: Sequence[str] = (),
    device_kinds: Sequence[str] = (),
) -> ConsentFormVersion:
    """Change the title, services or use of a form, and publish its wording as the next
    version when the wording or what it covers changed (else the current one stays)."""
    title = _title(name)
    covers = covers_chosen(depth_band, indications, device_kinds)
    _check_wording(text)
    organisation = form.organisation
    others = ConsentForm.objects.filter(organisation=organisation, name__iexact=title)
    if others.exclude(pk=form.pk).exists():
        raise _title_taken()
    chosen = _own_services(organisation, services)
    before = {"name": form.name, "is_active": form.is_active}
    before_version = (
        form.versions.filter(language=ENGLISH)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    )
    form.name, form.is_active = title, is_active
    checked(form)
    form.save(update_fields=["name", "is_active"])
    form.services.set(chosen)
    version = consent_form_publish(form=form, text=text, covers=covers)
    audit.record(
        Action.CHANGED,
        Target.CONSENT_FORM,
        form.pk,
        organisation_id=organisation.pk,
        detail={
            "old": before | {"version": before_version},
            "new": {"name": title, "is_active": is_active, "version": version.version},
        },
    )
    return version


@transaction.atomic
def consent_form_translate(*, form: ConsentForm, language: str, text: str) -> ConsentFormVersion:
    """Publish the form's text in another language, translating its current English
    version (else the current one in that language stays)."""
    _check_wording(text)
    if language == ENGLISH:
        raise DomainError("unknown_language", _("Choose one of the languages offered."))
    before = current_in_languages(form).get(language)
    version = consent_form_publish(form=form, text=text, language=language)
    if before is None or version.pk != before.pk:
        audit.record(
            Action.CHANGED,
            Target.CONSENT_FORM,
            form.pk,
            organisation_id=form.organisation_id,
            detail={
                "language": language,
                "version": version.version,
                "translates": version.translates,
            },
        )
    return version


@transaction.atomic
def consent_forms_start(organisation: Organisation) -> list[ConsentForm]:
    """The consent forms a new clinic starts with; none when it has forms already.

    The procedure consent covers the clinic's treatments (their indications and kinds of
    device), or every indication and device when there are no treatments yet, up to the
    deep dermal band; the clinic narrows it by publishing a new version.
    """
    Organisation.objects.select_for_update().filter(pk=organisation.pk).get()
    if ConsentForm.objects.filter(organisation=organisation).exists():
        return []
    treatments = list(
        Service.objects.filter(
            location__organisation=organisation, kind=ServiceKind.TREATMENT, is_active=True
        )
    )
    rules = organisation.rules()
    indications = sorted({s.indication for s in treatments if s.indication}) or list(
        rules.indications
    )
    kinds = sorted({s.device_kind for s in treatments if s.device_kind}) or [
        kind.value for kind in DeviceKind
    ]
    band = STARTER_BAND if STARTER_BAND in rules.depth_bands else list(rules.depth_bands)[-1]
    form = consent_form_create(
        organisation=organisation,
        name=STARTER_TITLE,
        services=treatments,
        text=STARTER_WORDING,
        depth_band=band,
        indications=indications,
        device_kinds=kinds,
    )
    return [form]


def _title(name: str) -> str:
    title = " ".join(str(name).split())
    if not title:
        raise DomainError("title_required", _("Give the form a title."), field="name")
    if len(title) > MAX_TITLE or "\x00" in title:
        raise DomainError(
            "title_too_long",
            _("Keep the title to %(count)s characters.") % {"count": MAX_TITLE},
            field="name",
        )
    return title


def _title_taken() -> DomainError:
    return DomainError(
        "title_taken", _("Another consent form already has this title."), field="name"
    )


def _check_wording(text: str) -> None:
    if len(text) > MAX_WORDING:
        raise DomainError(
            "text_too_long",
            _("Keep the wording to %(count)s characters.") % {"count": MAX_WORDING},
            field="text",
        )
    if "\x00" in text:
        raise DomainError("text_invalid", _("The wording has a character that cannot be saved."))


def _own_services(organisation: Organisation, services: Iterable[Service]) -> list[Service]:
    chosen = list(services)
    if any(service.location.organisation_id != organisation.pk for service in chosen):
        raise DomainError(
            "unknown_service", _("Choose services this clinic offers."), field="services"
        )
    return chosen
