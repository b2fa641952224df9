"""A year's annual assessment (年度考核) over a million cases.

    .venv/bin/python bench/assessment.py [--cases 1000000] [--ratings 500000] [--rounds 3]

Uses the database bench/ratings.py builds (var/bench/ratings.sqlite3, or
DATABASE_URL=postgres://… — the demo organisation and catalogue, N generated
cases with their history, ratings on finished cases; only what is missing is
made on a second run). Then, in-process, the city center's scheme for the year
with the most decided cases gets one indicator of every formula (weights
totalling 100), and a dry run of the whole assessment (every city department
and county center, every formula, counted afresh: the dry-run cache is
bypassed) is timed --rounds times; the figures printed are the database's
case count for that year, the units scored, and the seconds of each run.
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from applications import setup_env  # noqa: E402
from ratings import seed_ratings  # noqa: E402
from workbench import prepare  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--ratings", type=int, default=500_000, help="0: rate none")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    env = setup_env("ratings")
    import django

    django.setup()
    from django.core.management import call_command

    from hall.cases.models import Case

    if Case.objects.count() >= args.cases:
        # a database built before: only this app's tables may be missing
        call_command("migrate", verbosity=0)
        call_command("createcachetable", verbosity=0)
    else:
        prepare(args.cases)
    if args.ratings:
        seed_ratings(args.ratings)
    from django.db.models import Count
    from django.db.models.functions import ExtractYear

    from hall.assessment import formulas, selectors, services
    from hall.assessment.models import Scheme
    from hall.org.constants import CITY_REGION_CODE
    from hall.org.models import Center, User

    years = (
        Case.objects.filter(decided_at__isnull=False)
        .annotate(y=ExtractYear("decided_at"))
        .values("y")
        .annotate(n=Count("pk"))
        .order_by("-n")
    )
    busiest = years[0]
    year = busiest["y"]
    center = Center.objects.get(region_code=CITY_REGION_CODE)
    actor = User.objects.filter(is_superuser=True).first()
    scheme = Scheme.objects.filter(center=center, year=year).first()
    if scheme is None:
        scheme = services.scheme_create(actor=actor, center=center, year=year)
        codes = list(formulas.FORMULAS)
        weights = [100 // len(codes)] * len(codes)
        weights[0] += 100 - sum(weights)
        for code, weight in zip(codes, weights, strict=True):
            services.indicator_add(
                actor=actor,
                scheme=scheme,
                name=str(formulas.FORMULAS[code].label),
                formula=code,
                weight=weight,
                target=90,
            )
    total = Case.objects.count()
    in_year = Case.objects.filter(decided_at__year=year).count()
    print(
        f"database {env['DATABASE_URL'].split(':')[0]}: {total} cases, {in_year} decided in "
        f"{year}; {scheme.indicators.count()} indicators ({', '.join(formulas.FORMULAS)})"
    )
    for n in range(args.rounds):
        started = time.perf_counter()
        result = selectors.compute_result(scheme, refresh=True)
        took = time.perf_counter() - started
        print(f"dry run {n + 1}: {len(result['units'])} units scored in {took:.1f}s")
    best = max(result["units"], key=lambda u: float(u["total"]))
    print(f"top unit: {best['name']} hall score {best['hall']}")


if __name__ == "__main__":
    main()
