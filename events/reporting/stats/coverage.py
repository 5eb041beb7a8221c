"""Coverage: "where haven't we been?", area by area (postcode districts, ``Area``).

Each area's figures are those of the held events in the filter whose postcode lies in it
(:mod:`events.postcodes` says which area a postcode belongs to), summed from the same
per-event running totals as the summary, so an area's row equals
``summary(StatsFilter(area=code, …))``. Every area is listed, with zeros where no event was
held in the period. ``last_event`` is the last held event ever in the area (for the same
team, type and topic; the period does not limit it) and ``days_since`` the days from its
London date to today. An area is ``stale`` when nothing was held there in the last
``months`` months. Held events whose postcode is blank or not in the list are counted in
``outside``, so no event disappears silently.
"""

import calendar
import datetime as dt
from dataclasses import replace

from django.db.models import Max

from ...models import Area, Event
from ...postcodes import district_order, outward_code_of
from ...time import local_date, local_today
from .figures import SUMMED_FIGURES
from .filters import StatsFilter

DEFAULT_MONTHS = 6  # "nothing in the last six months" marks an area
MAX_MONTHS = 120
COUNTED = ("events", "visitors", "signups")


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` months earlier (the month's last day where it is shorter)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def _by_district(queryset, /, **figures) -> dict[str, dict]:
    rows = queryset.annotate(district=outward_code_of("postcode")).values("district")
    return {row.pop("district"): row for row in rows.annotate(**figures).order_by()}


def coverage(
    filters: StatsFilter, *, months: int = DEFAULT_MONTHS, today: dt.date | None = None
) -> dict:
    """Every area with its figures, longest gap first (never visited first of all), and the
    held events outside the list: ``{"items": [...], "outside": n, "months", "since"}``."""
    today = today or local_today()
    since = months_before(today, months)
    held = _by_district(
        Event.objects.filter(filters.q()).order_by(),
        **{name: SUMMED_FIGURES[name] for name in COUNTED},
    )
    ever = replace(filters, date_from=None, date_to=None)
    last = _by_district(Event.objects.filter(ever.q()).order_by(), last=Max("starts_at"))
    items = []
    for code, name in Area.objects.order_by("code").values_list("code", "name"):
        figures = held.pop(code, None) or dict.fromkeys(COUNTED, 0)
        moment = last.get(code, {}).get("last")
        day = local_date(moment) if moment else None
        items.append(
            {
                "area": code,
                "name": name,
                **{key: int(figures[key] or 0) for key in COUNTED},
                "last_event": day,
                "days_since": (today - day).days if day else None,
                "stale": day is None or day < since,
            }
        )
    items.sort(
        key=lambda row: (
            row["days_since"] is not None,
            -(row["days_since"] or 0),
            district_order(row["area"]),
        )
    )
    outside = sum(int(row["events"]) for row in held.values())
    return {"items": items, "outside": outside, "months": months, "since": since}
