"""Comparing a client's photos of one view across two sessions."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from needlepoint.clients.models import Client
from needlepoint.clinics.models import Location
from needlepoint.treatments.choices import PhotoTiming, PhotoView
from needlepoint.treatments.models import Photo, TreatmentSession


@dataclass(frozen=True)
class Comparison:
    views: list[tuple[str, str]]  # the views this client has photos of: (key, label)
    view: str
    sessions: list[TreatmentSession]  # sessions with a photo of ``view``, oldest first
    first: Photo | None
    second: Photo | None


def photo_comparison(
    client: Client, *, locations: QuerySet[Location], view: str, first: str, second: str
) -> Comparison:
    """The chosen view in two sessions (by public id); the first and latest by default.

    Only sessions at ``locations`` count, as for the photo files themselves: a practitioner
    compares the photos taken where they work. Before photos are preferred: they show the
    skin as it was at each visit.
    """
    photos = list(
        Photo.objects.filter(session__client=client, session__location__in=locations)
        .select_related("session")
        .order_by("session__performed_on", "session__pk", "timing", "uploaded_at")
    )
    labels = dict(PhotoView.choices)
    taken = {photo.view for photo in photos}
    views = [(key, str(labels[key])) for key in PhotoView.values if key in taken]
    if view not in taken:
        view = views[0][0] if views else ""
    by_session: dict[str, Photo] = {}
    for photo in photos:
        if photo.view != view:
            continue
        key = str(photo.session.public_id)
        current = by_session.get(key)
        if current is None or (
            current.timing != PhotoTiming.BEFORE and photo.timing == PhotoTiming.BEFORE
        ):
            by_session[key] = photo
    sessions = [photo.session for photo in by_session.values()]
    ordered = list(by_session)
    first_key = first if first in by_session else (ordered[0] if ordered else "")
    second_key = second if second in by_session else (ordered[-1] if ordered else "")
    return Comparison(
        views=views,
        view=view,
        sessions=sessions,
        first=by_session.get(first_key),
        second=by_session.get(second_key),
    )
