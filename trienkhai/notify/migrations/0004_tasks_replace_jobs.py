# The home-made job queue gives way to django-tasks: its waiting and failed jobs become task
# results of the database backend, its per-day keys become DailyRun rows, and its table goes.

import uuid

from django.db import migrations

# The old registered names and the tasks that replace them.
TASK_PATHS = {
    "units.import": "trienkhai.units.imports.jobs.import_file",
    "tracking.daily_reminders": "trienkhai.tracking.reminders.daily_reminders",
    "tracking.extend_recurring": "trienkhai.tracking.recurrence.extend_recurring",
    "notify.purge": "trienkhai.notify.jobs.purge",
}


def carry_over(apps, schema_editor):
    """Queued and running jobs wait again (their old worker is gone), failed ones stay failed
    for an operator, with the attempt they reached; succeeded ones are history and go. Failed
    jobs the Redis queue recorded here come along too, though with RQ configured the operators'
    page reads RQ's own failures."""
    Job = apps.get_model("notify", "Job")
    DailyRun = apps.get_model("core", "DailyRun")
    DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
    results, days = [], []
    for job in Job.objects.iterator():
        path = TASK_PATHS.get(job.name)
        if path is None:
            continue
        if job.unique_key and job.unique_key.startswith("daily:"):
            day = job.unique_key.rsplit(":", 1)[1]
            days.append(DailyRun(task_path=path, day=day, result_id=""))
        if job.state == "done":
            continue
        failed = job.state == "failed"
        attempt = job.attempts if failed else job.attempts + 1
        kwargs = dict(job.args or {}, **({"_attempt": attempt} if attempt > 1 else {}))
        results.append(
            DBTaskResult(
                id=uuid.uuid4(),
                status="FAILED" if failed else "READY",
                args_kwargs={"args": [], "kwargs": kwargs},
                priority=0,
                task_path=path,
                worker_ids=[],
                queue_name="default",
                backend_name="default",
                run_after=job.run_at,
                finished_at=job.finished_at if failed else None,
                return_value=None,
                exception_class_path="",
                traceback=job.last_error if failed else "",
            )
        )
    DBTaskResult.objects.bulk_create(results, batch_size=500)
    DailyRun.objects.bulk_create(days, batch_size=500, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("notify", "0003_job_lease"),
        ("core", "0004_background_runs"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [
        migrations.RunPython(carry_over, migrations.RunPython.noop),
        migrations.DeleteModel(name="Job"),
    ]
