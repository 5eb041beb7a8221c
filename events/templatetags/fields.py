"""How a form field is laid out (GOV.UK patterns): a group of inputs (date and time, a set of
checkboxes or radios) is a fieldset with a legend and a label on each part; a single input
has its label. ``anchor`` is the id the error summary links to: the field's first input."""

from django import forms, template

register = template.Library()


@register.filter
def layout(field) -> str:
    widget = field.field.widget
    if isinstance(widget, forms.MultiWidget):
        return "parts"
    if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
        return "choices"
    if isinstance(widget, forms.CheckboxInput):
        return "check"
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    return "single"


@register.filter
def anchor(field) -> str:
    """The id of the input the error summary's link moves to."""
    if layout(field) in ("parts", "choices"):
        return f"{field.auto_id}_0"
    return field.id_for_label


# The labels of a split date-and-time field's inputs, in order.
PART_LABELS = ("Date", "Time")


@register.filter
def part_label(index: int) -> str:
    return PART_LABELS[index] if index < len(PART_LABELS) else f"Part {index + 1}"


@register.filter
def parts(field) -> list[dict]:
    """The contexts of a multi-part field's inputs (type, name, value, attrs with the id)."""
    context = field.field.widget.get_context(
        field.html_name, field.value(), field.build_widget_attrs({"id": field.auto_id})
    )
    return context["widget"]["subwidgets"]


@register.filter
def active_filters(form) -> int:
    """How many of a filter form's fields the request set (the "Filter (2 active)" count)."""
    if form is None or not form.is_bound:
        return 0
    return sum(1 for name in form.fields if str(form.data.get(name, "")).strip())
