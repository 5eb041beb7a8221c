"""Reference lists: teams, topics, event types and partners."""

from ninja import Router
from ninja.pagination import paginate

from ..models import EventType, Partner, Team, Topic
from .auth import signed_in
from .errors import GUARDED, responses
from .lists import LimitOffset
from .schemas import EventTypeOut, PartnerOut, TeamOut, TopicOut

router = Router(tags=["reference"], auth=signed_in())


@router.get("/teams", response=responses({200: list[TeamOut]}, *GUARDED, 422))
@paginate(LimitOffset)
def team_list(request):
    return Team.objects.order_by("name", "id")


@router.get("/topics", response=responses({200: list[TopicOut]}, *GUARDED, 422))
@paginate(LimitOffset)
def topic_list(request):
    """Every topic, in its list's order; ``active`` is false for retired ones."""
    topics = Topic.objects.select_related("topic_list").order_by(
        "topic_list__name", "position", "name", "id"
    )
    return topics


@router.get("/event-types", response=responses({200: list[EventTypeOut]}, *GUARDED, 422))
@paginate(LimitOffset)
def event_type_list(request):
    return EventType.objects.order_by("name", "id")


@router.get("/partners", response=responses({200: list[PartnerOut]}, *GUARDED, 422))
@paginate(LimitOffset)
def partner_list(request):
    return Partner.objects.order_by("name", "id")
