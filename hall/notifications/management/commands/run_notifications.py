import signal

from django.core.management.base import BaseCommand

from hall.notifications.worker import Worker


class Command(BaseCommand):
    help = "Send the queued SMS and e-mail notifications (a loop; --once for one batch)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="send one batch and stop")
        parser.add_argument(
            "--drain", action="store_true", help="send until nothing is due, then stop"
        )
        parser.add_argument("--name", default="", help="worker name in the outbox rows")

    def handle(self, *args, once=False, drain=False, name="", **options):
        worker = Worker(name)

        def stop(signum, frame):
            # Finish the message in hand, record the batch, then leave.
            worker.stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        total = worker.run(once=once, drain=drain)
        self.stdout.write(f"{total} notifications handled")
