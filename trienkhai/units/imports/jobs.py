"""The unit import as a background job, and the choice between the job and the request.

`submit` stores the upload in a `UnitImport` row; a small file is imported right away, within
the request, a larger one by `trienkhai worker` (the task `import_file`). Either way the same
`run` reads the file, checks every row and writes (see `actions.import_units`), keeping
the row's state and progress up to date for the import's page, which polls them.
"""

import time
import uuid

from django.conf import settings
from django.core.files import File
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from trienkhai.core.actions import PermissionRefused
from trienkhai.core.background import job, outbox
from trienkhai.core.context import acting_as
from trienkhai.units.imports.actions import ImportResult, RowError, can_import, import_units
from trienkhai.units.imports.files import FileInfo, ImportFileError, read_rows
from trienkhai.units.models import UnitImport

ERRORS_KEPT = 1000
PROGRESS_INTERVAL = 0.5  # seconds between two progress writes
State = UnitImport.State


def submit(actor, uploaded_file, info: FileInfo, *, language: str, request_id: str) -> UnitImport:
    """Store the upload and import it: now if it is small, else in the background."""
    if not can_import(actor):
        raise PermissionRefused(_("Chỉ quản trị viên được nhập đơn vị."))
    record = UnitImport(
        user=actor,
        filename=(getattr(uploaded_file, "name", "") or "")[-255:],
        size=info.size,
        language=language,
        request_id=request_id,
    )
    uploaded_file.seek(0)
    record.file.save(f"{uuid.uuid4().hex}.{info.kind}", File(uploaded_file), save=False)
    record.save()
    if info.unpacked <= settings.TRIENKHAI_IMPORT_INLINE_BYTES:
        run(record.pk)
    else:
        outbox.enqueue(import_file, import_id=record.pk)  # kept if the queue is down
    record.refresh_from_db()
    return record


def _save(record: UnitImport, **fields) -> None:
    """Write the row's progress in its own short transaction (autocommit)."""
    for name, value in fields.items():
        setattr(record, name, value)
    UnitImport.objects.filter(pk=record.pk).update(**fields)


def _finish(record: UnitImport, result: ImportResult) -> None:
    if result.ok:
        state = State.DONE
    elif result.partial:
        state = State.INTERRUPTED
    else:
        state = State.REFUSED
    _save(
        record,
        state=state,
        created=result.created,
        updated=result.updated,
        unchanged=result.unchanged,
        done=result.partial if result.partial else record.done,
        error_count=len(result.errors),
        errors=[[e.line, e.code, e.message] for e in result.errors[:ERRORS_KEPT]],
        finished_at=timezone.now(),
    )
    if record.file:
        record.file.delete(save=False)
        _save(record, file="")


def run(import_id: int) -> None:
    """Read, check and write one stored upload, as the person who sent it, in their language."""
    record = UnitImport.objects.select_related("user").filter(pk=import_id).first()
    if record is None or (record.finished and record.state != State.FAILED):
        return  # gone, or finished by an earlier attempt
    actor = record.user
    with translation.override(record.language), acting_as(actor, record.request_id or None):
        _save(record, state=State.READING, started_at=timezone.now(), finished_at=None)
        last = [time.monotonic()]

        def throttled(**fields) -> None:
            now = time.monotonic()
            if now - last[0] >= PROGRESS_INTERVAL:
                last[0] = now
                _save(record, **fields)

        def applying(done: int, total: int) -> None:
            if record.state != State.APPLYING:
                _save(record, state=State.APPLYING, done=done, total=total)
            elif done == total:
                _save(record, done=done)
            else:
                throttled(done=done)

        try:
            if actor is None or not actor.is_active or not can_import(actor):
                raise ImportFileError(_("Chỉ quản trị viên được nhập đơn vị."))
            with record.file.open("rb") as f:
                rows = read_rows(f, progress=lambda n: throttled(rows=n))
            _save(record, state=State.CHECKING, rows=len(rows))
            result = import_units(actor, rows, progress=applying)
        except ImportFileError as exc:
            _finish(record, ImportResult(errors=[RowError(0, "", str(exc.message))]))
            return
        except Exception:
            _save(record, state=State.FAILED, finished_at=timezone.now())
            raise  # retried (`core.background.retries`), then listed with the failed tasks
        _finish(record, result)


@job(max_attempts=3)
def import_file(import_id: int) -> None:
    run(import_id)
