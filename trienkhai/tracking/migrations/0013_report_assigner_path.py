"""The assigning unit's path on each progress report, for the review queue's partial index."""

from django.db import migrations, models

import trienkhai.tree.paths

_PG = """
UPDATE tracking_progressreport AS r SET assigner_path = u.path
FROM tracking_assignment AS a JOIN units_unit AS u ON u.id = a.assigned_by_id
WHERE a.id = r.assignment_id
"""
_SQLITE = """
UPDATE tracking_progressreport SET assigner_path = (
    SELECT u.path FROM tracking_assignment AS a JOIN units_unit AS u ON u.id = a.assigned_by_id
    WHERE a.id = tracking_progressreport.assignment_id
)
"""


def fill(apps, schema_editor):
    with schema_editor.connection.cursor() as cur:
        cur.execute(_PG if schema_editor.connection.vendor == "postgresql" else _SQLITE)


class Migration(migrations.Migration):
    dependencies = [
        ("tracking", "0012_review_queue_indexes"),
        ("units", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="progressreport",
            name="assigner_path",
            field=trienkhai.tree.paths.PathField(default="", max_length=255),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="progressreport",
            index=models.Index(
                condition=models.Q(("state", "submitted")),
                fields=["assigner_path", "submitted_at", "id"],
                name="report_waiting_path",
            ),
        ),
    ]
