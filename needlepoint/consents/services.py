"""Publishing consent wording, knowing what is due, and signing."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Max, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from needlepoint.audit import log as audit
from needlepoint.audit.choices import Action, Target
from needlepoint.clients.language_versions import (
    ENGLISH,
    reading_order,
)
from needlepoint.clients.models import Client
from needlepoint.clinical import Rules
from needlepoint.clinics.choices import DeviceKind
from needlepoint.consents.choices import SignatureKind
from needlepoint.consents.models import ConsentForm, ConsentFormVersion, SignedConsent
from needlepoint.core import languages, plain_sql
from needlepoint.core.errors import DomainError
from needlepoint.core.images import decode_image
from needlepoint.scheduling.models import Service

MAX_DRAWING_BYTES = 300_000
MAX_DRAWING_SIZE = (2400, 1200)


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class Covers:
    """What a procedure consent covers (§7.3): indications, deepest band and devices."""

    depth_band: str
    indications: tuple[str, ...]
    device_kinds: tuple[str, ...]


@transaction.atomic
def consent_form_publish(
    *,
    form: ConsentForm,
    text: str,
    covers: Covers | None = None,
    language: str = ENGLISH,
) -> ConsentFormVersion:
    """A new version of the form's wording (and of what it covers, for a procedure
    consent); the ones before stay as they were signed.

    English is the clinic's source text. A text in another language translates the
    current English version, and covers what it covers (``covers`` is not asked); it is
    offered to clients until the English text changes, when it is published again.
    """
    text = text.strip().replace("\r\n", "\n")
    if not text:
        raise DomainError("empty_text", _("A consent form needs its wording."), field="text")
    if language not in languages.codes():
        raise DomainError("unknown_language", _("Choose one of the languages offered."))
    ConsentForm.objects.select_for_update().filter(pk=form.pk).get()
    if language == ENGLISH:
        scope, translates = _checked_covers(form, covers), None
    else:
        master = current_english(form)
        if master is None:
            raise DomainError(
                "no_english_text",
                _("Publish the English text first: the other languages translate it."),
                field="text",
            )
        scope, translates = _covers_of(master), master.version
    in_language = form.versions.filter(language=language)
    current = in_language.order_by("-version").first()
    if (
        current is not None
        and current.text == text
        and _covers_of(current) == scope
        and current.translates == translates
    ):
        return current
    latest = in_language.aggregate(latest=Max("version"))["latest"] or 0
    return ConsentFormVersion.objects.create(
        form=form,
        language=language,
        version=latest + 1,
        translates=translates,
        text=text,
        text_sha256=text_hash(text),
        depth_band=scope.depth_band if scope else "",
        indications=list(scope.indications) if scope else [],
        device_kinds=list(scope.device_kinds) if scope else [],
    )


def current_english(form: ConsentForm) -> ConsentFormVersion | None:
    """The form's current English text: what every client's signature is due on."""
    return form.versions.filter(language=ENGLISH).order_by("-version").first()


def current_in_languages(form: ConsentForm) -> dict[str, ConsentFormVersion]:
    """The version offered in each language: English, and each translation of the current
    English version (a translation of an older one is out of date and not offered)."""
    latest: dict[str, ConsentFormVersion] = {}
    for version in sorted(form.versions.all(), key=lambda v: v.version):
        latest[version.language] = version
    master = latest.get(ENGLISH)
    if master is None:
        return {}
    return {
        language: version
        for language, version in latest.items()
        if language == ENGLISH or version.translates == master.version
    }


def version_to_sign(form: ConsentForm, languages: Sequence[str]) -> ConsentFormVersion | None:
    """The version to offer a reader of ``languages`` (best first), else the English one."""
    offered = current_in_languages(form)
    for language in [*languages, ENGLISH]:
        if language in offered:
            return offered[language]
    return None


def is_current(version: ConsentFormVersion) -> bool:
    return current_in_languages(version.form).get(version.language) == version


def shown_instead(version: ConsentFormVersion, client: Client) -> str:
    """The name of the language a version is in when it is not the client's own (their
    language has no current text of the form), for the page to say so; else ""."""
    if version.language == client.preferred_language:
        return ""
    return languages.name(version.language)


def english_version_of(version: ConsentFormVersion) -> int:
    """The English version a version's text is (or translates)."""
    return version.version if version.translates is None else version.translates


def _checked_covers(form: ConsentForm, covers: Covers | None) -> Covers | None:
    if covers is None:
        return None
    rules = form.organisation.rules()
    if covers.depth_band not in rules.depth_bands:
        raise DomainError(
            "unknown_band",
            _("Choose the deepest depth band the consent covers."),
            field="depth_band",
        )
    if not covers.indications or any(k not in rules.indications for k in covers.indications):
        raise DomainError(
            "unknown_indication",
            _("Choose the indications the consent covers."),
            field="indications",
        )
    known = {kind.value for kind in DeviceKind}
    if not covers.device_kinds or any(kind not in known for kind in covers.device_kinds):
        raise DomainError(
            "unknown_device",
            _("Choose the kinds of device the consent covers."),
            field="device_kinds",
        )
    indications, kinds = sorted(set(covers.indications)), sorted(set(covers.device_kinds))
    return Covers(covers.depth_band, tuple(indications), tuple(kinds))


def _covers_of(version: ConsentFormVersion) -> Covers | None:
    if not version.depth_band:
        return None
    return Covers(version.depth_band, tuple(version.indications), tuple(version.device_kinds))


def consent_covers_refusal(
    *, client: Client, service: Service, indication: str, device_kind: str, depth_mm: float
) -> str | None:
    """Why needling at ``depth_mm`` is not covered by what the client signed, if it isn't.

    Applies where the service's forms include a procedure consent (a version that states
    what it covers): then a signed version must cover the indication, the device's kind
    and the depth's band (§7.3: a new consent when any of them changes). A clinic that
    keeps its procedure consent on paper has none here, and nothing to compare.
    """
    procedure = ConsentFormVersion.objects.filter(
        form__services=service, form__is_active=True
    ).exclude(depth_band="")
    if not procedure.exists():
        return None
    rules = client.organisation.rules()
    band = rules.depth_band(depth_mm)
    order = list(rules.depth_bands)
    signed = signed_covers(client, service)
    for covers in signed:
        if (
            indication in covers.indications
            and device_kind in covers.device_kinds
            and order.index(band.key) <= order.index(covers.depth_band)
        ):
            return None
    if not device_kind:
        return _("Record the device on the chart first: the consent covers named kinds of device.")
    wanted = _("%(indication)s, %(band)s, with a %(device)s") % {
        "indication": rules.indication(indication).name.lower(),
        "band": band.name.lower(),
        "device": DeviceKind(device_kind).label.lower(),
    }
    if not signed:
        return _(
            "No procedure consent is signed for %(wanted)s. Ask the client to sign it first."
        ) % {"wanted": wanted}
    return _(
        "The signed consent does not cover %(wanted)s: it covers %(covers)s. "
        "A new consent covering this must be signed before needling."
    ) % {"wanted": wanted, "covers": describe_covers(signed[0], rules)}


def signed_covers(client: Client, service: Service) -> list[Covers]:
    """What the client's signed procedure consents for ``service`` cover, newest first."""
    versions = ConsentFormVersion.objects.filter(
        form__services=service, form__is_active=True, signatures__client=client
    ).exclude(depth_band="")
    return [c for v in versions.order_by("-published_at", "-pk") if (c := _covers_of(v))]


def version_covers_text(version: ConsentFormVersion) -> str:
    """What a version covers, in words, for the page and the PDF; "" for none."""
    covers = _covers_of(version)
    return describe_covers(covers, version.form.organisation.rules()) if covers else ""


def describe_covers(covers: Covers, rules: Rules) -> str:
    """What a consent covers, in words: "acne scars; up to mid dermal, 1.5 mm; pen"."""
    indications = ", ".join(rules.indication(key).name.lower() for key in covers.indications)
    devices = ", ".join(DeviceKind(kind).label.lower() for kind in covers.device_kinds)
    return f"{indications}; {rules.depth_bands[covers.depth_band].name.lower()}; {devices}"


def current_versions(service: Service) -> list[ConsentFormVersion]:
    """The latest English wording of every active form the service needs."""
    forms = ConsentForm.objects.filter(services=service, is_active=True).prefetch_related(
        "versions"
    )
    latest = [current_in_languages(form).get(ENGLISH) for form in forms]
    return [version for version in latest if version is not None]


def consents_due(client: Client, service: Service) -> list[ConsentFormVersion]:
    """What the client must still sign before this service, each in the client's language
    (else the clinic's default language, else English): a new English version is due again,
    whichever language the client signed the earlier one in."""
    forms = (
        ConsentForm.objects.filter(services=service, is_active=True)
        .prefetch_related(Prefetch("versions", ConsentFormVersion.objects.order_by()))
        .order_by("name")  # the service's clinic's forms: its name order, without the join
    )
    return _due(forms, _signed_english_versions(client), reading_order(client))


def _due(
    forms: Iterable[ConsentForm], signed: set[tuple[int, int]], order: Sequence[str]
) -> list[ConsentFormVersion]:
    due = []
    for form in forms:
        master = current_in_languages(form).get(ENGLISH)
        if master is None or (form.pk, master.version) in signed:
            continue
        version = version_to_sign(form, order)
        if version is not None:
            due.append(version)
    return due


def consents_for_checklist(
    client: Client, service: Service
) -> tuple[list[ConsentFormVersion], list[Covers]]:
    """``consents_due`` and ``signed_covers`` of one client and service, read together in
    two plain-SQL statements: the chart's checklist asks for both on every view."""
    forms = _service_forms(service)
    signed_ids: set[int] = set()
    signed: set[tuple[int, int]] = set()
    for pk, form, version, translates in plain_sql.rows(
        "SELECT v.id, v.form_id, v.version, v.translates FROM consents_signedconsent s"
        " JOIN consents_consentformversion v ON v.id = s.form_version_id"
        " WHERE s.client_id = %s",
        [client.pk],
    ):
        signed_ids.add(pk)
        signed.add((form, translates or version))
    procedures = [
        version
        for form in forms
        for version in form.versions.all()
        if version.pk in signed_ids and version.depth_band
    ]
    procedures.sort(key=lambda version: (version.published_at, version.pk), reverse=True)
    covers = [c for version in procedures if (c := _covers_of(version))]
    return _due(forms, signed, reading_order(client)), covers


def _service_forms(service: Service) -> list[ConsentForm]:
    """The service's active forms in name order, each with its versions loaded."""
    width = len(ConsentForm._meta.concrete_fields)
    forms: dict[int, ConsentForm] = {}
    versions: dict[int, list[ConsentFormVersion]] = {}
    columns = f"{plain_sql.columns(ConsentForm, 'f')}, {plain_sql.columns(ConsentFormVersion, 'v')}"
    for row in plain_sql.rows(
        f"SELECT {columns} FROM consents_consentform f"
        " JOIN consents_consentform_services fs ON fs.consentform_id = f.id"
        " LEFT JOIN consents_consentformversion v ON v.form_id = f.id"
        " WHERE fs.service_id = %s AND f.is_active ORDER BY f.name, f.id",
        [service.pk],
    ):
        form = forms.get(row[0])
        if form is None:
            form = forms[row[0]] = plain_sql.instance(ConsentForm, row[:width])
            versions[form.pk] = []
        if row[width] is not None:
            version = plain_sql.instance(ConsentFormVersion, row[width:])
            version._state.fields_cache["form"] = form
            versions[form.pk].append(version)
    for form in forms.values():
        plain_sql.prefetched(form, "versions", ConsentFormVersion, versions[form.pk])
    return list(forms.values())


def _signed_english_versions(client: Client) -> set[tuple[int, int]]:
    rows = (
        SignedConsent.objects.filter(client=client)
        .order_by()  # a set: the model's ordering would only add a join
        .values_list("form_version__form_id", "form_version__version", "form_version__translates")
    )
    return {(form, translates or version) for form, version, translates in rows}


def consent_sign(
    *,
    client: Client,
    form_version: ConsentFormVersion,
    kind: SignatureKind,
    typed_name: str,
    drawing_png: bytes = b"",
    ip_address: str | None = None,
    user_agent: str = "",
    now: datetime | None = None,
) -> SignedConsent:
    """Record the client's signature on the current version of a form; never changed later."""
    form = form_version.form
    if form.organisation_id != client.organisation_id:
        raise DomainError("wrong_organisation", _("That form belongs to another clinic."))
    if not is_current(form_version) or not form.is_active:
        raise DomainError(
            "form_outdated",
            _("This form has been updated. Please read and sign the new version."),
        )
    if (form.pk, english_version_of(form_version)) in _signed_english_versions(client):
        raise DomainError("already_signed", _("You have already signed this form."))
    name = " ".join(typed_name.split())
    if not name or len(name) > 200:
        raise DomainError("name_required", _("Please type your full name."), field="typed_name")
    drawing = _clean_drawing(drawing_png) if kind == SignatureKind.DRAWN else b""
    if text_hash(form_version.text) != form_version.text_sha256:
        raise DomainError("text_changed", _("This form's text does not match its record."))
    try:
        with transaction.atomic():
            signed = SignedConsent.objects.create(
                client=client,
                form_version=form_version,
                text_sha256=form_version.text_sha256,
                signed_at=now or timezone.now(),
                ip_address=ip_address,
                user_agent=user_agent[:300],
                kind=kind,
                typed_name=name,
                drawing_png=drawing,
            )
            audit.record(
                Action.CREATED,
                Target.CONSENT,
                signed.public_id,
                client=client,
                detail={
                    "form": form.name,
                    "version": form_version.version,
                    "language": form_version.language,
                },
            )
            return signed
    except IntegrityError as error:
        raise DomainError("already_signed", _("You have already signed this form.")) from error


def _clean_drawing(data: bytes) -> bytes:
    """A drawn signature, decoded and re-encoded as a plain PNG (no metadata kept).

    Decoded with the photo upload's checks (``core.images``): a damaged PNG, or one whose
    header claims a huge picture, is refused with a message instead of failing the page.
    """
    if not data:
        raise DomainError("drawing_required", _("Please draw your signature."), field="drawing")
    too_large = DomainError("drawing_too_large", _("The drawing is too large."), field="drawing")
    if len(data) > MAX_DRAWING_BYTES:
        raise too_large
    image = decode_image(
        data,
        formats={"PNG"},
        max_pixels=MAX_DRAWING_SIZE[0] * MAX_DRAWING_SIZE[1],
        max_size=MAX_DRAWING_SIZE,
        unreadable=DomainError(
            "drawing_invalid", _("The drawing could not be read."), field="drawing"
        ),
        too_large=too_large,
    )
    clean = image.convert("RGBA")
    if clean.getchannel("A").getbbox() is None:
        raise DomainError("drawing_required", _("Please draw your signature."), field="drawing")
    out = io.BytesIO()
    clean.save(out, format="PNG", optimize=True)
    return out.getvalue()
