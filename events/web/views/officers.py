from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django_tables2 import RequestConfig

from ... import permissions
from ..filters import OfficerFilter
from ..tables import OfficerTable


@login_required
def officer_list(request):
    permissions.require_role(request.user)
    officers = (
        permissions.visible_officers(request.user)
        .select_related("team")
        .prefetch_related("qualifications")
    )
    officer_filter = OfficerFilter(request.GET, queryset=officers)
    table = OfficerTable(officer_filter.qs)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(request, "events/officer_list.html", {"filter": officer_filter, "table": table})
