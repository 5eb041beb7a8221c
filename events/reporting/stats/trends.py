"""Topic trends for the Rural Strategy list, month by month beside the year before."""

import datetime as dt
from collections import defaultdict
from dataclasses import replace

from django.db.models import (
    Sum,
)

from ...models import (
    Topic,
    TopicList,
    TopicMention,
)
from .figures import month_bucket
from .filters import StatsFilter, add_months, month_starts


def strategy_list() -> TopicList | None:
    """The current Rural Strategy topic list (the newest active one by name), if any."""
    return (
        TopicList.objects.filter(active=True, name__istartswith="Rural Strategy")
        .order_by("-name")
        .first()
    )


def topic_trends(filters: StatsFilter, *, today: dt.date | None = None) -> dict:
    """Mentions per month of each Rural Strategy topic, beside the same months a year earlier.

    The months are the filter's period when it is bounded and at most 24 months long;
    otherwise the twelve months up to its end (or up to today).
    """
    end = filters.date_to or today or dt.date.today()
    start = filters.date_from
    if not start or start > end or len(month_starts(start, end)) > 24:
        start = add_months(end.replace(day=1), -11)
    this = replace(filters, date_from=start, date_to=end)
    last = this.year_earlier()
    months = month_starts(start, end)
    all_months = month_starts(last.date_from, end)
    offset = len(all_months) - len(months)
    topic_list = strategy_list()
    topics = Topic.objects.filter(topic_list=topic_list) if topic_list else Topic.objects.all()
    counts = (
        TopicMention.objects.filter(log__removed_at__isnull=True, topic__in=topics)
        .filter(this.q("log__event__") | last.q("log__event__"))
        .order_by()
        .values("topic_id", bucket=month_bucket("log__event__starts_at", all_months))
        .annotate(mentions=Sum("count"))
    )
    series = defaultdict(lambda: [0] * len(all_months))
    for row in counts:
        series[row["topic_id"]][row["bucket"]] += int(row["mentions"])
    rows = []
    for topic in topics.order_by("position", "name"):
        values = series[topic.pk]
        # Months a year earlier sit twelve places back (the two spans may overlap).
        last_year = [values[offset + i - 12] if offset + i >= 12 else 0 for i in range(len(months))]
        this_year = values[offset:]
        rows.append(
            {
                "topic": topic.slug,
                "name": topic.name,
                "months": this_year,
                "last_year": last_year,
                "total": sum(this_year),
                "total_last_year": sum(last_year),
            }
        )
    return {
        "list": topic_list.name if topic_list else "All topics",
        "months": [f"{month:%Y-%m}" for month in months],
        "topics": rows,
    }
