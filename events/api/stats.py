"""Figures and reports: the summary, one event's figures, the engagement report, debriefs.

Every figure comes from events/stats.py (one number everywhere); these endpoints only
check who may see them and pass the filter on.
"""

from django.core.exceptions import PermissionDenied
from ninja import Query, Router
from ninja.errors import HttpError

from .. import permissions
from .auth import STATS_READERS, signed_in
from .errors import GUARDED, responses
from .schemas import Id, StatsFilters, SummaryOut

router = Router(tags=["statistics"], auth=signed_in())

NOT_YET = "Not available yet: the statistics module is still being written."


@router.get(
    "/stats/summary",
    auth=signed_in(STATS_READERS),
    response=responses({200: SummaryOut}, *GUARDED, 422, 501),
)
def stats_summary(request, filters: Query[StatsFilters]):
    raise HttpError(501, NOT_YET)


@router.get(
    "/events/{event_id}/stats",
    response=responses({200: SummaryOut}, *GUARDED, 404, 422, 501),
)
def event_stats(request, event_id: Id):
    event = permissions.get_event_for(request.auth, event_id)
    if not permissions.can_see_debrief(request.auth, event):
        raise PermissionDenied("Only officers on the event, planners, managers and admins.")
    raise HttpError(501, NOT_YET)
