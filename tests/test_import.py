"""Importing officers and kit: upload → dry run → confirm; re-importing changes nothing; a
blank optional cell or a missing optional column leaves what is stored; bad files are refused
with a clear message and change nothing; admins import officers, planners and admins kit."""

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.urls import reverse
from openpyxl import Workbook

from events import imports
from events.models import KitItem, Officer
from events.services.imports import kit_import, officer_import

from .factories import make_kit, make_officer

OFFICER_HEADER = [
    "shoulder_number",
    "name",
    "rank",
    "team",
    "email",
    "phone",
    "qualifications",
    "active",
]
KIT_HEADER = [
    "name",
    "asset_tag",
    "category",
    "condition",
    "consumable",
    "quantity",
    "provenance",
    "storage_location",
]
OFFICERS = [
    OFFICER_HEADER,
    ["R101", "Siân Llewelyn", "Sergeant", "ROST", "sian@example.police.uk", "07700 900101",
     "towing; tractor-driving", "yes"],
    ["R102", "Tom Baines", "PCSO", "Harpenden NPT", "", "", "", ""],
    ["R103", "Priya Shah", "pc", "", "priya@example.police.uk", "", "first-aid", "no"],
]  # fmt: skip
KIT = [
    KIT_HEADER,
    ["Mini police tractor 'Bobby'", "MPT-01", "Mini police tractor", "ready", "no", "1",
     "Built from recycled parts", "Redbourn depot"],
    ["Liveried tractor", "TRC-01", "tractor", "Needs repair", "", "",
     "Donated by a machinery firm", ""],
    ["Rural crime leaflets", "", "leaflets", "ready", "yes", "500", "", "Harpenden station"],
]  # fmt: skip


def csv_bytes(rows, delimiter=",") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return buffer.getvalue().encode()


def xlsx_bytes(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, kind, content: bytes, name="register.csv"):
    return client.post(
        reverse("import_upload", args=[kind]), {"file": SimpleUploadedFile(name, content)}
    )


def confirm(client, kind, dry_run):
    return client.post(
        reverse("import_confirm", args=[kind]), {"token": dry_run.context["token"]}, follow=True
    )


def register() -> tuple:
    """Everything an import could change, to show that nothing did."""
    return (
        list(Officer.objects.order_by("pk").values()),
        list(Officer.qualifications.through.objects.order_by("pk").values()),
        list(KitItem.objects.order_by("pk").values()),
    )


def plan_of(response) -> dict[str, list]:
    plan = response.context["plan"]
    return {
        "create": [row.key for row in plan.creates],
        "update": [row.key for row in plan.updates],
        "unchanged": [row.key for row in plan.unchanged],
        "error": [row.key for row in plan.errors],
    }


@pytest.fixture
def teams(team, other_team):
    return team, other_team


@pytest.fixture
def signed_in_planner(client, planner):
    client.force_login(planner)
    return planner


@pytest.fixture
def signed_in_admin(client, admin_user):
    client.force_login(admin_user)
    return admin_user


# --- The journey -------------------------------------------------------------------------


def test_the_dry_run_shows_creates_updates_and_unchanged_and_saves_nothing(
    client, signed_in_admin, teams
):
    make_officer(number="R102", name="Tom Baines")  # a PC, no team: will be updated
    before = register()
    response = upload(client, "officers", csv_bytes(OFFICERS))
    assert response.status_code == 200
    assert plan_of(response) == {
        "create": ["R101", "R103"],
        "update": ["R102"],
        "unchanged": [],
        "error": [],
    }
    html = response.content.decode()
    assert "rank: PC → PCSO" in html
    assert "team: (blank) → Harpenden NPT" in html
    assert "Sergeant, Rural Operational Support Team" in html
    assert register() == before


def test_confirming_imports_and_reimporting_changes_nothing(client, signed_in_admin, teams):
    dry_run = upload(client, "officers", csv_bytes(OFFICERS))
    done = confirm(client, "officers", dry_run)
    assert "Imported officers from register.csv: 3 created, 0 updated, 0 unchanged." in (
        done.content.decode()
    )
    sian = Officer.objects.get(shoulder_number="R101")
    assert (sian.name, sian.rank, sian.team.short_name, sian.active) == (
        "Siân Llewelyn",
        "sergeant",
        "ROST",
        True,
    )
    assert sorted(sian.qualifications.values_list("slug", flat=True)) == [
        "towing",
        "tractor-driving",
    ]
    assert Officer.objects.get(shoulder_number="R103").active is False
    after_first = register()

    again = upload(client, "officers", csv_bytes(OFFICERS))
    assert plan_of(again)["unchanged"] == ["R101", "R102", "R103"]
    assert "Nothing to change" in again.content.decode()
    assert "import_confirm" not in again.content.decode()
    # Replaying the first confirm does nothing either: its dry run is used up.
    replay = client.post(
        reverse("import_confirm", args=["officers"]),
        {"token": dry_run.context["token"]},
        follow=True,
    )
    assert "That dry run has expired" in replay.content.decode()
    assert register() == after_first


def test_an_xlsx_file_imports_the_same_as_the_csv(client, signed_in_admin, teams):
    rows = [list(r) for r in OFFICERS]
    rows[2][0] = 4242  # Excel turns a numeric shoulder number into a number
    dry_run = upload(client, "officers", xlsx_bytes(rows), name="officers.xlsx")
    assert plan_of(dry_run)["create"] == ["R101", "4242", "R103"]
    confirm(client, "officers", dry_run)
    assert Officer.objects.filter(shoulder_number="4242").exists()
    assert plan_of(upload(client, "officers", xlsx_bytes(rows), name="o.xlsx"))["unchanged"] == [
        "R101",
        "4242",
        "R103",
    ]


def test_kit_imports_by_asset_tag_and_consumables_by_name(client, signed_in_planner):
    make_kit(name="Old name", tag="MPT-01", category="mini_tractor")
    make_kit(name="Rural crime leaflets", category="leaflets", consumable=True, quantity=200)
    dry_run = upload(client, "kit", csv_bytes(KIT))
    assert plan_of(dry_run) == {
        "create": ["TRC-01"],
        "update": ["MPT-01", "Rural crime leaflets"],
        "unchanged": [],
        "error": [],
    }
    html = dry_run.content.decode()
    assert "name: Old name → Mini police tractor &#x27;Bobby&#x27;" in html
    assert "quantity: 200 → 500" in html
    confirm(client, "kit", dry_run)
    assert KitItem.objects.count() == 3
    tractor = KitItem.objects.get(asset_tag="TRC-01")
    assert (tractor.category, tractor.condition, tractor.consumable, tractor.quantity) == (
        "tractor",
        "needs_repair",
        False,
        1,
    )
    leaflets = KitItem.objects.get(name="Rural crime leaflets")
    assert (leaflets.quantity, leaflets.asset_tag, leaflets.storage_location) == (
        500,
        None,
        "Harpenden station",
    )
    before = register()
    again = upload(client, "kit", xlsx_bytes(KIT), name="kit.xlsx")
    assert plan_of(again)["unchanged"] == ["MPT-01", "TRC-01", "Rural crime leaflets"]
    assert register() == before


def test_a_semicolon_separated_windows_csv_with_a_bom_is_read(client, signed_in_admin, teams):
    content = "\ufeff".encode() + csv_bytes(OFFICERS, delimiter=";")
    assert plan_of(upload(client, "officers", content))["create"] == ["R101", "R102", "R103"]
    windows = csv_bytes(OFFICERS).decode().encode("cp1252")  # "Siân" in Windows-1252
    response = upload(client, "officers", windows)
    assert response.context["plan"].creates[0].name == "Siân Llewelyn"


# --- Blank cells and missing columns ------------------------------------------------------


def test_a_blank_optional_cell_leaves_the_stored_value_unchanged(client, signed_in_admin, teams):
    confirm(client, "officers", upload(client, "officers", csv_bytes(OFFICERS)))
    confirm(client, "kit", upload(client, "kit", csv_bytes(KIT)))
    before = register()
    officers = [
        OFFICER_HEADER,
        ["R101", "Siân Llewelyn", "Sergeant", "", "", "", "", ""],
        ["R103", "Priya Shah", "PC", "", "", "", "", ""],  # inactive stays inactive
    ]
    again = upload(client, "officers", csv_bytes(officers))
    assert plan_of(again)["unchanged"] == ["R101", "R103"]
    kit = [
        KIT_HEADER,
        ["Mini police tractor 'Bobby'", "MPT-01", "mini_tractor", "ready", "", "", "", ""],
        ["Rural crime leaflets", "", "leaflets", "ready", "yes", "", "", ""],
    ]
    assert plan_of(upload(client, "kit", csv_bytes(kit)))["unchanged"] == [
        "MPT-01",
        "Rural crime leaflets",
    ]
    assert register() == before
    sian = Officer.objects.get(shoulder_number="R101")
    assert (sian.email, sian.phone, sian.team.short_name) == (
        "sian@example.police.uk",
        "07700 900101",
        "ROST",
    )
    assert KitItem.objects.get(name="Rural crime leaflets").quantity == 500


def test_a_given_cell_still_changes_the_stored_value(client, signed_in_admin, teams):
    confirm(client, "officers", upload(client, "officers", csv_bytes(OFFICERS)))
    rows = [OFFICER_HEADER, ["R101", "Siân Llewelyn", "Sergeant", "", "", "", "first-aid", "no"]]
    dry_run = upload(client, "officers", csv_bytes(rows))
    assert plan_of(dry_run)["update"] == ["R101"]
    assert dry_run.context["plan"].updates[0].changes == [
        "active: yes → no",
        "qualifications: towing; tractor-driving → first-aid",
    ]
    confirm(client, "officers", dry_run)
    sian = Officer.objects.get(shoulder_number="R101")
    assert not sian.active and sian.email == "sian@example.police.uk"
    assert list(sian.qualifications.values_list("slug", flat=True)) == ["first-aid"]


def test_a_file_may_leave_out_the_optional_columns(client, signed_in_admin, teams):
    confirm(client, "officers", upload(client, "officers", csv_bytes(OFFICERS)))
    before = register()
    short = [
        ["shoulder_number", "name", "rank"],
        ["R101", "Siân Llewelyn", "Sergeant"],
        ["R104", "Dan Okafor", "PCSO"],
    ]
    dry_run = upload(client, "officers", csv_bytes(short))
    assert plan_of(dry_run) == {
        "create": ["R104"],
        "update": [],
        "unchanged": ["R101"],
        "error": [],
    }
    confirm(client, "officers", dry_run)
    dan = Officer.objects.get(shoulder_number="R104")
    assert (dan.rank, dan.team, dan.active, dan.email) == ("pcso", None, True, "")
    assert [row for row in register()[0] if row["shoulder_number"] != "R104"] == before[0]
    kit = [["name", "asset_tag", "category", "condition"], ["Gazebo", "GZB-01", "gazebo", "ready"]]
    confirm(client, "kit", upload(client, "kit", csv_bytes(kit)))
    assert KitItem.objects.get(asset_tag="GZB-01").quantity == 1


def test_a_required_column_cannot_be_left_out(client, signed_in_admin):
    response = upload(client, "officers", csv_bytes([["shoulder_number", "name"], ["R1", "A"]]))
    assert response.status_code == 400
    assert "missing columns: rank" in response.content.decode()


# --- Rows with errors ----------------------------------------------------------------------


def test_rows_with_errors_are_listed_with_reasons_and_block_the_import(
    client, signed_in_admin, teams
):
    rows = [
        OFFICER_HEADER,
        ["R201", "Good Row", "PC", "ROST", "", "", "", "yes"],
        ["R202", "Bad Rank", "Constable", "", "", "", "", ""],
        ["R203", "Bad Team", "PC", "Thames Valley", "", "", "", ""],
        ["R204", "Bad Email", "PC", "", "not-an-email", "", "", ""],
        ["R205", "Bad Flag", "PC", "", "", "", "", "maybe"],
        ["R206", "Bad Qualification", "PC", "", "", "", "towing; juggling", ""],
        ["R201", "Same Number Twice", "PC", "", "", "", "", ""],
        ["", "No Number", "PC", "", "", "", "", ""],
    ]
    before = register()
    response = upload(client, "officers", csv_bytes(rows))
    assert plan_of(response)["error"] == ["R202", "R203", "R204", "R205", "R206", "R201", ""]
    reasons = {row.line: row.errors for row in response.context["plan"].errors}
    assert "“Constable” is not one of PC, PCSO" in reasons[3][0]
    assert reasons[4] == ["team: there is no team called “Thames Valley”."]
    assert reasons[5] == ["email: Enter a valid email address."]
    assert reasons[6] == ["active: “maybe” is not yes or no."]
    assert reasons[7] == ["qualifications: unknown juggling."]
    assert reasons[8] == ["shoulder_number: R201 is also on row 2."]
    assert "shoulder_number: give the officer's shoulder number." in reasons[9]
    html = response.content.decode()
    assert "Rows with errors" in html and "Nothing will be imported" in html
    assert "import_confirm" not in html and 'name="token"' not in html
    assert register() == before


def test_wrong_types_in_kit_rows_are_errors(client, signed_in_planner):
    rows = [
        KIT_HEADER,
        ["Leaflets", "", "leaflets", "ready", "yes", "lots", "", ""],
        ["Gazebo", "GZB-01", "gazebo", "ready", "no", "2.5", "", ""],
        ["Boards", "DSP-01", "display", "ready", "no", "3", "", ""],
        ["Trailer", "", "trailer", "ready", "no", "1", "", ""],
        ["Mystery", "MYS-01", "spaceship", "broken", "no", "", "", ""],
        ["Stickers", "", "other", "ready", "yes", "", "", ""],
    ]
    response = upload(client, "kit", csv_bytes(rows))
    reasons = {row.line: row.errors for row in response.context["plan"].errors}
    assert reasons[2] == ["quantity: “lots” is not a whole number."]
    assert reasons[3] == ["quantity: “2.5” is not a whole number."]
    assert reasons[4] == ["quantity: a unique item (not consumable) has a quantity of 1."]
    assert reasons[5][0].startswith("asset_tag: a unique item needs its asset tag")
    assert reasons[6][0].startswith("category: “spaceship” is not one of")
    assert reasons[6][1].startswith("condition: “broken” is not one of Ready")
    assert len(reasons[6]) == 2  # not also "category: This field cannot be blank."
    assert reasons[7] == ["quantity: give the stock held."]
    assert KitItem.objects.count() == 0


def test_the_service_saves_nothing_when_any_row_is_wrong(db, admin_user, team):
    rows = imports._rows(
        iter(
            [
                OFFICER_HEADER,
                ["R301", "Fine", "PC", "", "", "", "", ""],
                ["R302", "Broken", "General", "", "", "", "", ""],
            ]
        ),
        "officers",
    )
    with pytest.raises(ValidationError, match="Row 3: rank"):
        officer_import(rows=rows, user=admin_user)
    assert not Officer.objects.filter(shoulder_number="R301").exists()


def test_an_import_that_fails_half_way_saves_nothing(db, planner, monkeypatch):
    rows = imports._rows(iter([KIT_HEADER, *KIT[1:]]), "kit")
    original, saved = KitItem.save, []

    def save_then_clash(self, *args, **kwargs):
        if saved:  # as if another planner took this asset tag a moment ago
            raise IntegrityError("UNIQUE constraint failed: events_kititem.asset_tag")
        saved.append(self)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(KitItem, "save", save_then_clash)
    with pytest.raises(ValidationError, match="Someone changed the register"):
        kit_import(rows=rows, user=planner)
    assert saved and not KitItem.objects.exists()


def test_confirm_refuses_when_the_register_changed_since_the_dry_run(
    client, signed_in_admin, teams
):
    dry_run = upload(client, "officers", csv_bytes(OFFICERS))
    make_officer(number="R101", name="Someone Else Meanwhile")
    before = register()
    done = confirm(client, "officers", dry_run)
    assert "The register has changed since your dry run" in done.content.decode()
    assert register() == before


def test_the_service_is_idempotent(db, planner, teams):
    rows = imports._rows(iter([KIT_HEADER, *KIT[1:]]), "kit")
    first = kit_import(rows=rows, user=planner)
    assert (first.created, first.updated, first.unchanged) == (3, 0, 0)
    second = kit_import(rows=rows, user=planner)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 3)


# --- Bad files ---------------------------------------------------------------------------


def formula_workbook() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(KIT_HEADER)
    sheet.append(["Leaflets", "", "leaflets", "ready", "yes", "=200+300", "", ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def not_a_workbook_zip() -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    return buffer.getvalue()


BAD_FILES = {
    "wrong columns": (
        csv_bytes([["name", "asset", "category", "condition", "consumable", "quantity"]]),
        "missing columns: asset_tag; unknown columns: asset",
    ),
    "empty": (b"", "The file is empty."),
    "blank lines only": (b"\n\n  \n", "The file is empty."),
    "header only": (csv_bytes([KIT_HEADER]), "has its header row but no rows to import"),
    "an image": (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
        "not a spreadsheet we can read",
    ),
    "a PDF": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\x00", "not a spreadsheet we can read"),
    "prose": (b"Dear planner,\nplease find the kit attached.\n", "does not look like a kit file"),
    "an old xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "old Excel 97"),
    "a zip that is no workbook": (not_a_workbook_zip(), "not a spreadsheet we can read"),
    "an xlsx with a formula": (formula_workbook(), "Cell F2 holds a formula (=200+300)"),
    "a value under no heading": (
        csv_bytes([KIT_HEADER, ["A", "T-1", "other", "ready", "no", "1", "", "", "surprise"]]),
        "Row 2 has a value in column 9, which has no heading",
    ),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_a_bad_file_gets_a_clear_message_and_changes_nothing(client, signed_in_planner, case):
    make_kit()
    content, message = BAD_FILES[case]
    before = register()
    response = upload(
        client, "kit", content, name="kit.xlsx" if b"PK" in content[:2] else "kit.csv"
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html.replace("&#x27;", "'")
    assert "Nothing has been changed." in html
    assert "import:kit" not in client.session
    assert register() == before


def test_a_50_mb_file_is_refused_unread(client, signed_in_planner):
    before = register()
    big = b"name,asset_tag\n" + b"x" * (50 * 1024 * 1024)
    response = upload(client, "kit", big, name="huge.csv")
    assert response.status_code == 413
    assert "larger than 5 MB, so it was not read" in response.content.decode()
    assert register() == before


def test_a_file_just_over_the_limit_is_dropped_while_uploading(client, signed_in_planner):
    # Small enough to pass the Content-Length check; the upload handler drops it at 5 MB.
    content = csv_bytes([KIT_HEADER]) + b"x" * imports.MAX_BYTES
    response = upload(client, "kit", content, name="big.csv")
    assert response.status_code == 413
    assert "larger than 5 MB" in response.content.decode()


def test_no_file_at_all_is_asked_for(client, signed_in_planner):
    response = client.post(reverse("import_upload", args=["kit"]), {})
    assert response.status_code == 400
    assert "Choose a CSV or XLSX file" in response.content.decode()


def test_too_many_rows_are_refused(client, signed_in_planner, monkeypatch):
    monkeypatch.setattr(imports, "MAX_ROWS", 3)
    rows = [KIT_HEADER] + [
        [f"Item {n}", f"T-{n}", "other", "ready", "no", "1", "", ""] for n in range(4)
    ]
    response = upload(client, "kit", csv_bytes(rows))
    assert response.status_code == 400
    assert "more than 3 rows" in response.content.decode()


# --- Who may -----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["officer_user", "manager", "outsider"])
def test_officers_and_managers_may_not_import(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("import_index")).status_code == 403
    for kind in ["officers", "kit"]:
        before = register()
        assert upload(client, kind, csv_bytes(OFFICERS)).status_code == 403
        assert client.get(reverse("import_template", args=[kind])).status_code == 403
        response = client.post(reverse("import_confirm", args=[kind]), {"token": "x"})
        assert response.status_code == 403
        assert register() == before


def test_a_refused_user_cannot_confirm_someone_elses_kind_of_dry_run(client, planner, manager):
    # The dry run lives in the planner's own session; a manager signing in elsewhere is refused.
    client.force_login(manager)
    assert client.post(reverse("import_confirm", args=["kit"]), {"token": "x"}).status_code == 403


def test_admins_import_officers_and_kit(client, admin_user, teams):
    client.force_login(admin_user)
    page = client.get(reverse("import_index")).content.decode()
    assert "Import officers" in page and "Import kit" in page
    confirm(client, "officers", upload(client, "officers", csv_bytes(OFFICERS)))
    confirm(client, "kit", upload(client, "kit", csv_bytes(KIT)))
    assert Officer.objects.filter(shoulder_number__in=["R101", "R102", "R103"]).count() == 3
    assert KitItem.objects.count() == 3


def test_planners_import_kit_but_not_officers(client, planner, teams):
    client.force_login(planner)
    page = client.get(reverse("import_index"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Import kit" in html and "Import officers" not in html
    assert reverse("import_upload", args=["officers"]) not in html
    before = register()
    refused = upload(client, "officers", csv_bytes(OFFICERS))
    assert refused.status_code == 403
    assert "Only admins may import officers" in refused.content.decode()
    assert client.get(reverse("import_template", args=["officers"])).status_code == 403
    confirming = client.post(reverse("import_confirm", args=["officers"]), {"token": "x"})
    assert confirming.status_code == 403
    assert register() == before
    confirm(client, "kit", upload(client, "kit", csv_bytes(KIT)))
    assert KitItem.objects.count() == 3


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for url in [reverse("import_index"), reverse("import_upload", args=["kit"])]:
        response = client.post(url) if "kit" in url else client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_an_unknown_kind_is_404(client, signed_in_planner):
    assert upload(client, "topics", csv_bytes([["slug"]])).status_code == 404


def test_the_nav_offers_import_to_planners_only(client, planner, officer_user):
    client.force_login(planner)
    assert f'href="{reverse("import_index")}"' in client.get(reverse("home")).content.decode()
    client.force_login(officer_user)
    assert f'href="{reverse("import_index")}"' not in client.get(reverse("home")).content.decode()


def test_the_templates_download_with_the_columns(client, signed_in_admin):
    for kind, header in [("officers", OFFICER_HEADER), ("kit", KIT_HEADER)]:
        response = client.get(reverse("import_template", args=[kind]))
        assert response.status_code == 200
        assert response["Content-Disposition"] == f'attachment; filename="{kind}-template.csv"'
        assert next(csv.reader(io.StringIO(response.content.decode()))) == header


def test_the_confirm_form_carries_only_a_token(client, signed_in_admin, teams):
    dry_run = upload(client, "officers", csv_bytes(OFFICERS))
    html = dry_run.content.decode()
    form = html[html.index(f'action="{reverse("import_confirm", args=["officers"])}"') :]
    form = form[: form.index("</form>")]
    inputs = [part.split('"')[0] for part in form.split('name="')[1:]]
    assert inputs == ["csrfmiddlewaretoken", "token"]
    # A forged token imports nothing.
    forged = client.post(
        reverse("import_confirm", args=["officers"]), {"token": "forged"}, follow=True
    )
    assert "That dry run has expired" in forged.content.decode()
    assert not Officer.objects.filter(shoulder_number="R101").exists()
