"""Recount the day statistics of supervision from the cases.

manage.py rebuild_case_stats [--if-missing]

The rows are kept up to date with every case change; this is for after cases
were loaded in bulk by other means, or to check them.
"""

import time

from django.core.management.base import BaseCommand

from hall.cases.models import Case
from hall.supervision.models import CaseDayStat, CaseMonthStat
from hall.supervision.services import stats_rebuild


class Command(BaseCommand):
    help = "Recount the supervision day statistics from the cases."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help="only when there are cases but no statistics yet (after an upgrade)",
        )

    def handle(self, *args, **options):
        if options["if_missing"] and (
            not Case.objects.exists()
            or (CaseDayStat.objects.exists() and CaseMonthStat.objects.exists())
        ):
            return
        started = time.perf_counter()
        rows = stats_rebuild()
        self.stdout.write(f"{rows} day rows in {time.perf_counter() - started:.1f}s")
