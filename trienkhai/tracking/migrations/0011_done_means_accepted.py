"""A reported completion awaits review (`Assignment.claimed_on`) before it counts as done.

The counters' key gains the date, so their triggers are replaced and the counts rebuilt. A
completion recorded before this change was never reviewed; it keeps counting as done unless
its report is still "submitted", in which case it becomes a claim awaiting review.
"""

import datetime

from django.db import migrations, models

from trienkhai.tracking import counters

NEVER = datetime.date(9999, 12, 31)


def drop_triggers(apps, schema_editor):
    counters.uninstall(schema_editor)
    counters.uninstall_settled(schema_editor)


def unreviewed_to_claims(apps, schema_editor):
    """Completions whose "done" report nobody has accepted yet wait for review."""
    Assignment = apps.get_model("tracking", "Assignment")
    ProgressReport = apps.get_model("tracking", "ProgressReport")
    pending = ProgressReport.objects.filter(
        done=True, state="submitted", assignment__fulfilled_by__isnull=True
    ).exclude(assignment__reports__done=True, assignment__reports__state="accepted")
    ids = set(pending.values_list("assignment_id", flat=True))
    for a in Assignment.objects.filter(pk__in=ids, completed_on__isnull=False).iterator():
        Assignment.objects.filter(pk=a.pk).update(
            claimed_on=a.completed_on, completed_on=None, version=a.version + 1
        )


def install_triggers(apps, schema_editor):
    counters.install(schema_editor)
    counters.install_settled(schema_editor)
    alias = schema_editor.connection.alias
    counters.rebuild(alias)
    counters.rebuild_settled(alias)


def back(apps, schema_editor):
    counters.uninstall(schema_editor)
    counters.uninstall_settled(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("tracking", "0010_obligation_path_index")]

    operations = [
        migrations.RunPython(drop_triggers, migrations.RunPython.noop),
        migrations.AddField(
            model_name="assignment",
            name="claimed_on",
            field=models.DateField(
                blank=True, null=True, verbose_name="báo cáo hoàn thành ngày (chờ duyệt)"
            ),
        ),
        migrations.RemoveConstraint(model_name="rollupcounter", name="rollup_counter_key"),
        migrations.RemoveIndex(model_name="rollupcounter", name="rollup_counter_settle"),
        migrations.AddField(
            model_name="rollupcounter",
            name="claimed_on",
            field=models.DateField(default=NEVER),
            preserve_default=False,
        ),
        migrations.AddConstraint(
            model_name="rollupcounter",
            constraint=models.UniqueConstraint(
                fields=(
                    "directive_id",
                    "top_path",
                    "due",
                    "started_on",
                    "completed_on",
                    "claimed_on",
                ),
                name="rollup_counter_key",
            ),
        ),
        migrations.AddIndex(
            model_name="rollupcounter",
            index=models.Index(
                fields=["completed_on", "claimed_on", "due"], name="rollup_counter_settle"
            ),
        ),
        migrations.RunPython(unreviewed_to_claims, migrations.RunPython.noop),
        migrations.RunPython(install_triggers, back),
    ]
