"""Long unit imports: the background job, its progress page, and writing in short transactions."""

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.builders import factories
from trienkhai.accounts.models import Role
from trienkhai.core.background.worker import run_pending
from trienkhai.core.models import ChangeLogEntry
from trienkhai.tree.paths import subtree_q
from trienkhai.units import actions
from trienkhai.units.imports import jobs as import_jobs
from trienkhai.units.imports.actions import import_units
from trienkhai.units.imports.files import COLUMNS
from trienkhai.units.imports.jobs import import_file
from trienkhai.units.models import Unit, UnitImport, UnitState


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def prov_admin(tree):
    return factories.user("admin-a", (Role.ADMINISTRATOR, tree["prov_a"]))


def commune_rows(n, parent="P-a", prefix="X"):
    """`n` communes under `parent`, each with a grassroots organisation and a cell."""
    rows, day = [], "01/07/2025"
    for i in range(n):
        rows.append([f"{prefix}{i}", f"Xã {prefix}{i}", "", "commune", parent, day])
        rows.append([f"G{prefix}{i}", f"Đảng bộ {i}", "", "grassroots", f"{prefix}{i}", day])
        rows.append([f"C{prefix}{i}", f"Chi bộ {i}", "", "cell", f"G{prefix}{i}", day])
    return rows


def as_dicts(rows):
    return [dict(zip(COLUMNS, r, strict=True), line=i + 2) for i, r in enumerate(rows)]


def csv_upload(rows):
    text = "\n".join(",".join(r) for r in [COLUMNS, *rows]) + "\n"
    return SimpleUploadedFile("don_vi.csv", text.encode("utf-8"))


def test_a_large_file_runs_as_a_job_with_a_progress_page_then_its_result(
    client, tree, prov_admin, settings
):
    settings.TRIENKHAI_IMPORT_INLINE_BYTES = 100  # every file of this test counts as large
    settings.TRIENKHAI_IMPORT_CHUNK_ROWS = 4
    client.force_login(prov_admin)
    response = client.post(reverse("unit-import"), {"file": csv_upload(commune_rows(5))})
    record = UnitImport.objects.get()
    assert response["Location"] == reverse("unit-import-detail", args=[record.pk])
    assert record.state == UnitImport.State.QUEUED and record.file
    assert not Unit.objects.filter(code="X0").exists()

    page = client.get(response["Location"])
    body = page.content.decode()
    assert page.status_code == 200 and "<progress" in body
    assert "js/unit_import.js" in body and not re.search(r"<script(?![^>]*\bsrc=)", body)
    status = client.get(reverse("unit-import-status", args=[record.pk])).json()
    assert status["state"] == "queued" and status["finished"] is False

    assert run_pending() == 1
    record.refresh_from_db()
    assert record.state == UnitImport.State.DONE and not record.file
    assert (record.created, record.done, record.total, record.rows) == (15, 15, 15, 15)
    status = client.get(reverse("unit-import-status", args=[record.pk])).json()
    assert status["finished"] is True
    page = client.get(response["Location"]).content.decode()
    assert 'data-count="created">15<' in page and "<progress" not in page
    assert Unit.objects.get(code="CX4").parent.code == "GX4"
    # the job acts as the sender, under the upload's request id
    entries = ChangeLogEntry.objects.filter(action="units.create", object_repr="Xã X0")
    assert [(e.user, e.request_id) for e in entries] == [(prov_admin, response["X-Request-ID"])]


def test_a_job_with_bad_rows_writes_nothing_and_lists_them(client, tree, prov_admin, settings):
    settings.TRIENKHAI_IMPORT_INLINE_BYTES = 100
    settings.TRIENKHAI_IMPORT_CHUNK_ROWS = 2
    rows = commune_rows(3) + [["Y1", "Xã Y1", "", "commune", "NOPE", "01/07/2025"]]
    client.force_login(prov_admin)
    response = client.post(reverse("unit-import"), {"file": csv_upload(rows)})
    run_pending()
    record = UnitImport.objects.get()
    assert record.state == UnitImport.State.REFUSED and record.error_count == 1
    assert record.errors[0][:2] == [11, "Y1"]
    assert not Unit.objects.filter(code__in=["X0", "Y1"]).exists()
    body = client.get(response["Location"]).content.decode()
    assert '<td class="num">11</td>' in body and "NOPE" in body


def test_a_job_for_a_sender_who_lost_the_administrator_grant_changes_nothing(
    client, tree, prov_admin, settings
):
    settings.TRIENKHAI_IMPORT_INLINE_BYTES = 100
    client.force_login(prov_admin)
    client.post(reverse("unit-import"), {"file": csv_upload(commune_rows(2))})
    prov_admin.grants.all().delete()
    run_pending()
    record = UnitImport.objects.get()
    assert record.state == UnitImport.State.REFUSED
    assert not Unit.objects.filter(code="X0").exists()


def test_a_large_file_runs_as_a_job_through_rq(client, tree, prov_admin, settings, rq_tasks):
    settings.TRIENKHAI_IMPORT_INLINE_BYTES = 100
    client.force_login(prov_admin)
    client.post(reverse("unit-import"), {"file": csv_upload(commune_rows(2))})
    record = UnitImport.objects.get()
    assert record.state == UnitImport.State.QUEUED
    assert not DBTaskResult.objects.exists()  # queued in Redis, not in the database
    assert run_pending() == 1
    record.refresh_from_db()
    assert record.state == UnitImport.State.DONE and record.created == 6


def test_a_job_that_breaks_is_retried_later(client, tree, prov_admin, settings, monkeypatch):
    settings.TRIENKHAI_IMPORT_INLINE_BYTES = 100
    client.force_login(prov_admin)
    client.post(reverse("unit-import"), {"file": csv_upload(commune_rows(2))})
    broken = []

    def import_once_broken(*args, **kwargs):
        if not broken:
            broken.append(1)
            raise RuntimeError("database went away")
        return import_units(*args, **kwargs)

    monkeypatch.setattr(import_jobs, "import_units", import_once_broken)
    assert run_pending() == 1
    record = UnitImport.objects.get()
    assert record.state == UnitImport.State.FAILED and record.file  # kept for the retry
    waiting = DBTaskResult.objects.get(status="READY")
    assert waiting.args_kwargs["kwargs"] == {"import_id": record.pk, "_attempt": 2}
    assert waiting.run_after > timezone.now()  # after the backoff
    DBTaskResult.objects.filter(pk=waiting.pk).update(run_after=timezone.now())
    assert run_pending() == 1
    record.refresh_from_db()
    assert record.state == UnitImport.State.DONE and record.created == 6


@pytest.mark.django_db(transaction=True)
def test_writing_is_chunked_and_progress_is_reported_between_transactions():
    tree = factories.small_tree()
    admin = factories.user("admin-a", (Role.ADMINISTRATOR, tree["prov_a"]))
    seen = []

    def progress(done, total):
        seen.append((done, total, connection.in_atomic_block))

    result = import_units(admin, as_dicts(commune_rows(10)), progress=progress, chunk=4)
    assert result.ok and result.created == 30
    # communes, then organisations, then cells, four at most per transaction
    assert [d for d, _t, _a in seen] == [0, 4, 8, 10, 14, 18, 20, 24, 28, 30]
    assert {t for _d, t, _a in seen} == {30}
    assert not any(in_atomic for _d, _t, in_atomic in seen)
    prov = Unit.objects.get(code="P-a")
    assert Unit.objects.filter(subtree_q(prov.path), code__startswith="CX").count() == 10
    paths = list(Unit.objects.values_list("path", flat=True))
    assert len(paths) == len(set(paths))
    assert UnitState.objects.filter(unit__code__startswith="GX").count() == 10


@pytest.mark.django_db(transaction=True)
def test_a_write_between_two_batches_is_respected_and_a_second_run_finishes():
    """Someone creates a unit under a parent the import is filling: paths stay unique."""
    tree = factories.small_tree()
    admin = factories.user("admin-a", (Role.ADMINISTRATOR, tree["prov_a"]))
    prov = tree["prov_a"]

    def progress(done, total):
        if done == 4:  # after the first batch: another administrator adds a commune
            actions.create_unit(
                admin, code="X-other", name="Xã khác", kind="commune", parent=prov,
                valid_from=prov.valid_from,
            )  # fmt: skip

    result = import_units(admin, as_dicts(commune_rows(10)), progress=progress, chunk=4)
    assert result.ok and result.created == 30
    paths = list(Unit.objects.values_list("path", flat=True))
    assert len(paths) == len(set(paths))
    other = Unit.objects.get(code="X-other")
    assert other.path.startswith(Unit.objects.get(code="P-a").path)


@pytest.mark.django_db(transaction=True)
def test_a_code_taken_during_the_import_stops_it_and_importing_again_finishes():
    tree = factories.small_tree()
    admin = factories.user("admin-a", (Role.ADMINISTRATOR, tree["prov_a"]))
    rows = as_dicts(commune_rows(10))

    def progress(done, total):
        if done == 4:  # someone else creates, by hand, a commune that a later batch holds
            actions.create_unit(
                admin, code="X9", name="Xã X9", kind="commune", parent=tree["prov_a"],
                valid_from=tree["prov_a"].valid_from,
            )  # fmt: skip

    result = import_units(admin, rows, progress=progress, chunk=4)
    assert not result.ok and result.partial == 8
    assert "X9" in result.errors[0].message and result.errors[0].line == 29
    assert "nhập lại" in result.errors[1].message
    again = import_units(admin, rows, chunk=4)
    assert again.ok and (again.created, again.unchanged) == (21, 9)  # X8 and below
    assert Unit.objects.filter(code__in=[f"CX{i}" for i in range(10)]).count() == 10


def test_a_small_file_stays_all_or_nothing_in_one_transaction(tree, prov_admin, monkeypatch):
    """Up to one batch, any failure while writing leaves nothing behind."""
    calls = []

    def failing_move(*args, **kwargs):
        calls.append(1)
        raise actions.ActionError("refused")

    monkeypatch.setattr(actions, "move_unit", failing_move)
    rows = as_dicts(
        [
            ["X-new", "Xã mới", "", "commune", "P-a", "01/07/2025"],
            ["C-a", "Xã a", "", "commune", "P-b", "01/07/2025"],  # a move of an existing unit
        ]
    )
    result = import_units(factories.user("root", superuser=True), rows, chunk=10)
    assert calls and not result.ok and result.partial == 0
    assert not Unit.objects.filter(code="X-new").exists()


def test_the_status_endpoint_counts_rows_and_changes(client, tree, prov_admin):
    record = UnitImport.objects.create(
        user=prov_admin, filename="a.csv", state=UnitImport.State.APPLYING, done=1500, total=3000
    )
    client.force_login(prov_admin)
    data = json.loads(client.get(reverse("unit-import-status", args=[record.pk])).content)
    assert (data["done"], data["total"], data["finished"]) == (1500, 3000, False)
    assert "1.500" in data["text"] and "3.000" in data["text"]
    # queued imports name their task by this path (notify migration 0004 maps the old name)
    assert import_file.module_path == "trienkhai.units.imports.jobs.import_file"
