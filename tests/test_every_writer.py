"""Every writer refuses the same clash in the same words: the web pages, the API and the admin
all go through the same services, so a planner reads the same reason whichever door they use,
and nothing is stored. (Imports write the officer and kit registers only, never shifts or
bookings, so none of these clashes can come in through an import.)"""

import pytest
from django.urls import reverse
from django.utils.html import escape

from events.models import Assignment, Event, KitBooking, Unavailability

from .admin_support import add_row, change_form, refusals, save, set_time
from .api_support import as_user
from .factories import assign, at, book, make_kit, make_officer


@pytest.fixture
def show(make_event):
    return make_event(
        title="Redbourn County Show", starts_at=at(2027, 7, 4, 9), ends_at=at(2027, 7, 4, 17)
    )


@pytest.fixture
def fete(make_event):
    return make_event(
        title="Kimpton Village Fete", starts_at=at(2027, 7, 4, 12), ends_at=at(2027, 7, 4, 15)
    )


@pytest.fixture
def pc(team):
    return make_officer(team=team, name="Siân Llewelyn")


@pytest.fixture
def writers(client, planner, admin_user):
    """The same planner's rights through each door: the web (planner), the API (planner's
    token) and the admin site (an admin, the only one who may use it)."""
    web = client
    web.force_login(planner)
    admin = type(client)()
    admin.force_login(admin_user)
    return web, as_user(planner), admin


def said_by_api(response, kind) -> list[str]:
    assert response.status_code == 409, response.content
    conflicts = response.json()["conflicts"]
    assert {c["kind"] for c in conflicts} == {kind}
    return [c["message"] for c in conflicts]


def said_by_web(response) -> list[str]:
    assert response.status_code == 200, response.status_code
    form = response.context["form"]
    said = [str(e) for errors in form.errors.values() for e in errors]
    page = response.content.decode()
    assert all(escape(message) in page for message in said)
    return said


def said_by_admin(response) -> list[str]:
    said = refusals(response)
    page = response.content.decode()
    assert all(escape(message) in page for message in said)
    return said


def test_a_tractor_booked_twice_is_refused_in_the_same_words_by_every_writer(writers, show, fete):
    web, api, admin = writers
    bobby = make_kit()
    book(show, bobby)
    expected = [
        "Mini police tractor 'Bobby' (MPT-01) is already booked for “Redbourn County Show” "
        "Sun 4 Jul 2027 09:00–17:00."
    ]

    by_api = api.post(f"/api/events/{fete.pk}/kit-bookings", {"kit_item_id": bobby.pk})
    by_web = web.post(reverse("event_kit", args=[fete.pk]), {"item": bobby.pk, "quantity": 1})
    form = change_form(admin, fete)
    add_row(form, "kit_bookings", item=bobby.pk, quantity=1)
    by_admin = save(admin, fete, form)

    assert said_by_api(by_api, "kit_overlap") == expected
    assert said_by_web(by_web) == expected
    assert said_by_admin(by_admin) == expected
    assert not KitBooking.objects.filter(event=fete).exists()


def test_an_officer_on_leave_is_refused_in_the_same_words_by_every_writer(writers, fete, pc):
    web, api, admin = writers
    Unavailability.objects.create(
        officer=pc, kind="leave", starts_at=at(2027, 7, 1), ends_at=at(2027, 7, 8)
    )
    expected = ["Siân Llewelyn is on leave Thu 1 Jul 2027 00:00 – Thu 8 Jul 2027 00:00."]

    by_api = api.post(f"/api/events/{fete.pk}/assignments", {"officer_id": pc.pk})
    by_web = web.post(reverse("event_staff", args=[fete.pk]), {"officer": pc.pk, "role": "support"})
    form = change_form(admin, fete)
    add_row(form, "assignments", officer=pc.pk, role="support")
    by_admin = save(admin, fete, form)

    assert said_by_api(by_api, "officer_unavailable") == expected
    assert said_by_web(by_web) == expected
    assert said_by_admin(by_admin) == expected
    assert not Assignment.objects.filter(event=fete).exists()


def test_moving_an_event_onto_its_officers_other_shift_is_refused_in_the_same_words_by_every_writer(
    writers, make_event, show, pc, team
):
    web, api, admin = writers
    assign(show, pc)
    market = make_event(
        title="Harpenden Market", starts_at=at(2027, 7, 5, 9), ends_at=at(2027, 7, 5, 13)
    )
    assign(market, pc)
    new_start, new_end = at(2027, 7, 5, 9), at(2027, 7, 5, 17)
    expected = ["Siân Llewelyn is already on “Harpenden Market” Mon 5 Jul 2027 09:00–13:00."]

    by_api = api.patch(
        f"/api/events/{show.pk}",
        {"starts_at": new_start.isoformat(), "ends_at": new_end.isoformat()},
    )
    by_web = web.post(
        reverse("event_edit", args=[show.pk]),
        {
            "title": show.title,
            "team": team.pk,
            "starts_at_0": "2027-07-05",
            "starts_at_1": "09:00",
            "ends_at_0": "2027-07-05",
            "ends_at_1": "17:00",
            "confirm_move": "1",
        },
    )
    form = change_form(admin, show)
    set_time(form, "starts_at", new_start)
    set_time(form, "ends_at", new_end)
    by_admin = save(admin, show, form)

    assert said_by_api(by_api, "officer_overlap") == expected
    assert said_by_web(by_web) == expected
    assert said_by_admin(by_admin) == expected
    show.refresh_from_db()
    assert (show.starts_at, show.sequence) == (at(2027, 7, 4, 9), 0)
    assert Assignment.objects.get(event=show).starts_at == at(2027, 7, 4, 9)
    assert Event.objects.get(pk=market.pk).sequence == 0
