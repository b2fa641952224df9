"""What the manual costs: finding the help fragments once per process, and the
"本页帮助" link on every staff page afterwards.

    python bench/manual_help_link.py
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hall.settings")

import django  # noqa: E402

django.setup()

from django.urls import reverse  # noqa: E402

from hall.manual import help  # noqa: E402
from hall.manual.context_processors import help_link  # noqa: E402

reverse("org:landing")  # the URLconf is loaded by the first request anyway
start = time.perf_counter()
help.fragments()
found = time.perf_counter()
help.catalogue()
help.help_url_for(None)
ready = time.perf_counter()
print(f"fragments found: {len(help.fragments())} in {(found - start) * 1000:.1f} ms")
print(f"catalogue (titles, areas, links): {(ready - found) * 1000:.1f} ms, once per process")


class Request:
    path = "/staff/cases/"
    resolver_match = type("Match", (), {"view_name": "cases:queue"})()


request, n = Request(), 100_000
start = time.perf_counter()
for _ in range(n):
    help_link(request)
print(f"help link per request: {(time.perf_counter() - start) / n * 1e6:.2f} µs, no query")
