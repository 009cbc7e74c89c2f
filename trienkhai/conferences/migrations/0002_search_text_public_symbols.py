"""Recompute every conference's `search_text` without document subjects or classified symbols.

`search_text` is a derived column (never shown, never logged), so this re-derives it through
`actions.search_text` directly rather than through an action: nothing a user wrote changes, and
the change log has nothing to record.
"""

from django.db import migrations


def rebuild(apps, schema_editor):
    from trienkhai.conferences.actions import search_text

    Conference = apps.get_model("conferences", "Conference")
    for conference in (
        Conference.objects.select_related("host").prefetch_related("documents").iterator(500)
    ):
        text = search_text(
            conference.title, conference.host, conference.note, conference.documents.all()
        )
        if text != conference.search_text:
            Conference.objects.filter(pk=conference.pk).update(search_text=text)


class Migration(migrations.Migration):
    dependencies = [
        ("conferences", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(rebuild, migrations.RunPython.noop),
    ]
