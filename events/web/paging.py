"""Paging the web lists (django-tables2) with whatever ``page`` and ``per_page`` a URL holds.

django-tables2 passes ``per_page`` straight to Django's paginator: ``0`` or a negative number
crashes it and a huge one loads every row. Here a number that is not a whole number of at
least 1 falls back to the list's default, ``per_page`` is capped at ``MAX_PER_PAGE``, and a
page past the end shows the last one, so no value in the URL gives a 500.
"""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django_tables2 import RequestConfig

MAX_PER_PAGE = 500


def _whole(text, default: int) -> int:
    try:
        number = int(str(text).strip())
    except (TypeError, ValueError):
        return default
    return number if number >= 1 else default


def configure(request, table, *, per_page: int) -> None:
    """Sort ``table`` as the request asks (unknown columns are ignored) and page it."""
    RequestConfig(request, paginate=False).configure(table)
    size = min(_whole(request.GET.get(table.prefixed_per_page_field), per_page), MAX_PER_PAGE)
    page = _whole(request.GET.get(table.prefixed_page_field), 1)
    try:
        table.paginate(page=page, per_page=size)
    except (EmptyPage, PageNotAnInteger):
        table.paginate(page=table.paginator.num_pages, per_page=size)


def page_of(request, items, *, per_page: int):
    """A plain list's page (``?page=``), by the same forgiving rules: Django's ``Page``."""
    paginator = Paginator(items, per_page)
    return paginator.get_page(_whole(request.GET.get("page"), 1))
