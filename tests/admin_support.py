"""Drive the admin as a browser would: read a change form's fields, change some, post it."""

from html.parser import HTMLParser

from django.urls import reverse


class _FormFields(HTMLParser):
    """The values a browser would submit from the form with ``form_id`` (no buttons)."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id, self.inside, self.values = form_id, False, {}
        self._select = self._textarea = None

    def _add(self, name, value):
        self.values.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside:
            return
        name = attrs.get("name")
        if not name or "__prefix__" in name:
            name = None
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "image", "file", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self._add(name, attrs.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self._add(self._select, attrs.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self._add(name, "")

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def admin_url(model, view: str, *args) -> str:
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def _form_values(client, model, url) -> dict[str, list[str]]:
    page = client.get(url)
    assert page.status_code == 200
    parser = _FormFields(f"{model._meta.model_name}_form")
    parser.feed(page.content.decode())
    return parser.values


def change_form(client, obj) -> dict[str, list[str]]:
    """The admin change form of ``obj`` as the browser would post it unchanged."""
    return _form_values(client, type(obj), admin_url(obj, "change", obj.pk))


def add_form(client, model) -> dict[str, list[str]]:
    """The admin's empty add form for ``model``."""
    return _form_values(client, model, admin_url(model, "add"))


def add_row(data: dict, prefix: str, **fields) -> int:
    """Fill in a new inline row (as "Add another" does) and return its index."""
    index = int(data[f"{prefix}-TOTAL_FORMS"][0])
    data[f"{prefix}-TOTAL_FORMS"] = [str(index + 1)]
    for name, value in fields.items():
        data[f"{prefix}-{index}-{name}"] = [str(value)]
    return index


def set_time(data: dict, name: str, when) -> None:
    """Type a London date and time into a split date/time field."""
    data[f"{name}_0"] = [f"{when:%Y-%m-%d}"]
    data[f"{name}_1"] = [f"{when:%H:%M}"]


def save(client, obj, data: dict):
    """Press Save on ``obj``'s change form (or, given a model class, on its add form)."""
    url = admin_url(obj, "add") if isinstance(obj, type) else admin_url(obj, "change", obj.pk)
    return client.post(url, {**data, "_save": "Save"})


def refusals(response) -> list[str]:
    """Every error the admin shows on a re-shown change form: the form's own, each inline
    table's and each row's, in page order."""
    assert response.status_code == 200, response.status_code
    form = response.context["adminform"].form
    found = [str(e) for errors in form.errors.values() for e in errors]
    for inline in response.context["inline_admin_formsets"]:
        found += [str(e) for e in inline.formset.non_form_errors()]
        for row in inline.formset.forms:
            if row.cleaned_data.get("DELETE"):
                continue  # a row being removed shows no fields, so no field errors
            found += [str(e) for errors in row.errors.values() for e in errors]
    return found
