"""Recount the roll-up counters from the assignments (after a restore, or to verify them)."""

from django.core.management.base import BaseCommand, CommandError

from trienkhai.tracking import counters


class Command(BaseCommand):
    help = "Rebuild tracking roll-up counters from the assignments, or --check them."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="only compare the counters with a recount; exit 1 if they differ",
        )

    def handle(self, *args, check=False, **options):
        if check:
            diffs = (
                counters.differences()
                + counters.coverage_differences()
                + counters.settled_differences()
                + counters.unit_coverage_differences()
            )
            if diffs:
                for row in diffs:
                    self.stderr.write(" ".join(str(v) for v in row))
                raise CommandError(f"{len(diffs)} counter key(s) differ from a recount")
            self.stdout.write("counters equal a recount")
            return
        rows = counters.rebuild()
        coverage = counters.rebuild_coverage()
        coverage += counters.rebuild_unit_coverage()
        settled = counters.rebuild_settled()
        self.stdout.write(
            f"rebuilt {rows} counter rows, {coverage} coverage counter rows and "
            f"{settled} settled counter rows"
        )
