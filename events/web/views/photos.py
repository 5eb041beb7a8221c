"""The event album: upload (officers on the event, planners, admins); viewing for those who may
see the event's figures or are on it (404 for anyone else)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_POST

from ... import permissions
from ...models import EventPhoto
from ...photos import CONTENT_TYPES
from ...services.photos import photo_add
from ..forms import PhotoForm


@login_required
@require_POST
def photo_upload(request, pk):
    event = permissions.get_event_for(request.user, pk)
    if not permissions.can_log_on(request.user, event):
        raise Http404("No such event.")
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            photo_add(event=event, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Photo added to the album.")
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return redirect("event_detail", pk=pk)


@login_required
@require_GET
def photo_file(request, photo_id, size="full"):
    photo = EventPhoto.objects.filter(pk=photo_id).select_related("event").first()
    if photo is None:
        raise Http404("No such photo.")
    permissions.require_role(request.user)
    event = permissions.get_event_for(request.user, photo.event_id)
    if not permissions.can_see_photos(request.user, event):
        raise Http404("No such photo.")
    field = photo.thumbnail if size == "thumb" else photo.image
    ext = field.name.rsplit(".", 1)[-1]
    response = FileResponse(field.open("rb"), content_type=CONTENT_TYPES[ext])
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Disposition"] = "inline"
    return response
