"""One rule for typed-in text and dates (events/validators.py), whoever types it: the web
forms, the API and an import file refuse the same input with the same message, naming the
field; a vertical tab pasted from Word becomes a line break; and correcting an engagement
entry obeys the time rules that logging one does."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from events.models import EngagementLog, Event, KitItem

from .api_support import as_user, now_event
from .factories import assign, at
from .test_import import KIT_HEADER, csv_bytes

HIDDEN = (
    "Name contains a hidden control character (at position 5), usually left by copying from "
    "another program. Delete it, or type that part again."
)


def kit_form(name: str, **fields) -> dict:
    return {
        "name": name,
        "category": "gazebo",
        "asset_tag": "GZB-09",
        "condition": "ready",
        "quantity": 1,
        **fields,
    }


def web_kit_errors(client, planner, name: str) -> list[str]:
    client.force_login(planner)
    response = client.post(reverse("kit_create"), kit_form(name))
    assert response.status_code == 200
    return response.context["form"].errors.get("name", [])


def api_errors(response) -> dict[str, str]:
    assert response.status_code == 422, response.content
    return {error["field"]: error["message"] for error in response.json()["errors"]}


def import_kit(client, planner, *rows):
    client.force_login(planner)
    content = csv_bytes([KIT_HEADER, *rows])
    return client.post(
        reverse("import_upload", args=["kit"]), {"file": SimpleUploadedFile("kit.csv", content)}
    )


def import_errors(response) -> list[str]:
    assert response.status_code == 200
    return [error for row in response.context["plan"].errors for error in row.errors]


# --- Control characters ------------------------------------------------------------------


@pytest.mark.parametrize("char", ["\x07", "\x1b", "\x7f", "\x85"], ids=repr)
def test_a_control_character_is_refused_the_same_way_by_the_form_the_api_and_an_import(
    client, planner, char
):
    name = f"Gaze{char}bo"
    assert web_kit_errors(client, planner, name) == [HIDDEN]
    api = as_user(planner).post("/api/kit", {"name": name, "category": "gazebo"})
    assert api_errors(api) == {"name": HIDDEN}
    dry_run = import_kit(client, planner, [name, "GZB-09", "gazebo", "ready", "no", "1", "", ""])
    assert import_errors(dry_run) == [f"name: {HIDDEN}"]
    assert not KitItem.objects.exists()


def test_a_line_break_or_tab_in_a_one_line_field_is_refused_naming_the_field(client, planner):
    for text, message in [
        ("Gaze\nbo", "Name must be on one line: remove the line break (at position 5)."),
        ("Gaze\x0bbo", "Name must be on one line: remove the line break (at position 5)."),
        ("Gaze\tbo", "Name must not contain a tab (at position 5): use a space."),
    ]:
        assert web_kit_errors(client, planner, text) == [message]
        api = as_user(planner).post("/api/kit", {"name": text, "category": "gazebo"})
        assert api_errors(api) == {"name": message}
    assert not KitItem.objects.exists()


def test_a_vertical_tab_from_word_becomes_a_line_break_in_free_text(client, planner):
    pasted = "Donated by Smith Ltd\x0bBuilt from recycled parts"
    wanted = "Donated by Smith Ltd\nBuilt from recycled parts"
    client.force_login(planner)
    client.post(reverse("kit_create"), kit_form("Gazebo", provenance=pasted))
    api = as_user(planner).post(
        "/api/kit",
        {"name": "Boards", "asset_tag": "DSP-01", "category": "display", "provenance": pasted},
    )
    assert api.status_code == 201, api.content
    dry_run = import_kit(
        client, planner, ["Trailer", "TRL-01", "trailer", "ready", "no", "1", pasted, ""]
    )
    client.post(reverse("import_confirm", args=["kit"]), {"token": dry_run.context["token"]})
    assert sorted(KitItem.objects.values_list("asset_tag", "provenance")) == [
        ("DSP-01", wanted),
        ("GZB-09", wanted),
        ("TRL-01", wanted),
    ]


def test_tabs_and_line_breaks_stay_in_free_text(client, planner):
    notes = "Stand by the main ring\n\tpower from the organiser's van\r\nbring a long lead"
    client.force_login(planner)
    response = client.post(reverse("kit_create"), kit_form("Gazebo", provenance=notes))
    assert response.status_code == 302
    assert KitItem.objects.get().provenance == notes


# --- Dates -------------------------------------------------------------------------------


def event_form(day: str) -> dict:
    return {
        "title": "Kimpton Village Fete",
        "starts_at_0": day,
        "starts_at_1": "11:00",
        "ends_at_0": day,
        "ends_at_1": "16:00",
    }


def api_event(day: str) -> dict:
    return {
        "title": "Kimpton Village Fete",
        "starts_at": f"{day}T11:00:00+00:00",
        "ends_at": f"{day}T16:00:00+00:00",
    }


@pytest.mark.parametrize("year", [1, 1999, 2100, 9999])
def test_a_year_outside_2000_to_2099_is_refused_by_the_form_and_the_api(client, planner, year):
    day = f"{year:04d}-06-13"
    client.force_login(planner)
    page = client.post(reverse("event_create"), event_form(day))
    assert page.status_code == 200
    assert page.context["form"].errors["starts_at"] == [
        f"Starts must be in the years 2000 to 2099 (not {year})."
    ]
    api = as_user(planner).post("/api/events", api_event(day))
    assert api_errors(api)["starts_at"] == (
        f"Starts at must be in the years 2000 to 2099 (not {year})."
    )
    assert not Event.objects.exists()


@pytest.mark.parametrize("year", [1, 1999, 2100, 9999])
def test_a_year_outside_2000_to_2099_is_refused_in_the_figures_filters(client, planner, year):
    day = f"{year:04d}-12-31"
    client.force_login(planner)
    page = client.get(reverse("dashboard"), {"from": day})
    assert page.context["form"].errors["from"] == [
        f"From must be in the years 2000 to 2099 (not {year})."
    ]
    api = as_user(planner).get("/api/stats/summary", **{"from": day})
    assert api_errors(api)["from"] == f"From must be in the years 2000 to 2099 (not {year})."


@pytest.mark.parametrize("day", ["2000-01-01", "2099-12-31"])
def test_the_first_and_last_days_of_the_range_are_accepted(client, planner, day):
    client.force_login(planner)
    assert client.post(reverse("event_create"), event_form(day)).status_code == 302
    assert as_user(planner).post("/api/events", api_event(day)).status_code == 201
    assert Event.objects.count() == 2


# --- Correcting an entry keeps the rules of logging one ----------------------------------


def in_three_hours(event):
    return timezone.now() + dt.timedelta(hours=3)


def two_days_before(event):
    return event.starts_at - dt.timedelta(days=2)


@pytest.mark.parametrize(
    "moment,message",
    [
        (in_three_hours, "That time is in the future."),
        (two_days_before, "That time is before the event began."),
    ],
    ids=["in the future", "before the event"],
)
def test_correcting_an_entry_to_a_time_logging_refuses_is_refused_the_same_way(
    make_event, officer_user, moment, message
):
    event = now_event(make_event)
    assign(event, officer_user.officer)
    api = as_user(officer_user)
    entry = api.post(f"/api/events/{event.pk}/logs", {"visitors": 2}).json()
    stored = EngagementLog.objects.get().recorded_at
    when = moment(event).isoformat()
    logged = api.post(f"/api/events/{event.pk}/logs", {"visitors": 1, "recorded_at": when})
    corrected = api.patch(f"/api/logs/{entry['id']}", {"recorded_at": when})
    assert api_errors(logged) == api_errors(corrected) == {"recorded_at": message}
    assert EngagementLog.objects.get().recorded_at == stored


def test_correcting_an_entry_to_a_time_within_the_rules_is_saved(make_event, officer_user):
    event = now_event(make_event)
    assign(event, officer_user.officer)
    api = as_user(officer_user)
    entry = api.post(f"/api/events/{event.pk}/logs", {"visitors": 2}).json()
    earlier = event.starts_at + dt.timedelta(minutes=30)
    response = api.patch(f"/api/logs/{entry['id']}", {"recorded_at": earlier.isoformat()})
    assert response.status_code == 200, response.content
    assert EngagementLog.objects.get().recorded_at == earlier


# ---- the services hold every writer to the same rule (admin and demo included) ----------


def test_the_event_service_refuses_a_control_character_naming_the_field(make_event):
    from events.services.events import event_create, event_update

    with pytest.raises(ValidationError) as refused:
        event_create(
            user=None, title="Fete\x07", starts_at=at(2027, 7, 3, 9), ends_at=at(2027, 7, 3, 17)
        )
    assert refused.value.message_dict == {
        "title": [
            "Title contains a hidden control character (at position 5), usually left by "
            "copying from another program. Delete it, or type that part again."
        ]
    }
    event = make_event(title="Fete")
    with pytest.raises(ValidationError) as refused:
        event_update(event=event, description="Line one\x0bline two", location="Village\x1b")
    assert list(refused.value.message_dict) == ["location"]


def test_the_admin_refuses_a_control_character_in_an_event_title(client, admin_user, make_event):
    from .admin_support import change_form, refusals, save

    event = make_event(title="Fete")
    client.force_login(admin_user)
    data = change_form(client, event)
    data["title"] = ["Fete\x07"]
    response = save(client, event, data)

    assert response.status_code == 200
    assert any("Title contains a hidden control character" in r for r in refusals(response))
    event.refresh_from_db()
    assert event.title == "Fete"
