from django.core.management.base import BaseCommand

from hall.notifications.services import digest_enqueue


class Command(BaseCommand):
    help = (
        "Queue today's e-mail digest of due-soon and overdue cases for each staff member "
        "(once a day; the worker also does it at NOTIFY_DIGEST_HOUR)."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"{digest_enqueue()} digest e-mails queued")
