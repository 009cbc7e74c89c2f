"""What a backup holds and how it proves itself: the manifest of a backup archive.

A backup is one uncompressed tar file (the PostgreSQL dump is compressed by pg_dump; uploads
are mostly compressed office files already):

    manifest.json       format, engine, product and schema version, and for every other member
                        its size and SHA-256
    database.dump       PostgreSQL custom-format dump (pg_dump -Fc), or
    database.sqlite3    SQLite online backup of the live database
    media/...           the uploaded files

The schema version is the set of applied migrations. A restore refuses a backup whose set is
not the set this code has: restoring it would leave tables and code disagreeing.
"""

import hashlib
from pathlib import Path

from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

FORMAT = 1
MANIFEST = "manifest.json"
DUMPS = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
MEDIA = "media"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def applied_migrations() -> list[str]:
    """The database's applied migrations, "app.name", sorted."""
    recorder = MigrationRecorder(connection)
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def code_migrations() -> list[str]:
    """The migrations this code has (what a fully migrated database has applied), sorted.
    Squashed migrations count as the ones they replace when those are the ones applied."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return sorted(f"{app}.{name}" for app, name in loader.graph.nodes)


def schema_version(migrations: list[str]) -> str:
    """A short name for a set of migrations, for people comparing two backups."""
    return hashlib.sha256("\n".join(sorted(migrations)).encode()).hexdigest()[:16]
