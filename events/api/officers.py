"""Officers: everyone with a role sees the list; contact details only where allowed."""

from django.http import Http404
from ninja import Router, Status
from ninja.pagination import paginate

from .. import permissions
from ..models import Officer, Qualification, Team
from ..services.officers import officer_save
from . import lookups
from .auth import Rule, signed_in
from .errors import GUARDED, responses
from .lists import LimitOffset
from .schemas import Id, OfficerIn, OfficerOut, OfficerPatch

router = Router(tags=["officers"], auth=signed_in())
OFFICER_MANAGERS = Rule(permissions.can_manage_officers, "Only admins may change officer records.")


def _officers(user):
    return (
        permissions.visible_officers(user).prefetch_related("qualifications").order_by("name", "id")
    )


def _get(user, officer_id) -> Officer:
    officer = _officers(user).filter(pk=officer_id).first()
    if officer is None:
        raise Http404("No such officer.")
    return officer


def _resolve(values: dict) -> dict:
    if "team" in values:
        values["team"] = lookups.one(Team, "team", values["team"], label="team")
    if "qualifications" in values:
        values["qualifications"] = lookups.many(
            Qualification,
            "qualifications",
            values["qualifications"],
            by="slug",
            label="qualification",
        )
    return values


@router.get("/officers", response=responses({200: list[OfficerOut]}, *GUARDED, 422))
@paginate(LimitOffset)
def officer_list(request):
    return _officers(request.auth)


@router.post(
    "/officers",
    auth=signed_in(OFFICER_MANAGERS),
    response=responses({201: OfficerOut}, *GUARDED, 422),
)
def officer_create(request, payload: OfficerIn):
    values = _resolve(payload.model_dump())
    qualifications = values.pop("qualifications")
    officer = officer_save(officer=Officer(**values), qualifications=qualifications)
    return Status(201, _get(request.auth, officer.pk))


@router.get("/officers/{officer_id}", response=responses({200: OfficerOut}, *GUARDED, 404, 422))
def officer_detail(request, officer_id: Id):
    return _get(request.auth, officer_id)


@router.patch(
    "/officers/{officer_id}",
    auth=signed_in(OFFICER_MANAGERS),
    response=responses({200: OfficerOut}, *GUARDED, 404, 422),
)
def officer_update(request, officer_id: Id, payload: OfficerPatch):
    officer = _get(request.auth, officer_id)
    values = _resolve(payload.model_dump(exclude_unset=True))
    qualifications = values.pop("qualifications", None)
    for name, value in values.items():
        setattr(officer, name, value)
    officer_save(officer=officer, qualifications=qualifications)
    return _get(request.auth, officer.pk)
