import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from events import totals
from events.devtools.demo import DEMO_PASSWORD, DEMO_USERS, DemoBuilder, demo_present
from events.devtools.scale import build_scale


class Command(BaseCommand):
    help = "Load the demo force (once, into an empty database); --scale N adds a force-wide set."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=int,
            default=0,
            help="Also add N × (5,000 events, 20,000 assignments, 50,000 entries) over 5 years.",
        )

    def handle(self, *args, scale, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo refuses to run with DEBUG off: demo users have a published "
                "password. Set DEBUG=1 for a local demo database."
            )
        if scale < 0:
            raise CommandError("--scale must be 0 or more.")
        if demo_present():
            self.stdout.write("Demo data already present: nothing changed.")
        else:
            started = time.monotonic()
            DemoBuilder().build()
            self.stdout.write(f"Demo data loaded in {time.monotonic() - started:.1f} s.")
            if scale:
                started = time.monotonic()
                counts = build_scale(scale, today=timezone.localdate())
                summary = ", ".join(f"{v:,} {k}" for k, v in counts.items())
                self.stdout.write(
                    f"Scale {scale}: {summary} in {time.monotonic() - started:.1f} s."
                )
            # The entries (and the scale set) are bulk paths: check what the triggers summed.
            drifted = totals.drifted_events()
            if drifted:
                raise CommandError(
                    f"The running totals of {len(drifted)} demo events differ from their rows: "
                    "run `manage.py recount_totals --fix` and report it."
                )
        self.print_sign_ins()

    def print_sign_ins(self):
        self.stdout.write(f"Demo sign-ins (password '{DEMO_PASSWORD}' for all):")
        for username, role, who in DEMO_USERS:
            self.stdout.write(f"  {username:<8} {role:<8} {who}")
