from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from ... import permissions
from .. import paging
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
    paging.configure(request, table, per_page=50)
    return render(request, "events/officer_list.html", {"filter": officer_filter, "table": table})
