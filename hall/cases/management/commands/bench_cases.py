"""Fill a bench database with generated past cases (never a production one).

manage.py bench_cases --count 1000000 --i-know-this-is-a-bench-database
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from hall.cases.history import generate_history
from hall.cases.models import Case


class Command(BaseCommand):
    help = "Generate past cases with their history in bulk, for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=1_000_000)
        parser.add_argument("--months", type=int, default=12)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--batch", type=int, default=5000)
        parser.add_argument(
            "--i-know-this-is-a-bench-database",
            action="store_true",
            dest="confirmed",
            help="required: the cases are fake and stay in the database",
        )

    def handle(self, *args, **options):
        if not options["confirmed"]:
            raise CommandError(
                "This writes fake cases into the database. "
                "Run it only on a bench database, with --i-know-this-is-a-bench-database."
            )
        if not settings.DEMO_MODE and (
            Case.objects.exclude(form_data__has_key="generated").exists()
        ):
            raise CommandError("DEMO_MODE is off and the database holds real cases: refused.")
        started = time.perf_counter()
        figures = generate_history(
            count=options["count"],
            months=options["months"],
            seed=options["seed"],
            batch=options["batch"],
        )
        self.stdout.write(
            f"{figures['cases']} cases, {figures['status_changes']} status changes, "
            f"{figures['suspensions']} suspensions in {time.perf_counter() - started:.1f}s"
        )
        self.stdout.write(str(figures["statuses"]))
