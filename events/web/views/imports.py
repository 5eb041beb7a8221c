"""Importing officers, kit and areas from CSV or XLSX: upload → dry run → confirm → done.

Between the dry run and the confirm the parsed rows wait in the server-side session under a
random token; the confirm form carries only that token, never a path or the data itself.
"""

import secrets

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.crypto import constant_time_compare
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from ... import imports, permissions
from ...models import KitItem, Officer
from ...services.imports import area_import, kit_import, officer_import

# Who may import each register: the same permission as editing it by hand (DOMAIN.md).
KINDS = {
    "officers": {
        "label": "officers",
        "may": permissions.can_manage_officers,
        "refusal": "Only admins may import officers: officer records belong to admins.",
        "service": officer_import,
    },
    "kit": {
        "label": "kit",
        "may": permissions.can_manage_kit,
        "refusal": "Only planners and admins may import kit.",
        "service": kit_import,
    },
    "areas": {
        "label": "areas",
        "may": permissions.can_manage_reference_data,
        "refusal": "Only admins may import areas.",
        "service": area_import,
    },
}
# Room for the multipart framing and the other form fields around a file at the limit.
UPLOAD_SLACK = 64 * 1024
MB = imports.MAX_BYTES // 1024 // 1024
TOO_BIG = f"The file is larger than {MB} MB, so it was not read. Split it and import the parts."


def _labels(choices) -> str:
    return ", ".join(label for _value, label in choices)


COLUMN_HELP = {
    "officers": [
        ("shoulder_number", "Required. A known shoulder number updates that officer."),
        ("name", "Required."),
        ("rank", f"Required: {_labels(Officer.Rank.choices)}."),
        ("team", "Optional: the team's name or short name (e.g. ROST)."),
        ("email", "Optional."),
        ("phone", "Optional."),
        (
            "qualifications",
            "Optional: qualification codes separated by semicolons, e.g. towing; first-aid. "
            "They replace the officer's whole list.",
        ),
        ("active", "Optional: yes or no (a new officer is active unless it says no)."),
    ],
    "kit": [
        ("name", "Required. Consumables without an asset tag are matched by name."),
        ("asset_tag", "Required for unique items; a known tag updates that item."),
        ("category", f"Required: {_labels(KitItem.Category.choices)}."),
        ("condition", f"Required: {_labels(KitItem.Condition.choices)}."),
        ("consumable", "Optional: yes for stock such as leaflets, no for unique items."),
        ("quantity", "Optional: stock held for consumables (required for a new one)."),
        ("provenance", "Optional: donated by, built from recycled parts…"),
        ("storage_location", "Optional."),
    ],
    "areas": [
        (
            "code",
            "Required: the postcode district (outward code), e.g. AL3 or SG12. A known "
            "code gets the name given.",
        ),
        ("name", "Required: the places in the district, e.g. Redbourn, Markyate."),
    ],
}


class UploadForm(forms.Form):
    # Our reader says "The file is empty." itself, in the same words for CSV and XLSX.
    file = forms.FileField(allow_empty_file=True, label="Spreadsheet (CSV or XLSX)")


def _spec(user, kind: str) -> dict:
    permissions.require_role(user)
    spec = KINDS.get(kind)
    if spec is None:
        raise Http404("Nothing to import by that name.")
    if not spec["may"](user):
        raise PermissionDenied(spec["refusal"])
    return spec


def _session_key(kind: str) -> str:
    return f"import:{kind}"


def _index(request, *, error: tuple[str, str] | None = None, status: int = 200):
    kinds = [
        {"kind": kind, "label": spec["label"], "columns": COLUMN_HELP[kind]}
        for kind, spec in KINDS.items()
        if spec["may"](request.user)
    ]
    if not kinds:
        raise PermissionDenied(
            "Only planners and admins may import kit, and admins officers and areas."
        )
    context = {
        "kinds": kinds,
        "title": "Import " + " and ".join(k["label"] for k in kinds),
        "error_kind": error[0] if error else None,
        "error": error[1] if error else None,
        "max_mb": MB,
        "max_rows": imports.MAX_ROWS,
    }
    return render(request, "events/import_index.html", context, status=status)


@login_required
def index(request):
    permissions.require_role(request.user)
    return _index(request)


@login_required
def template(request, kind):
    _spec(request.user, kind)
    response = HttpResponse(imports.template_csv(kind), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{kind}-template.csv"'
    return response


@csrf_exempt  # checked by _dry_run, once the size limit is in place (see Django's docs on
@login_required  # "Modifying upload handlers on the fly")
def upload(request, kind):
    """Refuse an oversized file before reading it, then hand over to the dry run."""
    _spec(request.user, kind)  # officers and managers are refused before the body is read
    if request.method != "POST":
        return redirect("import_index")
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > imports.MAX_BYTES + UPLOAD_SLACK:
        return _index(request, error=(kind, TOO_BIG), status=413)
    # Without a Content-Length (or with a false one) the handler drops the file at the limit.
    limiter = imports.SizeLimitUploadHandler(request, limit=imports.MAX_BYTES)
    request.upload_handlers.insert(0, limiter)
    return _dry_run(request, kind, limiter)


@csrf_protect
def _dry_run(request, kind, limiter):
    spec = KINDS[kind]
    form = UploadForm(request.POST, request.FILES)
    if limiter.exceeded:
        return _index(request, error=(kind, TOO_BIG), status=413)
    if not form.is_valid():
        return _index(request, error=(kind, "Choose a CSV or XLSX file to upload."), status=400)
    upload = form.cleaned_data["file"]
    try:
        rows = imports.read_rows(upload, kind=kind)
    except imports.ImportFileError as error:
        return _index(request, error=(kind, f"{upload.name}: {error}"), status=400)
    plan = imports.plan_import(kind, rows)
    token = secrets.token_urlsafe(16)
    if plan.has_changes and not plan.errors:
        request.session[_session_key(kind)] = {
            "token": token,
            "rows": rows,
            "digest": plan.digest(),
            "filename": upload.name,
        }
    else:
        request.session.pop(_session_key(kind), None)
    shown = imports.SHOWN_ROWS
    context = {
        "kind": kind,
        "label": spec["label"],
        "filename": upload.name,
        "plan": plan,
        "token": token,
        "creates": plan.creates[:shown],
        "updates": plan.updates[:shown],
        "errors": plan.errors[:shown],
        "more": {
            name: max(0, len(rows) - shown)
            for name, rows in (
                ("creates", plan.creates),
                ("updates", plan.updates),
                ("errors", plan.errors),
            )
        },
    }
    return render(request, "events/import_preview.html", context)


@login_required
@require_POST
def confirm(request, kind):
    spec = _spec(request.user, kind)
    stash = request.session.get(_session_key(kind))
    if not stash or not constant_time_compare(stash["token"], request.POST.get("token", "")):
        messages.error(
            request,
            "That dry run has expired or a newer upload replaced it. Upload the file again.",
        )
        return redirect("import_index")
    del request.session[_session_key(kind)]
    try:
        result = spec["service"](
            rows=stash["rows"], user=request.user, expect_digest=stash["digest"]
        )
    except ValidationError as error:
        problems = error.messages
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        messages.error(request, f"Nothing was imported. {' '.join(problems[:5])}{more}")
        return redirect("import_index")
    messages.success(
        request,
        f"Imported {spec['label']} from {stash['filename']}: {result.created} created, "
        f"{result.updated} updated, {result.unchanged} unchanged.",
    )
    return redirect("import_index")
