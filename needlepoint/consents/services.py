"""Publishing consent wording, knowing what is due, and signing."""

from __future__ import annotations

import hashlib
import io
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from needlepoint.audit import log as audit
from needlepoint.audit.choices import Action, Target
from needlepoint.clients.models import Client
from needlepoint.consents.choices import SignatureKind
from needlepoint.consents.models import ConsentForm, ConsentFormVersion, SignedConsent
from needlepoint.core.errors import DomainError
from needlepoint.core.images import decode_image
from needlepoint.scheduling.models import Service

MAX_DRAWING_BYTES = 300_000
MAX_DRAWING_SIZE = (2400, 1200)


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@transaction.atomic
def consent_form_publish(*, form: ConsentForm, text: str) -> ConsentFormVersion:
    """A new version of the form's wording; the ones before stay as they were signed."""
    text = text.strip().replace("\r\n", "\n")
    if not text:
        raise DomainError("empty_text", "A consent form needs its wording.", field="text")
    ConsentForm.objects.select_for_update().filter(pk=form.pk).get()
    current = form.versions.order_by("-version").first()
    if current is not None and current.text == text:
        return current
    latest = form.versions.aggregate(latest=Max("version"))["latest"] or 0
    return ConsentFormVersion.objects.create(
        form=form, version=latest + 1, text=text, text_sha256=text_hash(text)
    )


def current_versions(service: Service) -> list[ConsentFormVersion]:
    """The latest wording of every active form the service needs."""
    forms = ConsentForm.objects.filter(services=service, is_active=True).prefetch_related(
        "versions"
    )
    latest = [max(form.versions.all(), key=lambda v: v.version, default=None) for form in forms]
    return [version for version in latest if version is not None]


def consents_due(client: Client, service: Service) -> list[ConsentFormVersion]:
    """What the client must still sign before this service: a new version is due again."""
    signed = set(
        SignedConsent.objects.filter(client=client).values_list("form_version_id", flat=True)
    )
    return [version for version in current_versions(service) if version.pk not in signed]


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
        raise DomainError("wrong_organisation", "That form belongs to another clinic.")
    latest = form.versions.aggregate(latest=Max("version"))["latest"]
    if form_version.version != latest or not form.is_active:
        raise DomainError(
            "form_outdated", "This form has been updated. Please read and sign the new version."
        )
    name = " ".join(typed_name.split())
    if not name or len(name) > 200:
        raise DomainError("name_required", "Please type your full name.", field="typed_name")
    drawing = _clean_drawing(drawing_png) if kind == SignatureKind.DRAWN else b""
    if text_hash(form_version.text) != form_version.text_sha256:
        raise DomainError("text_changed", "This form's text does not match its record.")
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
                detail={"form": form.name, "version": form_version.version},
            )
            return signed
    except IntegrityError as error:
        raise DomainError("already_signed", "You have already signed this form.") from error


def _clean_drawing(data: bytes) -> bytes:
    """A drawn signature, decoded and re-encoded as a plain PNG (no metadata kept).

    Decoded with the photo upload's checks (``core.images``): a damaged PNG, or one whose
    header claims a huge picture, is refused with a message instead of failing the page.
    """
    if not data:
        raise DomainError("drawing_required", "Please draw your signature.", field="drawing")
    too_large = DomainError("drawing_too_large", "The drawing is too large.", field="drawing")
    if len(data) > MAX_DRAWING_BYTES:
        raise too_large
    image = decode_image(
        data,
        formats={"PNG"},
        max_pixels=MAX_DRAWING_SIZE[0] * MAX_DRAWING_SIZE[1],
        max_size=MAX_DRAWING_SIZE,
        unreadable=DomainError(
            "drawing_invalid", "The drawing could not be read.", field="drawing"
        ),
        too_large=too_large,
    )
    clean = image.convert("RGBA")
    if clean.getchannel("A").getbbox() is None:
        raise DomainError("drawing_required", "Please draw your signature.", field="drawing")
    out = io.BytesIO()
    clean.save(out, format="PNG", optimize=True)
    return out.getvalue()
