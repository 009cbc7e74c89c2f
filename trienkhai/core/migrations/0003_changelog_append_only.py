"""The database itself refuses to rewrite the change log (UPDATE), on both engines.

DELETE is refused on PostgreSQL too; on SQLite it is left to the application, because the test
runner empties tables with DELETE between tests.
"""

from django.db import migrations

PG = """
CREATE OR REPLACE FUNCTION core_changelog_append_only() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'the change log is append-only'; END; $$ LANGUAGE plpgsql;
CREATE TRIGGER core_changelog_no_update BEFORE UPDATE OR DELETE ON core_changelogentry
FOR EACH ROW EXECUTE FUNCTION core_changelog_append_only();
"""
SQLITE = """
CREATE TRIGGER core_changelog_no_update BEFORE UPDATE ON core_changelogentry
BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END;
"""


def forwards(apps, schema_editor):
    sql = PG if schema_editor.connection.vendor == "postgresql" else SQLITE
    schema_editor.execute(sql)


def backwards(apps, schema_editor):
    schema_editor.execute("DROP TRIGGER IF EXISTS core_changelog_no_update ON core_changelogentry"
                          if schema_editor.connection.vendor == "postgresql"
                          else "DROP TRIGGER IF EXISTS core_changelog_no_update")


class Migration(migrations.Migration):
    dependencies = [("core", "0002_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
