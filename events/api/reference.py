"""Reference lists: teams, topics, event types and partners."""

from ninja import Query, Router

from ..models import EventType, Partner, Team, Topic
from .auth import signed_in
from .errors import GUARDED, responses
from .lists import paginate
from .schemas import EventTypeOut, Page, Paging, PartnerOut, TeamOut, TopicOut

router = Router(tags=["reference"], auth=signed_in())


@router.get("/teams", response=responses({200: Page[TeamOut]}, *GUARDED, 422))
def team_list(request, paging: Query[Paging]):
    return paginate(Team.objects.order_by("name", "id"), paging)


@router.get("/topics", response=responses({200: Page[TopicOut]}, *GUARDED, 422))
def topic_list(request, paging: Query[Paging]):
    """Every topic, in its list's order; ``active`` is false for retired ones."""
    topics = Topic.objects.select_related("topic_list").order_by(
        "topic_list__name", "position", "name", "id"
    )
    return paginate(topics, paging)


@router.get("/event-types", response=responses({200: Page[EventTypeOut]}, *GUARDED, 422))
def event_type_list(request, paging: Query[Paging]):
    return paginate(EventType.objects.order_by("name", "id"), paging)


@router.get("/partners", response=responses({200: Page[PartnerOut]}, *GUARDED, 422))
def partner_list(request, paging: Query[Paging]):
    return paginate(Partner.objects.order_by("name", "id"), paging)
