"""A backup restores every table and every uploaded file; a wrong or damaged one changes nothing."""

import datetime
import hashlib
import json
import tarfile
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from trienkhai.ops import manifest
from trienkhai.ops.backup import make_backup
from trienkhai.ops.restore import RestoreRefused, restore_backup

pytestmark = pytest.mark.django_db(transaction=True)


def tables() -> dict[str, tuple[int, str]]:
    """Every table of the database: its row count and a digest of its rows in a fixed order."""
    out = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            rows = sorted(repr(tuple(row)) for row in cursor.fetchall())
            out[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return out


def files(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def media(settings, tmp_path):
    root = tmp_path / "data" / "media"
    (root / "evidence").mkdir(parents=True)
    (root / "evidence" / "bien-ban.pdf").write_bytes(b"%PDF-1.4 bien ban hoi nghi " * 100)
    (root / "reports" / "2026").mkdir(parents=True)
    (root / "reports" / "2026" / "bao-cao.docx").write_bytes(bytes(range(256)) * 50)
    settings.MEDIA_ROOT = str(root)
    return root


@pytest.fixture
def world(tree, admin_user):
    from trienkhai.documents.actions import register_document
    from trienkhai.documents.models import DocType

    register_document(
        admin_user,
        symbol="21-KL/TW",
        doc_type=DocType.CONCLUSION,
        issuing_unit=tree["root"],
        term="XIII",
        date=datetime.date(2021, 10, 25),
        subject="Về đẩy mạnh xây dựng, chỉnh đốn Đảng",
    )
    return tree


def _change_everything(admin_user, tree, media: Path) -> None:
    from trienkhai.documents.actions import register_document
    from trienkhai.documents.models import DocType

    get_user_model().objects.create_user("nguoi-moi", password="x-very-long-1")
    get_user_model().objects.filter(pk=admin_user.pk).update(first_name="Đã đổi")
    register_document(
        admin_user,
        symbol="35-KL/TW",
        doc_type=DocType.CONCLUSION,
        issuing_unit=tree["root"],
        term="XIII",
        date=datetime.date(2022, 5, 5),
        subject="Một văn bản đến sau bản sao lưu",
    )
    (media / "evidence" / "bien-ban.pdf").write_bytes(b"changed")
    (media / "reports" / "2026" / "bao-cao.docx").unlink()
    (media / "evidence" / "moi.png").write_bytes(b"\x89PNG new")


def test_round_trip_restores_every_table_and_file(world, admin_user, media, tmp_path):
    before_tables, before_files = tables(), files(media)
    record = make_backup(tmp_path / "b.tar")
    assert record["engine"] == connection.vendor
    assert set(record["files"]) == {
        manifest.DUMPS[connection.vendor],
        "media/evidence/bien-ban.pdf",
        "media/reports/2026/bao-cao.docx",
    }
    assert (Path(record["path"]).stat().st_mode & 0o777) == 0o600

    _change_everything(admin_user, world, media)
    assert tables() != before_tables and files(media) != before_files  # the test can fail

    restored = restore_backup(tmp_path / "b.tar")
    assert restored["schema_version"] == record["schema_version"]
    after = tables()
    assert after.keys() == before_tables.keys()
    differing = [t for t in after if after[t] != before_tables[t] and t != "trienkhai_cache"]
    assert differing == []
    assert files(media) == before_files
    # Sequences came back too: new rows get fresh keys.
    get_user_model().objects.create_user("sau-khoi-phuc", password="x-very-long-2")


def test_a_damaged_backup_changes_nothing(world, media, tmp_path):
    make_backup(tmp_path / "b.tar")
    raw = bytearray((tmp_path / "b.tar").read_bytes())
    # Flip a byte inside the database member's content (past the manifest's header block).
    with tarfile.open(tmp_path / "b.tar") as archive:
        member = archive.getmember(manifest.DUMPS[connection.vendor])
    raw[member.offset_data + member.size // 2] ^= 0xFF
    (tmp_path / "bad.tar").write_bytes(raw)
    get_user_model().objects.create_user("sau-sao-luu", password="x-very-long-3")
    snapshot, media_snapshot = tables(), files(media)
    with pytest.raises(RestoreRefused, match="không đúng tổng kiểm tra"):
        restore_backup(tmp_path / "bad.tar")
    assert tables() == snapshot and files(media) == media_snapshot


def test_a_truncated_or_foreign_file_is_refused(world, media, tmp_path):
    make_backup(tmp_path / "b.tar")
    raw = (tmp_path / "b.tar").read_bytes()
    (tmp_path / "cut.tar").write_bytes(raw[: len(raw) // 2])
    (tmp_path / "other.tar").write_bytes(b"not a backup at all")
    snapshot = tables()
    with pytest.raises(RestoreRefused, match="hỏng|Không đọc được"):
        restore_backup(tmp_path / "cut.tar")
    with pytest.raises(RestoreRefused, match="Không đọc được"):
        restore_backup(tmp_path / "other.tar")
    assert tables() == snapshot


def _rewrite_manifest(source: Path, target: Path, change) -> None:
    with tarfile.open(source) as archive, tarfile.open(target, "w") as out:
        for member in archive.getmembers():
            data = archive.extractfile(member).read()
            if member.name == manifest.MANIFEST:
                record = json.loads(data)
                change(record)
                data = json.dumps(record).encode()
                member.size = len(data)
            import io

            out.addfile(member, io.BytesIO(data))


def test_another_schema_version_is_refused(world, media, tmp_path):
    make_backup(tmp_path / "b.tar")
    _rewrite_manifest(
        tmp_path / "b.tar",
        tmp_path / "newer.tar",
        lambda r: r["migrations"].append("tracking.9999_from_the_future"),
    )
    _rewrite_manifest(
        tmp_path / "b.tar",
        tmp_path / "older.tar",
        lambda r: r["migrations"].remove(r["migrations"][-1]),
    )
    snapshot = tables()
    with pytest.raises(RestoreRefused, match="tracking.9999_from_the_future"):
        restore_backup(tmp_path / "newer.tar")
    with pytest.raises(RestoreRefused, match="cũ hơn"):
        restore_backup(tmp_path / "older.tar")
    assert tables() == snapshot


def test_another_engine_is_refused(world, media, tmp_path):
    make_backup(tmp_path / "b.tar")
    other = "sqlite" if connection.vendor == "postgresql" else "postgresql"
    _rewrite_manifest(tmp_path / "b.tar", tmp_path / "x.tar", lambda r: r.update(engine=other))
    with pytest.raises(RestoreRefused, match=other):
        restore_backup(tmp_path / "x.tar")


def test_a_path_outside_is_refused(world, media, tmp_path):
    make_backup(tmp_path / "b.tar")

    def escape(record):
        record["files"]["../../etc/evil"] = {"size": 1, "sha256": "0"}

    _rewrite_manifest(tmp_path / "b.tar", tmp_path / "evil.tar", escape)
    with pytest.raises(RestoreRefused):
        restore_backup(tmp_path / "evil.tar")
    assert not (tmp_path.parent.parent / "etc" / "evil").exists()
