from django.core.management.base import BaseCommand

from devtools.demo import demo_load


class Command(BaseCommand):
    help = "Loads the demo path, cohort and people (once; a second run changes nothing)."

    def handle(self, *args, **options):
        loaded = demo_load()
        if loaded is None:
            self.stdout.write("Demo data is already loaded.")
            return
        cohort, logins = loaded
        self.stdout.write(self.style.SUCCESS(f"Loaded the demo cohort “{cohort.name}”."))
