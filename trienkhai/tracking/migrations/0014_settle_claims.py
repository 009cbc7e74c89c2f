"""A completion awaiting review settles in the month it was reported, not in its due month.

Its status is "awaiting review" for every as-of date from that report on, so the country page
reads it with the settled counts instead of one counter row at a time (bench/README.md). The
settled counters' triggers are replaced and the counts rebuilt.
"""

from django.db import migrations

from trienkhai.tracking import counters


def reinstall(apps, schema_editor):
    counters.uninstall_settled(schema_editor)
    counters.install_settled(schema_editor)
    counters.rebuild_settled(schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("tracking", "0013_report_assigner_path")]

    operations = [migrations.RunPython(reinstall, migrations.RunPython.noop)]
