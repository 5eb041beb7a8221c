"""Forms laid out the GOV.UK way (issue 14, item 1): every input has a label that points at
it, grouped inputs are fieldsets with a legend, optional fields say so, and the error summary
links to inputs that exist."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def ids(html: str) -> set[str]:
    return set(re.findall(r'\sid="([^"]+)"', html))


def test_no_label_points_nowhere_and_date_and_time_are_a_labelled_group(client, planner):
    client.force_login(planner)
    html = client.get(reverse("event_create")).content.decode()
    assert 'for=""' not in html
    starts = html[html.index("<legend>Starts") - 200 : html.index('id="id_starts_at_1"') + 50]
    assert "<fieldset" in starts
    assert '<label for="id_starts_at_0">Date</label>' in starts
    assert '<label for="id_starts_at_1">Time</label>' in starts
    # Every label's "for" names an input on the page.
    assert set(re.findall(r'<label for="([^"]+)"', html)) <= ids(html)


def test_checkbox_groups_are_fieldsets_with_a_legend(client, planner):
    client.force_login(planner)
    html = client.get(reverse("event_create")).content.decode()
    for legend in ("Partners", "Planned focus topics"):
        at = html.index(f"<legend>{legend}")
        assert html.rfind("<fieldset", 0, at) > html.rfind("</fieldset>", 0, at)


def test_optional_fields_say_so_and_required_ones_do_not(client, planner):
    client.force_login(planner)
    html = client.get(reverse("event_create")).content.decode()
    assert re.search(
        r'<label for="id_description">Description <span class="optional">'
        r"\(optional\)</span></label>",
        html,
    )
    assert '<label for="id_title">Title</label>' in html
    # Filters are all optional: no "(optional)" on each of them.
    client.force_login(planner)
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert "(optional)" not in dashboard


def test_the_error_summary_links_to_inputs_that_exist(client, planner):
    client.force_login(planner)
    response = client.post(reverse("event_create"), {"title": ""})
    html = response.content.decode()
    summary = html[
        html.index('class="error-summary"') : html.index("</div>", html.index("error-summary"))
    ]
    targets = re.findall(r'href="#([^"]+)"', summary)
    assert "id_title" in targets and "id_starts_at_0" in targets
    assert set(targets) <= ids(html)
    assert 'tabindex="-1"' in summary
    assert '<script src="/static/js/forms.js" defer></script>' in html  # focuses it on load


def test_messages_say_what_to_do(client, planner):
    client.force_login(planner)
    html = client.post(
        reverse("event_create"),
        {"title": "Show", "starts_at_0": "2027-07-10", "starts_at_1": "", "ends_at_0": ""},
    ).content.decode()
    assert "Enter the start date and time" in html or "Enter the start time" in html
    assert "Enter the end date and time" in html
    assert "This field is required." not in html


def test_other_is_the_last_topic_everywhere(client, planner):
    from events.models import Topic

    assert list(Topic.objects.values_list("slug", flat=True))[-1] == "other"
    client.force_login(planner)
    html = client.get(reverse("event_create")).content.decode()
    legend = html.index("<legend>Planned focus topics")
    names = re.findall(
        r"</?input[^>]*> ?([^<]+)</label>", html[legend : html.index("</fieldset>", legend)]
    )
    assert names[-1].strip() == "Other", names


def test_other_is_the_last_chip_on_the_capture_page(make_event):
    from events.models import Topic
    from events.queries.events import capture_topics

    event = make_event(title="Redbourn County Show")
    event.focus_topics.set(Topic.objects.filter(slug__in=["other", "fly-tipping"]))
    chips = [topic.slug for topic in capture_topics(event)]
    assert chips[0] == "fly-tipping" and chips[-1] == "other"


def test_an_empty_field_says_what_to_enter(client, planner):
    client.force_login(planner)
    html = client.post(reverse("event_create"), {"title": ""}).content.decode()
    assert "Enter the title" in html and "Enter the start date and time" in html
    assert "This field is required." not in html
