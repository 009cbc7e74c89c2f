"""`trienkhai restore`: put a backup back, all of it or nothing.

Before anything changes, the archive is read whole: the manifest must be of this format, the
engine the one configured, the schema the one this code has, and every member must have the
size and SHA-256 the manifest gives (a truncated or altered archive is refused). Then:

- PostgreSQL: pg_restore --clean in one transaction (a failure rolls every table back);
- SQLite: the online backup API copies the saved database over the live one in one step;
- uploads: extracted beside the media folder, then swapped in by renaming;
- the cache is emptied (panels computed from the data as it was before the restore).

Stop the web server and the workers first (docs/operations.md): a restore is a return to the
past, and requests in flight would write into it.
"""

import json
import shutil
import subprocess  # noqa: S404 - pg_restore, arguments from settings and our own temp files
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils.translation import gettext as _

from trienkhai.ops import manifest
from trienkhai.ops.pg import pg_env, pg_tool


class RestoreRefused(Exception):
    """The backup cannot be restored here; the message says why, nothing was changed."""


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and name == path.as_posix()


def _read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        member = archive.getmember(manifest.MANIFEST)
        record = json.loads(archive.extractfile(member).read())
    except (KeyError, AttributeError, ValueError, UnicodeDecodeError) as exc:
        raise RestoreRefused(
            _("Tệp không phải bản sao lưu của Triển khai (thiếu danh mục).")
        ) from exc
    if not isinstance(record, dict) or record.get("format") != manifest.FORMAT:
        raise RestoreRefused(_("Bản sao lưu có định dạng không được hỗ trợ."))
    return record


def check(record: dict) -> None:
    """Refuse a backup of another engine or another schema version."""
    engine = connection.vendor
    if record.get("engine") != engine:
        raise RestoreRefused(
            _("Bản sao lưu của cơ sở dữ liệu %(theirs)s, máy chủ này dùng %(ours)s.")
            % {"theirs": record.get("engine"), "ours": engine}
        )
    theirs, ours = set(record.get("migrations") or []), set(manifest.code_migrations())
    if theirs != ours:
        missing, unknown = sorted(ours - theirs), sorted(theirs - ours)
        detail = (
            _("bản sao lưu cũ hơn, thiếu %(n)s bước chuyển đổi (ví dụ %(name)s)")
            % {"n": len(missing), "name": missing[0]}
            if missing and not unknown
            else _(
                "bản sao lưu có %(n)s bước chuyển đổi mà phiên bản này không có (ví dụ %(name)s)"
            )
            % {"n": len(unknown), "name": unknown[0]}
        )
        raise RestoreRefused(
            _(
                "Bản sao lưu thuộc phiên bản lược đồ %(theirs)s, phần mềm này cần %(ours)s: "
                "%(detail)s. Hãy khôi phục bằng đúng phiên bản đã tạo bản sao lưu."
            )
            % {
                "theirs": record.get("schema_version"),
                "ours": manifest.schema_version(sorted(ours)),
                "detail": detail,
            }
        )


def _extract_verified(archive: tarfile.TarFile, record: dict, into: Path) -> None:
    """Every member the manifest lists, checked against its size and digest; nothing else."""
    files = record.get("files")
    if not isinstance(files, dict) or manifest.DUMPS[connection.vendor] not in files:
        raise RestoreRefused(_("Danh mục của bản sao lưu không liệt kê cơ sở dữ liệu."))
    names = set(archive.getnames()) - {manifest.MANIFEST}
    if names != set(files):
        raise RestoreRefused(_("Bản sao lưu bị hỏng: các tệp không khớp với danh mục."))
    for name, expected in files.items():
        member = archive.getmember(name)  # present: the names were compared above
        allowed = name == manifest.DUMPS[connection.vendor] or name.startswith(manifest.MEDIA + "/")
        if not (_safe_name(name) and allowed and member.isfile()):
            raise RestoreRefused(
                _("Bản sao lưu chứa đường dẫn không hợp lệ: %(name)s") % {"name": name}
            )
        target = into / name
        target.parent.mkdir(parents=True, exist_ok=True)
        with archive.extractfile(member) as source, target.open("wb") as out:
            shutil.copyfileobj(source, out, 1 << 20)
        if target.stat().st_size != expected.get("size") or manifest.sha256_of(
            target
        ) != expected.get("sha256"):
            raise RestoreRefused(
                _("Bản sao lưu bị hỏng: %(name)s không đúng tổng kiểm tra.") % {"name": name}
            )


def _restore_database(dump: Path) -> None:
    if connection.vendor == "postgresql":
        try:
            tool = pg_tool("pg_restore")
        except FileNotFoundError as exc:
            raise RestoreRefused(str(exc)) from exc
        connection.close()  # our own session must not hold locks on the tables being replaced
        command = [
            tool,
            "--clean",
            "--if-exists",
            "--single-transaction",
            "--exit-on-error",
            "--no-owner",
            "--no-acl",
            "--dbname",
            connection.settings_dict["NAME"],
            str(dump),
        ]
        result = subprocess.run(command, env=pg_env(), capture_output=True, text=True)  # noqa: S603
        if result.returncode != 0:
            raise RestoreRefused(
                _("Khôi phục thất bại, cơ sở dữ liệu giữ nguyên: %(error)s")
                % {"error": result.stderr.strip()[-500:]}
            )
        return
    import sqlite3

    source = sqlite3.connect(dump)
    try:
        connection.ensure_connection()
        source.backup(connection.connection, pages=1024)
    finally:
        source.close()


def _swap_media(staged: Path) -> None:
    media = Path(settings.MEDIA_ROOT)
    media.parent.mkdir(parents=True, exist_ok=True)
    incoming = Path(tempfile.mkdtemp(dir=media.parent, prefix=".media-restoring-"))
    if staged.is_dir():
        shutil.rmtree(incoming)
        shutil.move(staged, incoming)
    old = media.parent / f".media-replaced-{incoming.name.rsplit('-', 1)[-1]}"
    if media.exists():
        media.rename(old)
    incoming.rename(media)
    shutil.rmtree(old, ignore_errors=True)


def restore_backup(path: Path) -> dict:
    """Check, then restore; return the manifest of what was restored."""
    path = Path(path)
    try:
        archive = tarfile.open(path, "r:")
    except (OSError, tarfile.TarError) as exc:
        raise RestoreRefused(
            _("Không đọc được tệp sao lưu %(path)s: %(error)s") % {"path": path, "error": exc}
        ) from exc
    with (
        archive,
        tempfile.TemporaryDirectory(
            dir=Path(settings.MEDIA_ROOT).parent, prefix=".restore-"
        ) as work,
    ):
        try:
            record = _read_manifest(archive)
            check(record)
            _extract_verified(archive, record, Path(work))
        except (OSError, tarfile.TarError, EOFError) as exc:
            raise RestoreRefused(_("Bản sao lưu bị hỏng: %(error)s") % {"error": exc}) from exc
        _restore_database(Path(work) / manifest.DUMPS[connection.vendor])
        _swap_media(Path(work) / manifest.MEDIA)
    cache.clear()
    return record
