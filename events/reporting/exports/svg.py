"""Bar charts as inline SVG, drawn on the server: no script, no CDN, nothing to download.

Every label is escaped by ``format_html``. Colours come from classes styled in
``static/css/dashboard.css`` (the CSP forbids inline styles), with presentation-attribute
fallbacks. Each chart is an image for assistive technology (``role="img"`` with a title);
the dashboard puts the same numbers in a table beside it.
"""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH = 640  # columns: drawn across the page
BARS_WIDTH = 360  # bars: about a phone's width, so their text is never shrunk on one
LABEL_CHARACTERS = 52  # a label above its bar spans the chart
FILL = "#1d70b8"


def nice_max(value: float) -> float:
    """A round number at or above the largest value, for the axis."""
    if value <= 0:
        return 1
    step = 10 ** (len(str(int(value))) - 1)
    for factor in (1, 2, 2.5, 5, 10):
        if value <= factor * step:
            return factor * step
    return value


def short(value: float) -> str:
    if value >= 10_000:
        return f"{value / 1000:,.0f}k"
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.1f}"


def svg(title: str, chart_id: str, width: float, height: float, body) -> SafeString:
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" width="100%" role="img" aria-labelledby="{}"'
        ' xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMinYMin meet">'
        '<title id="{}">{}</title>{}</svg>',
        width,
        height,
        f"{chart_id}-title",
        f"{chart_id}-title",
        title,
        body,
    )


def bars(labels, values, *, title: str, chart_id: str, label_width=None) -> SafeString:
    """Horizontal bars, one per label: the label written above its bar (so a long name is
    shown whole and a phone need not shrink it beside the bar), the value at the bar's end.
    ``label_width`` is accepted for old callers and ignored."""
    if not values:
        return empty(title, chart_id)
    row, top = 40, 4
    height = top + row * len(values) + 4
    plot = BARS_WIDTH - 64
    scale = plot / nice_max(max(values))
    items = []
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = top + index * row
        length = max(value * scale, 1 if value else 0)
        items.append(
            format_html(
                '<text class="chart-label" x="0" y="{}">{}</text>'
                '<rect class="chart-bar" fill="{}" x="0" y="{}" width="{}" height="{}">'
                "<title>{}: {}</title></rect>"
                '<text class="chart-value" x="{}" y="{}">{}</text>',
                y + 14,
                truncate(str(label), LABEL_CHARACTERS),
                FILL,
                y + 20,
                px(length),
                14,
                label,
                short(value),
                px(length + 5),
                y + 32,
                short(value),
            )
        )
    return svg(
        title, chart_id, BARS_WIDTH, height, format_html_join("", "{}", ((i,) for i in items))
    )


def columns(labels, values, *, title: str, chart_id: str, height=240) -> SafeString:
    """Vertical columns (e.g. months), with a scale on the left."""
    if not values:
        return empty(title, chart_id)
    left, bottom, top = 56, 34, 12
    plot_width, plot_height = WIDTH - left - 8, height - bottom - top
    top_value = nice_max(max(values))
    step = plot_width / len(values)
    every = max(1, round(len(values) / 12))  # at most about twelve labels
    items = []
    for tick in range(5):
        value = top_value * tick / 4
        y = top + plot_height - plot_height * tick / 4
        items.append(
            format_html(
                '<line class="chart-rule" stroke="#d8dadb"'
                ' x1="{}" y1="{}" x2="{}" y2="{}"/>'
                '<text class="chart-tick" x="{}" y="{}" text-anchor="end">{}</text>',
                left,
                px(y),
                WIDTH - 8,
                px(y),
                left - 6,
                px(y + 4),
                short(value),
            )
        )
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        bar_height = plot_height * value / top_value
        x = left + index * step
        items.append(
            format_html(
                '<rect class="chart-bar" fill="{}" x="{}" y="{}" width="{}"'
                ' height="{}"><title>{}: {}</title></rect>',
                FILL,
                px(x + step * 0.15),
                px(top + plot_height - bar_height),
                px(step * 0.7),
                px(bar_height),
                label,
                short(value),
            )
        )
        if index % every == 0:
            items.append(
                format_html(
                    '<text class="chart-label" x="{}" y="{}" text-anchor="middle">{}</text>',
                    px(x + step / 2),
                    height - bottom + 16,
                    label,
                )
            )
    return svg(title, chart_id, WIDTH, height, format_html_join("", "{}", ((i,) for i in items)))


def empty(title: str, chart_id: str) -> SafeString:
    return svg(
        title,
        chart_id,
        WIDTH,
        40,
        format_html('<text class="chart-label" x="0" y="24">{}</text>', "Nothing in this period."),
    )


def px(value: float) -> str:
    return f"{value:.1f}"


def truncate(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"
