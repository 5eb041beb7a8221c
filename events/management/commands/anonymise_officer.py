from django.core.management.base import BaseCommand, CommandError

from events.models import Officer
from events.services.people import officer_anonymise


class Command(BaseCommand):
    help = "Anonymise an officer who has left: name, contact and sign-in go; figures stay."

    def add_arguments(self, parser):
        parser.add_argument("shoulder_number")

    def handle(self, *args, shoulder_number, **options):
        officer = Officer.objects.filter(shoulder_number=shoulder_number).first()
        if officer is None:
            raise CommandError(f"No officer with shoulder number {shoulder_number}.")
        officer = officer_anonymise(officer=officer)
        self.stdout.write(f"Anonymised as “{officer.name}”.")
