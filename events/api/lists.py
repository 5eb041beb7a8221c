"""Paged lists: ``limit`` and ``offset`` in, ``{"items": [...], "count": N}`` out."""

from django.db.models import QuerySet

from .schemas import Paging


def paginate(queryset: QuerySet, paging: Paging) -> dict:
    """One page of an ordered queryset, plus the total: two queries whatever the page size."""
    items = list(queryset[paging.offset : paging.offset + paging.limit])
    # A first page that is not full already says how many there are.
    short = paging.offset == 0 and len(items) < paging.limit
    count = len(items) if short else queryset.count()
    return {"items": items, "count": count}
