"""Recount the day statistics of supervision from the cases.

manage.py rebuild_case_stats

The rows are kept up to date with every case change; this is for after cases
were loaded in bulk by other means, or to check them.
"""

import time

from django.core.management.base import BaseCommand

from hall.supervision.services import stats_rebuild


class Command(BaseCommand):
    help = "Recount the supervision day statistics from the cases."

    def handle(self, *args, **options):
        started = time.perf_counter()
        rows = stats_rebuild()
        self.stdout.write(f"{rows} day rows in {time.perf_counter() - started:.1f}s")
