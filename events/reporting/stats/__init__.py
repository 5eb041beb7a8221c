"""Every engagement figure is computed here, and only here.

The event page, the dashboard, the API, the PDF and the Excel report all call these
functions, so they agree to the unit. Aggregation happens in the database.

What is counted, for a :class:`StatsFilter`:

- **Events**: events whose start falls in the period, in Europe/London dates (``from`` and
  ``to`` both inclusive), that match the team (the event's lead team), event type (slug or
  id), postcode area (a prefix: ``AL`` is the area, ``AL3`` the district, so ``AL3`` does not
  match ``AL35 …``) and topic (events at which a current entry raised it), and that are
  **held** (:mod:`.held`: started, and neither a draft nor cancelled). Nothing about an
  event that is not held is counted: not its entries, not its planned hours.
- **Visitors, sign-ups, crime reports, entries, topic mentions**: the current engagement
  entries (``EngagementLog.objects.current()``: removed entries do not count) of those
  events, whenever they were recorded. So a month's figures are those of the events that
  *started* in it, and the by-month rows add up to the headline.
- **Officers**: distinct people with an unreleased assignment on those events (an officer
  on three shifts, or at three events, is one officer).
- **Officer-hours**: the windows of the events' assignments that were not released.
  ``officer_hours_planned`` sums the planned windows; ``officer_hours_actual`` sums what was
  recorded (``actual_minutes``, else ``actual_ends_at - actual_starts_at``) on the
  assignments that have a record; ``officer_hours`` (the headline, and the denominator of
  ``visitors_per_officer_hour``) takes the actual hours where recorded and the planned ones
  otherwise. Durations are differences of UTC instants taken by the database (whole seconds
  per assignment, :mod:`events.totals`), so the night the clocks go back is an hour longer.
- **Months** are Europe/London calendar months. ``by_month`` lists every month of the period
  (for an open or very long period: from the first to the last month with events).

For one event (:func:`event_summary`) the figures are what it adds to any summary: those of
its entries and hours once it is held, all zero before (and for a draft or cancelled event).

The package is split by subject: ``filters`` (the filter and its dates), ``figures`` (the
:class:`Figures` of a slice and the per-event totals), ``summary`` (headline, months,
teams, types, topics, top events: the dashboard), ``kit``, ``trends`` (Rural Strategy
topics month by month), ``coverage`` (figures per postcode district), ``listings`` (row
by row, for the reports) and ``one_event`` (debrief, the event list's figures, the capture
page's tally); ``held`` says which events count. Import from ``events.reporting.stats``;
the names below are the API.
"""

from .coverage import DEFAULT_MONTHS as COVERAGE_MONTHS
from .coverage import coverage
from .figures import Figures, hours, per_hour
from .filters import StatsFilter, add_months, month_starts
from .held import HELD_STATUSES, held_q, is_held
from .kit import kit_utilisation
from .listings import event_rows, log_entries, officer_rows, row_counts
from .one_event import (
    capture_totals,
    debrief,
    event_day_totals,
    event_figures,
    previous_occurrence,
)
from .stand import STAND_FIGURES, stand_figures_by_event
from .summary import dashboard, event_summary, summary
from .trends import strategy_list, topic_trends

__all__ = [
    "COVERAGE_MONTHS",
    "coverage",
    "row_counts",
    "HELD_STATUSES",
    "Figures",
    "StatsFilter",
    "add_months",
    "capture_totals",
    "dashboard",
    "debrief",
    "event_day_totals",
    "event_figures",
    "event_rows",
    "event_summary",
    "held_q",
    "hours",
    "is_held",
    "kit_utilisation",
    "log_entries",
    "month_starts",
    "officer_rows",
    "per_hour",
    "previous_occurrence",
    "STAND_FIGURES",
    "stand_figures_by_event",
    "strategy_list",
    "summary",
    "topic_trends",
]
