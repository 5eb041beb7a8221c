import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html

from .models import Event


class EventTable(tables.Table):
    title = tables.LinkColumn("event_detail", args=[tables.A("pk")], verbose_name="Event")
    starts_at = tables.Column(verbose_name="When")
    event_type = tables.Column(verbose_name="Type", order_by=("event_type__name",))
    team = tables.Column(verbose_name="Lead team", order_by=("team__name",))
    status = tables.Column()
    location = tables.Column(verbose_name="Where")
    officer_count = tables.Column(verbose_name="Officers", attrs={"td": {"class": "num"}})
    kit_count = tables.Column(verbose_name="Kit", attrs={"td": {"class": "num"}})

    class Meta:
        model = Event
        fields = (
            "title",
            "starts_at",
            "event_type",
            "team",
            "status",
            "location",
            "officer_count",
            "kit_count",
        )
        attrs = {"class": "table"}
        order_by = ("starts_at",)
        empty_text = "No events match these filters."

    def render_starts_at(self, record):
        start = timezone.localtime(record.starts_at)
        end = timezone.localtime(record.ends_at)
        if start.date() == end.date():
            return f"{start:%a %d %b %Y, %H:%M}–{end:%H:%M}"
        return f"{start:%a %d %b %Y %H:%M} – {end:%a %d %b %H:%M}"

    def render_status(self, record):
        return format_html(
            '<span class="tag tag-{}">{}</span>', record.status, record.get_status_display()
        )
