"""Recompute every practice's `search_text` with the symbols of unclassified documents only.

`search_text` is a derived column (never shown, never logged), so this re-derives it through
`actions.search_text` directly rather than through an action: nothing a user wrote changes, and
the change log has nothing to record.
"""

from django.db import migrations


def rebuild(apps, schema_editor):
    from trienkhai.practices.actions import search_text

    GoodPractice = apps.get_model("practices", "GoodPractice")
    for practice in (
        GoodPractice.objects.select_related("unit").prefetch_related("directives").iterator(500)
    ):
        text = search_text(
            practice.title,
            practice.description,
            practice.unit,
            practice.source,
            practice.directives.all(),
        )
        if text != practice.search_text:
            GoodPractice.objects.filter(pk=practice.pk).update(search_text=text)


class Migration(migrations.Migration):
    dependencies = [
        ("practices", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(rebuild, migrations.RunPython.noop),
    ]
