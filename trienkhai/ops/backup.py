"""`trienkhai backup`: the database and the uploaded files in one archive with checksums.

PostgreSQL is dumped by pg_dump in its custom format (one consistent snapshot, while the
server keeps working); SQLite by its online backup API (a consistent copy, page by page,
while writers wait at most for one step). The archive is written beside its target and renamed
into place only when complete, so a backup that stopped half-way never looks like a backup.
"""

import datetime
import json
import os
import shutil
import subprocess  # noqa: S404 - pg_dump, with arguments from settings, never from a shell
import tarfile
import tempfile
from importlib.metadata import version
from pathlib import Path

from django.conf import settings
from django.db import connection

from trienkhai.ops import manifest
from trienkhai.ops.pg import pg_env, pg_tool


class BackupError(Exception):
    """A backup that could not be made; the message says why, nothing was left behind."""


def default_path() -> Path:
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    return Path(settings.DATA_DIR) / "backups" / f"trienkhai-{stamp}.tar"


def _dump_database(target: Path) -> None:
    if connection.vendor == "postgresql":
        try:
            tool = pg_tool("pg_dump")
        except FileNotFoundError as exc:
            raise BackupError(str(exc)) from exc
        command = [tool, "--format=custom", "--no-owner", "--no-acl"]
        command += ["--file", str(target)]
        result = subprocess.run(command, env=pg_env(), capture_output=True, text=True)  # noqa: S603
        if result.returncode != 0:
            raise BackupError(f"pg_dump: {result.stderr.strip()}")
        return
    import sqlite3

    connection.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        connection.connection.backup(destination, pages=1024)
    finally:
        destination.close()


def _media_files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def make_backup(output: Path | None = None) -> dict:
    """Write a backup archive; return its manifest (with the archive's path under "path")."""
    output = Path(output or default_path()).resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    engine = connection.vendor
    if engine not in manifest.DUMPS:
        raise BackupError(f"no backup for the engine {engine}")
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=".backup-") as work:
        dump = Path(work) / manifest.DUMPS[engine]
        _dump_database(dump)
        files = {manifest.DUMPS[engine]: dump}
        for path in _media_files(media_root):
            files[f"{manifest.MEDIA}/{path.relative_to(media_root).as_posix()}"] = path
        applied = manifest.applied_migrations()
        record = {
            "format": manifest.FORMAT,
            "engine": engine,
            "product_version": version("trienkhai"),
            "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "schema_version": manifest.schema_version(applied),
            "migrations": applied,
            "files": {
                name: {"size": path.stat().st_size, "sha256": manifest.sha256_of(path)}
                for name, path in files.items()
            },
        }
        manifest_path = Path(work) / manifest.MANIFEST
        manifest_path.write_text(json.dumps(record, indent=1, ensure_ascii=False))
        partial = Path(work) / "archive.tar"
        with tarfile.open(partial, "w") as archive:
            archive.add(manifest_path, arcname=manifest.MANIFEST)
            for name, path in files.items():
                archive.add(path, arcname=name)
        os.chmod(partial, 0o600)  # the whole database: readable by its owner only
        shutil.move(partial, output)
    return {**record, "path": str(output)}
