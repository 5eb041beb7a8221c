"""Officers over the API: everyone with a role sees them; contact details only where allowed;
admins keep the register."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.models import Officer, Qualification

from .api_support import as_user
from .factories import make_officer


def by_name(response) -> dict:
    assert response.status_code == 200
    return {officer["name"]: officer for officer in response.json()["items"]}


@pytest.mark.parametrize("persona", ["planner", "manager", "admin_user"])
def test_planners_managers_and_admins_see_contact_details(request, persona, officer_user):
    listed = by_name(as_user(request.getfixturevalue(persona)).get("/api/officers"))
    assert listed["PC Officer"]["email"] == officer_user.officer.email
    assert listed["PC Officer"]["phone"] == "07700 900000"


def test_an_officer_sees_only_their_own_contact_details(officer_user, other_officer_user):
    api = as_user(officer_user)
    listed = by_name(api.get("/api/officers"))
    assert listed["PC Officer"]["email"] == officer_user.officer.email
    assert (listed["PC Other"]["email"], listed["PC Other"]["phone"]) == (None, None)
    other = api.get(f"/api/officers/{other_officer_user.officer.pk}").json()
    assert (other["email"], other["phone"]) == (None, None)
    assert other["shoulder_number"] == other_officer_user.officer.shoulder_number


def test_the_officer_list_has_the_contract_fields(planner, team):
    towing = Qualification.objects.get_or_create(slug="towing", defaults={"name": "Towing"})[0]
    officer = make_officer(team=team, name="PC Hughes")
    officer.qualifications.add(towing)
    item = by_name(as_user(planner).get("/api/officers"))["PC Hughes"]
    assert item == {
        "id": officer.pk,
        "name": "PC Hughes",
        "shoulder_number": officer.shoulder_number,
        "rank": "pc",
        "team": team.pk,
        "qualifications": ["towing"],
        "active": True,
        "email": officer.email,
        "phone": officer.phone,
    }


def test_the_officer_list_runs_in_constant_queries(planner, team):
    api = as_user(planner)
    api.get("/api/officers")
    towing = Qualification.objects.get_or_create(slug="towing", defaults={"name": "Towing"})[0]

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert api.get("/api/officers", limit=500).status_code == 200
        return len(ctx.captured_queries)

    make_officer(team=team).qualifications.add(towing)
    few = count()
    for _n in range(30):
        make_officer(team=team).qualifications.add(towing)
    assert count() == few


def test_an_admin_adds_an_officer(admin_user, team):
    response = as_user(admin_user).post(
        "/api/officers",
        {
            "name": "PCSO Evans",
            "shoulder_number": "7123",
            "rank": "pcso",
            "team": team.pk,
            "qualifications": ["towing"],
            "email": "evans@example.police.uk",
        },
    )
    assert response.status_code == 201, response.content
    officer = Officer.objects.get(shoulder_number="7123")
    assert (
        officer.rank,
        officer.team,
        list(officer.qualifications.values_list("slug", flat=True)),
    ) == ("pcso", team, ["towing"])


@pytest.mark.parametrize(
    "body,field",
    [
        ({"shoulder_number": "X1000"}, "shoulder_number"),  # taken
        ({"rank": "general"}, "rank"),
        ({"email": "not an address"}, "email"),
        ({"qualifications": ["juggling"]}, "qualifications"),
        ({"team": 999}, "team"),
        ({"user": 1}, "user"),
        ({"name": "Tab\there"}, "name"),
    ],
)
def test_a_bad_officer_is_refused_naming_the_field(admin_user, planner, body, field):
    response = as_user(admin_user).post(
        "/api/officers", {"name": "PC New", "shoulder_number": "N1", **body}
    )
    assert response.status_code == 422, response.content
    assert field in {error["field"] for error in response.json()["errors"]}


def test_an_admin_changes_an_officer(admin_user, officer_user):
    officer = officer_user.officer
    response = as_user(admin_user).patch(
        f"/api/officers/{officer.pk}", {"active": False, "phone": ""}
    )
    assert response.status_code == 200
    officer.refresh_from_db()
    assert (officer.active, officer.phone, officer.name) == (False, "", "PC Officer")
    assert as_user(admin_user).patch("/api/officers/999", {"active": False}).status_code == 404


@pytest.mark.parametrize("persona", ["planner", "manager", "officer_user"])
def test_only_admins_may_add_or_change_officers(request, persona, officer_user):
    officer = officer_user.officer
    api = as_user(request.getfixturevalue(persona))
    before = list(Officer.objects.order_by("pk").values())
    added = api.post("/api/officers", {"name": "PC New", "shoulder_number": "N1"})
    changed = api.patch(f"/api/officers/{officer.pk}", {"active": False})
    for response in (added, changed):
        assert response.status_code == 403
        assert response.json()["detail"] == "Only admins may change officer records."
    assert list(Officer.objects.order_by("pk").values()) == before
