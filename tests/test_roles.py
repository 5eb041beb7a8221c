"""Each role sees and may do exactly what shared/DOMAIN.md's table says."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from events import permissions
from events.models import Officer

from .api_support import now_event
from .factories import PASSWORD, assign, log, make_officer

PERSONAS = ["planner", "officer_user", "manager", "admin_user"]


def test_the_four_roles_exist_as_groups_after_migrating(db):
    names = set(Group.objects.values_list("name", flat=True))
    assert {"Planner", "Officer", "Manager", "Admin"} <= names
    planner = Group.objects.get(name="Planner")
    assert planner.permissions.filter(codename="add_kititem").exists()
    assert not planner.permissions.filter(codename="add_topic").exists()
    assert not Group.objects.get(name="Manager").permissions.filter(codename="add_event").exists()


def test_it_sends_anonymous_visitors_to_sign_in(client, make_event):
    event = make_event()
    for url in [reverse("home"), reverse("event_detail", args=[event.pk])]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_signing_in_and_out(client, planner):
    response = client.post(reverse("login"), {"username": "planner", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


def test_a_wrong_password_gets_a_clear_message(client, planner):
    response = client.post(reverse("login"), {"username": "planner", "password": "nope"})
    assert response.status_code == 200
    assert b"There is a problem" in response.content


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_role_sees_events_and_the_event_page(client, request, persona, make_event):
    user = request.getfixturevalue(persona)
    event = make_event(title="Redbourn County Show")
    client.force_login(user)
    home = client.get(reverse("home"), {"date_from": ""})  # the list of all events
    assert home.status_code == 200
    assert b"Redbourn County Show" in home.content
    assert client.get(reverse("event_detail", args=[event.pk])).status_code == 200


def test_a_user_without_a_role_is_refused_and_shown_nothing(client, outsider, make_event):
    event = make_event(title="Secret show")
    client.force_login(outsider)
    response = client.get(reverse("home"))
    assert response.status_code == 403
    assert b"Secret show" not in response.content
    assert client.get(reverse("event_detail", args=[event.pk])).status_code == 403


def test_the_admin_link_shows_only_for_admins(client, admin_user, manager):
    client.force_login(admin_user)
    assert b'href="/admin/"' in client.get(reverse("home")).content
    client.force_login(manager)
    assert b'href="/admin/"' not in client.get(reverse("home")).content


@pytest.mark.parametrize(
    ("persona", "plan", "kit", "stats", "reference"),
    [
        ("planner", True, True, True, False),
        ("officer_user", False, False, False, False),
        ("manager", False, False, True, False),
        ("admin_user", True, True, True, True),
        ("outsider", False, False, False, False),
    ],
)
def test_what_each_role_may_do(request, persona, plan, kit, stats, reference):
    user = request.getfixturevalue(persona)
    assert permissions.can_plan(user) is plan
    assert permissions.can_manage_kit(user) is kit
    assert permissions.can_view_stats(user) is stats
    assert permissions.can_manage_reference_data(user) is reference


def test_officers_log_only_on_events_they_are_assigned_to(
    officer_user, manager, planner, make_event
):
    mine, other = make_event(title="Mine"), make_event(title="Not mine")
    assign(mine, officer_user.officer)
    assert permissions.can_log_on(officer_user, mine)
    assert not permissions.can_log_on(officer_user, other)
    assert not permissions.can_log_on(manager, mine)
    assert permissions.can_log_on(planner, other)


def test_a_released_assignment_no_longer_lets_an_officer_log(officer_user, make_event):
    event = make_event()
    assign(event, officer_user.officer, released=True)
    assert not permissions.can_log_on(officer_user, event)


def test_officers_see_and_edit_only_their_own_entries(
    officer_user, other_officer_user, planner, manager, make_event
):
    event = now_event(make_event)
    mine = log(event, officer_user.officer, visitors=2)
    theirs = log(event, other_officer_user.officer, visitors=5)
    assert list(permissions.visible_logs(officer_user)) == [mine]
    assert permissions.can_edit_log(officer_user, mine)
    assert not permissions.can_edit_log(officer_user, theirs)
    assert permissions.can_edit_log(planner, theirs)
    assert not permissions.can_edit_log(manager, mine)
    assert set(permissions.visible_logs(manager)) == {mine, theirs}


def test_another_officers_entry_is_absent_not_forbidden(
    officer_user, other_officer_user, make_event
):
    from django.http import Http404

    theirs = log(now_event(make_event), other_officer_user.officer, visitors=5)
    with pytest.raises(Http404):
        permissions.get_log_for(officer_user, theirs.pk)


def test_contact_details_are_for_planners_managers_admins_and_yourself(
    planner, officer_user, manager, admin_user, outsider, team
):
    colleague = make_officer(team=team, name="PC Colleague")
    me = Officer.objects.get(user=officer_user)
    for user in [planner, manager, admin_user]:
        assert permissions.can_see_contact(user, colleague)
    assert permissions.can_see_contact(officer_user, me)
    assert not permissions.can_see_contact(officer_user, colleague)
    assert not permissions.can_see_contact(outsider, colleague)


def test_officers_get_debriefs_only_of_their_own_events(officer_user, manager, make_event):
    mine, other = make_event(title="Mine"), make_event(title="Other")
    assign(mine, officer_user.officer)
    assert permissions.can_see_debrief(officer_user, mine)
    assert not permissions.can_see_debrief(officer_user, other)
    assert permissions.can_see_debrief(manager, other)
