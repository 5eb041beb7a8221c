"""The kit register and its availability for a window."""

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from .. import conflicts, permissions
from ..models import KitItem
from ..services.kit import kit_item_save
from .auth import KIT_MANAGERS, signed_in
from .errors import GUARDED, responses
from .lists import LimitOffset
from .schemas import Id, KitAvailabilityOut, KitIn, KitOut, KitPatch, Moment

router = Router(tags=["kit"], auth=signed_in())


def _kit(user):
    return permissions.visible_kit(user).order_by("category", "name", "id")


def _get(user, kit_id) -> KitItem:
    item = _kit(user).filter(pk=kit_id).first()
    if item is None:
        raise Http404("No such kit item.")
    return item


def _save(item: KitItem, values: dict) -> KitItem:
    for name, value in values.items():
        setattr(item, name, value)
    return kit_item_save(item=item)


@router.get("/kit", response=responses({200: list[KitOut]}, *GUARDED, 422))
@paginate(LimitOffset)
def kit_list(request):
    return _kit(request.auth)


class Window(Schema):
    starts_at: Moment
    ends_at: Moment


def _with_availability(items: list[KitItem], *, window: Window, **params) -> None:
    """A page of items with their state for the window (one query for the whole page)."""
    for state in conflicts.kit_availability(items, window.starts_at, window.ends_at):
        state.item.free_quantity = state.free_quantity
        state.item.available = state.available


@router.get("/kit/availability", response=responses({200: list[KitAvailabilityOut]}, *GUARDED, 422))
@paginate(LimitOffset, each_page=_with_availability)
def kit_availability(request, window: Query[Window]):
    """Every kit item, with whether it can be booked for the window and how many are free."""
    if window.ends_at <= window.starts_at:
        raise ValidationError({"ends_at": "The end must be after the start."})
    return _kit(request.auth)


@router.post("/kit", auth=signed_in(KIT_MANAGERS), response=responses({201: KitOut}, *GUARDED, 422))
def kit_create(request, payload: KitIn):
    return Status(201, _save(KitItem(), payload.model_dump()))


@router.get("/kit/{kit_id}", response=responses({200: KitOut}, *GUARDED, 404, 422))
def kit_detail(request, kit_id: Id):
    return _get(request.auth, kit_id)


@router.patch(
    "/kit/{kit_id}",
    auth=signed_in(KIT_MANAGERS),
    response=responses({200: KitOut}, *GUARDED, 404, 422),
)
def kit_update(request, kit_id: Id, payload: KitPatch):
    return _save(_get(request.auth, kit_id), payload.model_dump(exclude_unset=True))
