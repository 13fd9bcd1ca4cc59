"""Lists come a page at a time: ``?limit=50&offset=0`` → ``{"count", "next", "items"}``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase


class PageInput(Schema):
    limit: int = Field(50, ge=1, le=200, description="How many items, at most 200.")
    offset: int = Field(0, ge=0, le=1_000_000, description="How many items to skip.")


class Page(PaginationBase):
    Input = PageInput  # type: ignore[assignment]  # a named class: the schema calls it PageInput

    class Output(Schema):
        count: int = Field(description="How many items there are in all.")
        next: str | None = Field(description="The next page's URL; null on the last page.")
        items: list[Any]

    def paginate_queryset(
        self, queryset: Any, pagination: PageInput, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        count = self._items_count(queryset)
        end = pagination.offset + pagination.limit
        query = request.GET.copy()
        query["offset"] = str(end)
        query.setdefault("limit", str(pagination.limit))
        following = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
        return {
            "count": count,
            "next": following if end < count else None,
            # Read here, inside the operation, so that a list marked @reads_replica reads
            # its rows where it read its count.
            "items": list(queryset[pagination.offset : end]),
        }
