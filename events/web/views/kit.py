"""The kit register: list, add and edit, and availability for a window."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from ... import conflicts, permissions
from ...queries import kit as kit_queries
from ...services import ConflictError
from ...services.errors import show_refusal
from ...services.kit import kit_item_save
from .. import paging
from ..filters import KitFilter
from ..forms import KitItemForm, WindowForm
from ..tables import KitTable


@login_required
def kit_list(request):
    permissions.require_role(request.user)
    kit_filter = KitFilter(
        request.GET, queryset=permissions.visible_kit(request.user).select_related("donor")
    )
    table = KitTable(kit_filter.qs)
    paging.configure(request, table, per_page=50)
    table.places = kit_queries.whereabouts(row.record.pk for row in table.page.object_list)
    context = {
        "filter": kit_filter,
        "table": table,
        "can_manage": permissions.can_manage_kit(request.user),
    }
    return render(request, "events/kit_list.html", context)


@login_required
def kit_edit(request, pk=None):
    if not permissions.can_manage_kit(request.user):
        raise PermissionDenied("Only planners and admins may change the kit register.")
    item = permissions.visible_kit(request.user).filter(pk=pk).first() if pk else None
    if pk and item is None:
        raise Http404("No such kit item.")
    form = KitItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            saved = kit_item_save(item=form.save(commit=False))
        except (ValidationError, ConflictError) as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"{saved} saved.")
            return redirect("kit_list")
    return render(request, "events/kit_form.html", {"form": form, "item": item})


@login_required
def kit_availability(request):
    permissions.require_role(request.user)
    form = WindowForm(request.GET or None)
    rows = None
    if form.is_valid():
        rows = conflicts.kit_availability(
            permissions.visible_kit(request.user).select_related("donor"),
            form.cleaned_data["starts_at"],
            form.cleaned_data["ends_at"],
        )
    return render(request, "events/kit_availability.html", {"form": form, "rows": rows})
