# The bookkeeping of background tasks beside django-tasks: one row per daily task and day
# (only the first worker enqueues it), and the heartbeat of each database worker.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_changelog_append_only"),
    ]

    operations = [
        migrations.CreateModel(
            name="DailyRun",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("task_path", models.CharField(max_length=200)),
                ("day", models.DateField()),
                ("result_id", models.CharField(blank=True, max_length=64)),
                ("enqueued_at", models.DateTimeField(auto_now_add=True)),
            ],
        ),
        migrations.CreateModel(
            name="TaskWorker",
            fields=[
                ("worker_id", models.CharField(max_length=64, primary_key=True, serialize=False)),
                ("started_at", models.DateTimeField()),
                ("seen_at", models.DateTimeField()),
            ],
        ),
        migrations.AddIndex(
            model_name="dailyrun",
            index=models.Index(fields=["day"], name="daily_run_day"),
        ),
        migrations.AddConstraint(
            model_name="dailyrun",
            constraint=models.UniqueConstraint(
                fields=("task_path", "day"), name="daily_run_once_per_day"
            ),
        ),
        migrations.AddIndex(
            model_name="taskworker",
            index=models.Index(fields=["seen_at"], name="task_worker_seen"),
        ),
    ]
