"""A planner staffs the county show and books kit in a real browser, and reads a clash."""

import pytest

from tests.factories import PASSWORD, at, book, make_kit, make_officer, make_user

from .conftest import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_the_planner_assigns_officers_books_tractors_and_reads_a_clash(
    live_server, page, screenshot, make_event, team
):
    make_user("planner", "Planner")
    show = make_event(
        title="Redbourn County Show", starts_at=at(2027, 7, 3, 8, 30), ends_at=at(2027, 7, 5, 18)
    )
    fete = make_event(
        title="Flamstead Village Fete", starts_at=at(2027, 7, 4, 11), ends_at=at(2027, 7, 4, 16)
    )
    make_officer(team=team, name="Siân Llewelyn", number="R1021")
    make_officer(team=team, name="Dafydd ap Rhys", number="R1007")
    make_kit(name="Mini police tractor 'Bobby'", tag="MPT-01")
    make_kit(name="Mini police tractor 'Penny'", tag="MPT-02")
    rusty = make_kit(name="Mini police tractor 'Rusty'", tag="MPT-03")
    book(fete, rusty)

    sign_in(page, live_server.url, "planner", PASSWORD)
    page.goto(f"{live_server.url}/events/{show.pk}/")
    page.get_by_role("link", name="Staff officers").click()
    for name, role in [("Siân Llewelyn", "lead"), ("Dafydd ap Rhys", "support")]:
        page.get_by_label("Officer", exact=True).select_option(
            label=f"PC {name} (R10{'21' if 'Siân' in name else '07'})"
        )
        page.get_by_label("Role").select_option(role)
        page.get_by_role("button", name="Assign").click()
        assert page.get_by_text(f"{name} assigned.").is_visible()

    page.get_by_role("link", name="Redbourn County Show").click()
    page.get_by_role("link", name="Book kit").click()
    for tag in ["MPT-01", "MPT-02"]:
        page.get_by_label("Kit", exact=True).select_option(
            label=f"Mini police tractor '{'Bobby' if tag == 'MPT-01' else 'Penny'}' ({tag})"
        )
        page.get_by_role("button", name="Book", exact=True).click()
        assert page.get_by_text("booked.").is_visible()

    page.get_by_label("Kit", exact=True).select_option(label="Mini police tractor 'Rusty' (MPT-03)")
    page.get_by_role("button", name="Book", exact=True).click()
    summary = page.get_by_test_id("error-summary")
    assert summary.is_visible()
    assert "already booked for “Flamstead Village Fete”" in summary.inner_text()
    screenshot("planner-kit-clash")

    assert show.assignments.count() == 2
    assert {b.item.asset_tag for b in show.kit_bookings.all()} == {"MPT-01", "MPT-02"}
