"""Paged lists (shared/API.md): ``limit`` and ``offset`` in, ``{"items": [...], "count": N}`` out.

A list operation declares ``response=list[ItemOut]``, takes ``@paginate(LimitOffset)`` from
django-ninja and returns an ordered queryset; ninja documents the two parameters and the
paged answer. A limit over 500 or a negative offset answers 422, like any bad parameter.
"""

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from ninja import Field, Schema
from ninja.pagination import PaginationBase


class LimitOffset(PaginationBase):
    """At most ``limit`` items from ``offset``, and how many there are in all.

    ``each_page`` (optional) is called with the page's items and the operation's own
    parameters, to add what is worked out a page at a time (kit availability for a window).
    """

    class Input(Schema):
        limit: int = Field(50, ge=1, le=500, description="At most 500")
        offset: int = Field(0, ge=0, le=10**9)

    class Output(Schema):
        items: list[Any]
        count: int = Field(description="How many match, across all pages")

    def __init__(self, *, each_page: Callable[..., None] | None = None, **kwargs: Any) -> None:
        self.each_page = each_page
        super().__init__(**kwargs)

    def paginate_queryset(self, queryset: QuerySet, pagination: Input, request, **params) -> dict:
        start = pagination.offset
        items = list(queryset[start : start + pagination.limit])
        # A first page that is not full already says how many there are: no COUNT query.
        short = start == 0 and len(items) < pagination.limit
        count = len(items) if short else queryset.count()
        if self.each_page is not None:
            self.each_page(items, **params)
        return {"items": items, "count": count}
