"""Coverage: "where haven't we been?", postcode district by district."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from ...reporting import stats
from ...reporting.params import CoverageFilterForm, as_query, last_twelve_months
from ...time import local_today
from .reports import require_stats_reader


@login_required
def coverage(request):
    require_stats_reader(request.user)
    if request.GET:
        form = CoverageFilterForm(request.GET)
        filters = form.filters() if form.is_valid() else None
        months = form.months_value() if filters else stats.COVERAGE_MONTHS
    else:
        filters, months = last_twelve_months(local_today()), stats.COVERAGE_MONTHS
        form = CoverageFilterForm(initial={**as_query(filters), "months": months})
    context = {"form": form, "filters": filters}
    if filters is not None:
        context.update(data=stats.coverage(filters, months=months), description=filters.describe())
    return render(request, "events/coverage.html", context)
