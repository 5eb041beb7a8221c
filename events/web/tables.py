import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from ..models import Event, KitItem, Officer
from ..time import window

NUMBER = {"td": {"class": "num"}}


class Stacked(tables.Table):
    """A table that becomes a card per row on a phone (CSS ``.table-stack``): each cell
    carries its column's name, shown beside the value when the header row is hidden."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for column in self.columns:
            td = dict(column.column.attrs.get("td", {}))
            td["data-label"] = str(column.header)
            column.column.attrs = {**column.column.attrs, "td": td}


class EventTable(Stacked):
    title = tables.LinkColumn("event_detail", args=[tables.A("pk")], verbose_name="Event")
    starts_at = tables.Column(verbose_name="When")
    event_type = tables.Column(verbose_name="Type", order_by=("event_type__name",))
    team = tables.Column(verbose_name="Lead team", order_by=("team__name",))
    status = tables.Column()
    location = tables.Column(verbose_name="Where")
    officer_count = tables.Column(verbose_name="Officers", attrs={"td": {"class": "num"}})
    kit_count = tables.Column(verbose_name="Kit", attrs={"td": {"class": "num"}})
    # Figures of held events, handed over by the view for the page shown (``figures``).
    visitors = tables.Column(orderable=False, empty_values=(), attrs=NUMBER)
    officer_hours = tables.Column(
        verbose_name="Officer-hours", orderable=False, empty_values=(), attrs=NUMBER
    )

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
            "visitors",
            "officer_hours",
        )
        attrs = {"class": "table table-stack"}
        order_by = ("starts_at",)
        empty_text = "No events match these filters."

    def render_starts_at(self, record):
        return window(record.starts_at, record.ends_at)

    def render_status(self, record):
        return format_html(
            '<span class="tag tag-{}">{}</span>', record.status, record.get_status_display()
        )

    figures: dict[int, dict] = {}

    def render_visitors(self, record):
        figures = self.figures.get(record.pk)
        return f"{figures['visitors']:,}" if figures else "–"

    def render_officer_hours(self, record):
        figures = self.figures.get(record.pk)
        if not figures:
            return "–"
        hours = figures["officer_hours"]
        return f"{hours:,.0f}" if hours == int(hours) else f"{hours:,.2f}"


class KitTable(Stacked):
    name = tables.LinkColumn("kit_edit", args=[tables.A("pk")], verbose_name="Item")
    asset_tag = tables.Column(verbose_name="Tag", default="—", attrs={"td": {"class": "nowrap"}})
    category = tables.Column()
    condition = tables.Column()
    quantity = tables.Column(verbose_name="Stock", attrs=NUMBER)
    donor = tables.Column(verbose_name="Donor", order_by=("donor__name",), default="")
    storage_location = tables.Column(verbose_name="Stored at")
    whereabouts = tables.Column(
        verbose_name="Out now / next booked", orderable=False, empty_values=()
    )

    # Set by the view for the rows on the page (events.queries.kit.whereabouts).
    places: dict = {}

    class Meta:
        model = KitItem
        fields = (
            "name",
            "asset_tag",
            "category",
            "condition",
            "quantity",
            "donor",
            "storage_location",
        )
        attrs = {"class": "table table-stack"}
        order_by = ("category", "name")
        empty_text = "No kit matches these filters."

    def render_condition(self, record):
        return format_html(
            '<span class="tag tag-{}">{}</span>', record.condition, record.get_condition_display()
        )

    def render_quantity(self, value):
        return f"{value:,}"

    def render_whereabouts(self, record):
        place = self.places.get(record.pk, {})
        if place.get("out"):
            booking = place["out"]
            return format_html(
                '<span class="tag tag-out">Out now</span> <a href="{}">{}</a>',
                reverse("event_detail", args=[booking.event_id]),
                booking.event.title,
            )
        if place.get("next"):
            booking = place["next"]
            return format_html(
                'Next: <a href="{}">{}</a>, {}',
                reverse("event_detail", args=[booking.event_id]),
                booking.event.title,
                window(booking.starts_at, booking.ends_at),
            )
        return "Not booked"


class OfficerTable(Stacked):
    name = tables.Column()
    shoulder_number = tables.Column(verbose_name="Number")
    rank = tables.Column()
    team = tables.Column(order_by=("team__name",), default="")
    qualification_list = tables.Column(
        verbose_name="Qualifications", orderable=False, empty_values=()
    )
    active = tables.BooleanColumn()

    class Meta:
        model = Officer
        fields = ("name", "shoulder_number", "rank", "team", "qualification_list", "active")
        attrs = {"class": "table table-stack"}
        order_by = ("name",)
        empty_text = "No officers match these filters."

    def render_qualification_list(self, record):
        return ", ".join(q.name for q in record.qualifications.all())
