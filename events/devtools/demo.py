"""The demo force: people, kit and a year of outreach.

Events, shifts (by day on multi-day events) and kit bookings are made through the services,
so every rule applies to the demo as to a planner. Engagement entries are the documented bulk
path: thousands of rows, inserted in batches, each inside one of its officer's shifts (so in
daytime); the database triggers keep the running totals, and ``seed_demo`` checks them with
the recount before it finishes. Used by ``manage.py seed_demo``. Deterministic (seeded
random) so screenshots and benchmarks are repeatable; dates are relative to today so
"upcoming" stays upcoming.
"""

import datetime as dt
import random
import uuid

from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils import timezone

from .. import permissions
from ..models import (
    Area,
    Assignment,
    EngagementLog,
    Event,
    EventType,
    KitItem,
    Officer,
    Partner,
    Qualification,
    Team,
    Topic,
    TopicMention,
    Unavailability,
)
from ..services import ConflictError
from ..services.areas import area_save
from ..services.events import event_cancel, event_create
from ..services.kit import kit_book, kit_check_out, kit_return
from ..services.series import series_repeat
from ..services.staffing import assignment_add, assignment_add_each_day
from ..time import LONDON

DEMO_PASSWORD = "outreach-demo"
DEMO_USERS = [
    ("planner", permissions.PLANNER, "Sgt Rhiannon Hughes, ROST engagement coordinator"),
    ("officer", permissions.OFFICER, "PC Dafydd ap Rhys, Rural Operational Support Team"),
    ("manager", permissions.MANAGER, "Insp. Chloé Martin, rural and neighbourhood policing"),
    ("admin", permissions.ADMIN, "Site administrator"),
]
COUNTY_SHOW = "Redbourn County Show"

TEAMS = [
    ("Rural Operational Support Team", "ROST", "Hertfordshire (force-wide rural)"),
    ("Harpenden Neighbourhood Policing Team", "Harpenden NPT", "Harpenden and villages"),
    ("St Albans Neighbourhood Policing Team", "St Albans NPT", "St Albans city"),
    ("Dacorum Rural Neighbourhood Team", "Dacorum NPT", "Dacorum villages"),
    ("Hertsmere Neighbourhood Policing Team", "Hertsmere NPT", "Hertsmere"),
]
PARTNERS = [
    ("Redbourn Agricultural Society", Partner.Kind.SHOW_ORGANISER),
    ("Harpenden Agricultural Machinery Ltd", Partner.Kind.DONOR),
    ("NFU Mutual", Partner.Kind.AGENCY),
    ("Bedfordshire Police", Partner.Kind.FORCE),
    ("Crimestoppers", Partner.Kind.CHARITY),
    ("Herts Young Farmers", Partner.Kind.CHARITY),
    ("Trading Standards", Partner.Kind.AGENCY),
]
OFFICER_NAMES = [
    ("Rhiannon Hughes", "sergeant"),
    ("Dafydd ap Rhys", "pc"),
    ("Chloé Martin", "inspector"),
    ("Siân Llewelyn", "pc"),
    ("Ciarán Ó Súilleabháin", "pcso"),
    ("Zoë Brontë", "special"),
    ("Tom Ashworth", "pc"),
    ("Priya Natarajan", "pc"),
    ("Gareth Powell", "pcso"),
    ("Aoife Byrne", "pc"),
    ("Mark Oduya", "sergeant"),
    ("Bethan Morgan", "pcso"),
    ("Jamie Clarke", "pc"),
    ("Hannah Lewandowska", "special"),
    ("Owain Griffiths", "pc"),
    ("Ellie Whitfield", "staff"),
    ("Raj Mehta", "pc"),
    ("Nia Roberts", "volunteer"),
    ("Kevin Doyle", "pcso"),
    ("Sophie Turner", "pc"),
    ("Iwan Pritchard", "pc"),
    ("Fatima Rahman", "pcso"),
    ("Lewis Grant", "special"),
    ("Megan Ellis", "pc"),
    ("Stuart Bell", "chief_inspector"),
]
# Which topics come up more in which months: hare coursing after harvest, lambing-time
# livestock worrying, fly-tipping in the warm months.
SEASONAL = {
    "poaching-hare-coursing": {9: 4, 10: 5, 11: 5, 12: 4, 1: 4, 2: 3, 3: 2},
    "livestock-worrying": {3: 4, 4: 5, 5: 3},
    "fly-tipping": {4: 3, 5: 3, 6: 3, 7: 3, 8: 3},
    "fuel-theft": {11: 2, 12: 2, 1: 2},
    "equine-crime": {6: 2, 7: 2},
}
BASE_WEIGHT = {
    "farm-machinery-theft": 3,
    "fly-tipping": 2,
    "poaching-hare-coursing": 1,
    "livestock-worrying": 1,
    "wildlife-crime": 1,
    "equine-crime": 1,
    "fuel-theft": 1,
    "vulnerability-isolation": 1,
    "burglary": 2,
    "anti-social-behaviour": 2,
    "road-safety-speeding": 2,
    "fraud-scams": 2,
    "other": 1,
}
SMALL_EVENTS = [
    ("fete", "{village} Village Fete", 11, 5),
    ("market", "{village} Farmers' Market", 9, 5),
    ("school-visit", "{village} Primary School visit", 10, 2),
    ("farm-watch", "{village} Farm Watch meeting", 19, 2),
    ("street-briefing", "{village} street briefing", 14, 2),
    ("community-meeting", "{village} parish council surgery", 18, 2),
]
# The postcode districts of the Hertfordshire force area and their main places: what the
# coverage page lists (a force loads its own through the import page).
DISTRICTS = [
    ("AL1", "St Albans (city centre)"),
    ("AL2", "London Colney, Park Street, Bricket Wood, Chiswell Green"),
    ("AL3", "St Albans (north), Redbourn, Markyate, Flamstead"),
    ("AL4", "St Albans (east), Wheathampstead, Sandridge, Colney Heath"),
    ("AL5", "Harpenden"),
    ("AL6", "Welwyn, Tewin, Oaklands"),
    ("AL7", "Welwyn Garden City (east)"),
    ("AL8", "Welwyn Garden City (west), Lemsford"),
    ("AL9", "Hatfield (south), Brookmans Park, Welham Green"),
    ("AL10", "Hatfield"),
    ("SG1", "Stevenage (centre)"),
    ("SG2", "Stevenage (east), Walkern, Benington, Aston"),
    ("SG3", "Knebworth, Datchworth, Woolmer Green"),
    ("SG4", "Hitchin (east), Kimpton, Codicote, St Ippolyts"),
    ("SG5", "Hitchin (west), Pirton, Ickleford"),
    ("SG6", "Letchworth Garden City"),
    ("SG7", "Baldock, Ashwell"),
    ("SG8", "Royston, Therfield, Barkway"),
    ("SG9", "Buntingford, Cottered"),
    ("SG10", "Much Hadham"),
    ("SG11", "Puckeridge, Standon, Braughing"),
    ("SG12", "Ware, Wareside, Stanstead Abbotts"),
    ("SG13", "Hertford (south), Hertford Heath"),
    ("SG14", "Hertford (north), Bengeo, Watton-at-Stone"),
    ("WD3", "Rickmansworth, Chorleywood, Croxley Green"),
    ("WD4", "Kings Langley, Chipperfield, Hunton Bridge"),
    ("WD5", "Abbots Langley, Bedmond"),
    ("WD6", "Borehamwood, Elstree"),
    ("WD7", "Radlett, Shenley"),
    ("WD17", "Watford (centre)"),
    ("WD18", "Watford (west)"),
    ("WD19", "South Oxhey, Carpenders Park"),
    ("WD23", "Bushey"),
    ("WD24", "Watford (north)"),
    ("WD25", "Garston, Leavesden, Aldenham"),
    ("EN6", "Potters Bar, Cuffley, Northaw"),
    ("EN7", "Cheshunt (west), Goffs Oak"),
    ("EN8", "Cheshunt, Waltham Cross"),
    ("EN10", "Broxbourne, Wormley, Turnford"),
    ("EN11", "Hoddesdon"),
    ("HP1", "Hemel Hempstead (west)"),
    ("HP2", "Hemel Hempstead (east)"),
    ("HP3", "Hemel Hempstead (south), Bovingdon"),
    ("HP4", "Berkhamsted, Northchurch, Potten End"),
    ("HP23", "Tring, Aldbury, Wigginton"),
    ("CM21", "Sawbridgeworth"),
    ("CM23", "Bishop's Stortford"),
]
VILLAGES = [
    ("Wheathampstead", "AL4 8"),
    ("Markyate", "AL3 8"),
    ("Flamstead", "AL3 8"),
    ("Kimpton", "SG4 8"),
    ("Sandridge", "AL4 9"),
    ("Harpenden", "AL5 2"),
    ("Redbourn", "AL3 7"),
    ("Tring", "HP23 5"),
    ("Berkhamsted", "HP4 2"),
    ("Shenley", "WD7 9"),
    ("Aldbury", "HP23 5"),
    ("Kings Langley", "WD4 8"),
]


def local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


def demo_present() -> bool:
    return Event.objects.exists() or User.objects.filter(username="planner").exists()


class DemoBuilder:
    def __init__(self, *, today: dt.date | None = None, seed: int = 2024):
        self.rng = random.Random(seed)
        self.today = today or timezone.localdate()
        self.topics = {t.slug: t for t in Topic.objects.filter(active=True)}
        self.types = {t.slug: t for t in EventType.objects.all()}
        self.quals = {q.slug: q for q in Qualification.objects.all()}
        self.busy_officer: dict[int, set] = {}
        self.busy_kit: dict[int, set] = {}

    # -- people and kit -------------------------------------------------------------------
    def build_reference(self):
        for code, name in DISTRICTS:
            area_save(area=Area(code=code, name=name))
        self.teams = [Team.objects.create(name=n, short_name=s, area=a) for n, s, a in TEAMS]
        self.partners = {n: Partner.objects.create(name=n, kind=k, contact="") for n, k in PARTNERS}
        self.officers = []
        for i, (name, rank) in enumerate(OFFICER_NAMES):
            team = self.teams[0] if i < 10 else self.teams[1 + i % (len(self.teams) - 1)]
            first = name.split()[0].lower()
            officer = Officer.objects.create(
                name=name,
                shoulder_number=f"{'R' if team is self.teams[0] else 'N'}{1000 + i * 7}",
                rank=rank,
                team=team,
                email=f"{first}.{i}@herts.police.example",
                phone=f"07700 900{100 + i:03d}",
            )
            quals = [self.quals["first-aid"]]
            if i % 3 == 0:
                quals.append(self.quals["towing"])
            if i % 4 == 1:
                quals.append(self.quals["tractor-driving"])
            officer.qualifications.set(quals)
            self.officers.append(officer)
        # Some leave, so the clash rules have something to find.
        Unavailability.objects.create(
            officer=self.officers[6],
            kind=Unavailability.Kind.LEAVE,
            starts_at=local(self.today + dt.timedelta(days=8), 0),
            ends_at=local(self.today + dt.timedelta(days=16), 0),
            note="Annual leave",
        )
        Unavailability.objects.create(
            officer=self.officers[7],
            kind=Unavailability.Kind.TRAINING,
            starts_at=local(self.today + dt.timedelta(days=3), 8),
            ends_at=local(self.today + dt.timedelta(days=3), 17),
            note="Public order refresher",
        )
        for absence in Unavailability.objects.all():
            first, last = absence.starts_at.date(), absence.ends_at.date()
            busy = self.busy_officer.setdefault(absence.officer_id, set())
            busy.update(first + dt.timedelta(days=d) for d in range((last - first).days + 1))

    def build_users(self):
        links = {"planner": 0, "officer": 1, "manager": 2}
        for username, role, _ in DEMO_USERS:
            user = User.objects.create_user(
                username=username,
                password=DEMO_PASSWORD,
                is_staff=role == permissions.ADMIN,
                is_superuser=role == permissions.ADMIN,
            )
            user.groups.add(Group.objects.get_or_create(name=role)[0])
            if username in links:
                officer = self.officers[links[username]]
                officer.user = user
                officer.save(update_fields=["user"])
                user.first_name, _, user.last_name = officer.name.partition(" ")
                user.email = officer.email
                user.save()
        self.planner_user = User.objects.get(username="planner")

    def build_kit(self):
        donor = self.partners["Harpenden Agricultural Machinery Ltd"]
        k = KitItem.Category
        self.trailer = KitItem.objects.create(
            name="Flatbed plant trailer",
            asset_tag="TRL-01",
            category=k.TRAILER,
            storage_location="Hatfield garage",
        )
        self.tractor = KitItem.objects.create(
            name="Full-size police-liveried tractor",
            asset_tag="TRC-01",
            category=k.TRACTOR,
            provenance="Donated by an agricultural machinery dealer and decked out in police "
            "livery.",
            donor=donor,
            storage_location="Dealer's yard, Redbourn",
            requires_qualification=self.quals["towing"],
            requires_kit=self.trailer,
        )
        self.minis = [
            KitItem.objects.create(
                name=f"Mini police tractor '{nick}'",
                asset_tag=f"MPT-0{n}",
                category=k.MINI_TRACTOR,
                provenance="Built by the Rural Operational Support Team from recycled and "
                "donated parts.",
                donor=donor if n == 2 else None,
                storage_location="ROST store, Hatfield",
            )
            for n, nick in [(1, "Bobby"), (2, "Penny")]
        ]
        self.gazebos = [
            KitItem.objects.create(
                name=f"Police gazebo {n}",
                asset_tag=f"GZB-0{n}",
                category=k.GAZEBO,
                storage_location="ROST store, Hatfield",
            )
            for n in (1, 2)
        ]
        self.boards = KitItem.objects.create(
            name="Rural crime display boards", asset_tag="DSP-01", category=k.DISPLAY
        )
        self.marking = [
            KitItem.objects.create(
                name=f"Property-marking kit {n}",
                asset_tag=f"PMK-0{n}",
                category=k.PROPERTY_MARKING,
                condition=KitItem.Condition.NEEDS_REPAIR if n == 3 else KitItem.Condition.READY,
            )
            for n in (1, 2, 3)
        ]
        self.leaflets = KitItem.objects.create(
            name="Rural crime prevention leaflets",
            category=k.LEAFLETS,
            consumable=True,
            quantity=5000,
            storage_location="ROST store, Hatfield",
        )
        self.cards = KitItem.objects.create(
            name="Community messaging sign-up cards",
            category=k.LEAFLETS,
            consumable=True,
            quantity=2000,
        )

    # -- events ---------------------------------------------------------------------------
    def free_officers(self, day: dt.date, count: int, prefer=None) -> list[Officer]:
        pool = list(prefer or []) + self.rng.sample(self.officers, len(self.officers))
        chosen = []
        for officer in pool:
            if officer in chosen or day in self.busy_officer.setdefault(officer.pk, set()):
                continue
            chosen.append(officer)
            if len(chosen) == count:
                break
        return chosen

    def add_event(
        self,
        *,
        title,
        type_slug,
        team,
        start,
        end,
        status,
        location,
        postcode,
        officers,
        kit,
        partners=(),
        focus=(),
        expected=None,
        description="",
    ):
        # Events, staff and kit go through the services, as a planner's would: the clash
        # rules, shifts by day and the audit trail apply to the demo too.
        event = event_create(
            user=self.planner_user,
            title=title,
            event_type=self.types[type_slug],
            team=team,
            status=Event.Status.DRAFT if status == Event.Status.CANCELLED else status,
            starts_at=start,
            ends_at=end,
            location=location,
            postcode=postcode,
            description=description,
            expected_attendance=expected,
            partners=partners,
            focus_topics=[self.topics[s] for s in focus],
        )
        days = {start.date() + dt.timedelta(days=d) for d in range((end - start).days + 1)}
        assignments = []
        for n, officer in enumerate(officers):
            role = Assignment.Role.LEAD if n == 0 else Assignment.Role.SUPPORT
            try:
                if len(days) > 1:
                    shifts = assignment_add_each_day(event=event, officer=officer, role=role)
                else:
                    shifts = [assignment_add(event=event, officer=officer, role=role)]
            except ConflictError:
                continue
            self.busy_officer.setdefault(officer.pk, set()).update(days)
            assignments.extend(shifts)
        for item, quantity in kit:
            try:
                booking = kit_book(
                    event=event, item=item, quantity=quantity, user=self.planner_user
                )
            except ConflictError:
                continue
            if not item.consumable:
                self.busy_kit.setdefault(item.pk, set()).update(days)
            if status == Event.Status.COMPLETED:
                kit_return(booking=kit_check_out(booking=booking))
        if status == Event.Status.CANCELLED:
            event_cancel(event=event)
        event.refresh_from_db()
        return event, assignments

    def kit_free(self, item, day):
        return day not in self.busy_kit.get(item.pk, set())

    def county_show(self, first_day: dt.date, status):
        rost, harpenden = self.teams[0], self.teams[1]
        officers = self.free_officers(first_day, 6, prefer=self.officers[0:2] + self.officers[3:5])
        start, end = local(first_day, 8, 30), local(first_day + dt.timedelta(days=2), 18, 0)
        event, assignments = self.add_event(
            title=COUNTY_SHOW,
            type_slug="county-show",
            team=rost,
            start=start,
            end=end,
            status=status,
            location="Redbourn Showground, Redbourn",
            postcode="AL3 7PT",
            officers=officers,
            kit=[
                (self.minis[0], 1),
                (self.minis[1], 1),
                (self.tractor, 1),
                (self.trailer, 1),
                (self.gazebos[0], 1),
                (self.leaflets, 1200),
                (self.cards, 400),
            ],
            partners=[
                self.partners["Redbourn Agricultural Society"],
                self.partners["Harpenden Agricultural Machinery Ltd"],
                self.partners["NFU Mutual"],
            ],
            focus=[
                "farm-machinery-theft",
                "poaching-hare-coursing",
                "fly-tipping",
                "livestock-worrying",
            ],
            expected=12000,
            description="Three-day county show with ROST and Harpenden NPT: two mini police "
            "tractors and the liveried tractor on the stand; rural crime strategy, direct "
            "crime reporting and community messaging sign-ups.",
        )
        # Harpenden NPT support on the Saturday.
        return event, assignments, harpenden

    def build_events(self):
        """A year behind and a couple of months ahead, the county show in both."""
        show_day = self.today + dt.timedelta(days=10)
        self.show, _, _ = self.county_show(show_day, Event.Status.CONFIRMED)
        last_show, last_assignments, _ = self.county_show(
            show_day - dt.timedelta(days=364), Event.Status.COMPLETED
        )
        self.logged = [(last_show, last_assignments)]
        # Today's market for the demo officer, so the capture page has something live.
        today_event, today_assignments = self.add_event(
            title="Harpenden Farmers' Market",
            type_slug="market",
            team=self.teams[0],
            start=local(self.today, 9),
            end=local(self.today, 15),
            status=Event.Status.CONFIRMED,
            location="Harpenden High Street",
            postcode="AL5 2TF",
            officers=self.free_officers(self.today, 2, prefer=[self.officers[1]]),
            kit=[(self.minis[0], 1), (self.leaflets, 200)]
            if self.kit_free(self.minis[0], self.today)
            else [(self.leaflets, 200)],
            focus=["fraud-scams", "burglary"],
        )
        self.today_event = today_event
        day = self.today - dt.timedelta(days=365)
        while day <= self.today + dt.timedelta(days=60):
            for _ in range(self.rng.choice([0, 1, 1, 2, 2, 3])):
                self.small_event(day)
            day += dt.timedelta(days=self.rng.choice([1, 2, 3]))
        # The market comes back every fortnight: a series (drafts), with its staff and kit where
        # free. Made last, so that the small events above are the same with or without it.
        series_repeat(event=today_event, every="2 weeks", count=5, user=self.planner_user)

    def small_event(self, day: dt.date):
        type_slug, pattern, hour, hours = self.rng.choice(SMALL_EVENTS)
        village, postcode = self.rng.choice(VILLAGES)
        officers = self.free_officers(day, self.rng.randint(2, 4))
        if len(officers) < 2:
            return
        start = local(day, hour)
        end = start + dt.timedelta(hours=hours)
        if day < self.today:
            status = Event.Status.CANCELLED if self.rng.random() < 0.04 else Event.Status.COMPLETED
        else:
            status = Event.Status.CONFIRMED if self.rng.random() < 0.7 else Event.Status.DRAFT
        kit = []
        if type_slug in {"fete", "market", "school-visit"}:
            for item in self.minis + self.gazebos:
                if self.kit_free(item, day) and self.rng.random() < 0.5:
                    kit.append((item, 1))
            kit.append((self.leaflets, self.rng.choice([50, 100, 150])))
        team = officers[0].team
        event, assignments = self.add_event(
            title=pattern.format(village=village),
            type_slug=type_slug,
            team=team,
            start=start,
            end=end,
            status=status,
            location=village,
            postcode=f"{postcode}AA",
            officers=officers,
            kit=kit,
            expected=self.rng.choice([None, 80, 150, 300, 600]),
            focus=self.rng.sample(sorted(BASE_WEIGHT), 2),
        )
        if status == Event.Status.COMPLETED:
            self.logged.append((event, assignments))

    # -- engagement -----------------------------------------------------------------------
    def topic_weights(self, month: int):
        slugs = sorted(BASE_WEIGHT)
        weights = [BASE_WEIGHT[s] + SEASONAL.get(s, {}).get(month, 0) for s in slugs]
        return [self.topics[s] for s in slugs], weights

    def build_logs(self):
        logs, mentions = [], []
        for event, assignments in self.logged:
            has_tractor = event.kit_bookings.filter(item__category="mini_tractor").exists()
            topics, weights = self.topic_weights(timezone.localtime(event.starts_at).month)
            for assignment in assignments:
                assignment.actual_minutes = assignment.planned_minutes - self.rng.choice(
                    [0, 0, 15, 30, -30]
                )
                cursor = assignment.starts_at
                while cursor < assignment.ends_at:
                    visitors = self.rng.randint(1, 14 if has_tractor else 8)
                    log = EngagementLog(
                        event=event,
                        officer=assignment.officer,
                        recorded_at=cursor,
                        visitors=visitors,
                        signups=self.rng.randint(0, visitors // 3),
                        crime_reports=1 if self.rng.random() < 0.03 else 0,
                        notes=self.rng.choice(
                            [
                                "",
                                "",
                                "",
                                "Lots of interest in the tractors",
                                "Farmer reported quad bike theft nearby",
                                "Asked about hare coursing on Sunday mornings",
                            ]
                        ),
                        client_ref=uuid.UUID(int=self.rng.getrandbits(128)),
                        created_by=assignment.officer.user,
                    )
                    picks = self.rng.choices(topics, weights, k=self.rng.randint(0, 3))
                    logs.append((log, picks))
                    cursor += dt.timedelta(minutes=self.rng.choice([30, 45, 60, 90]))
            Assignment.objects.bulk_update(assignments, ["actual_minutes"])
        EngagementLog.objects.bulk_create([log for log, _ in logs], batch_size=2000)
        for log, picks in logs:
            counted: dict[int, int] = {}
            for topic in picks:
                counted[topic.pk] = counted.get(topic.pk, 0) + 1
            mentions.extend(
                TopicMention(log=log, topic_id=pk, count=c) for pk, c in counted.items()
            )
        TopicMention.objects.bulk_create(mentions, batch_size=5000)

    @transaction.atomic
    def build(self):
        self.build_reference()
        self.build_users()
        self.build_kit()
        self.build_events()
        self.build_logs()
