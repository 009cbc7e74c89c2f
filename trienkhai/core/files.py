"""Uploaded files: one set of rules for what is accepted, one way of serving them back.

Attachments of documents and evidence of progress reports follow the same policy: a short list of
office and image types, a size cap, content stored under its hash, and every download sent as an
attachment with nosniff and a sandboxing policy, so nothing uploaded is ever rendered as a page.
"""

import hashlib
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core.files.base import ContentFile
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from trienkhai.core.actions import ActionError

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
ALLOWED_UPLOAD_TYPES = {
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".txt": "text/plain",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".zip": "application/zip",
}


def check_upload(name: str, content: bytes, *, field: str = "file") -> str:
    """The content type to store for an accepted file; refuse others with a clear message."""
    ext = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if ext not in ALLOWED_UPLOAD_TYPES:
        raise ActionError(
            _("Loại tệp “%(ext)s” không được phép. Chỉ nhận: %(allowed)s.")
            % {"ext": ext or name, "allowed": ", ".join(sorted(ALLOWED_UPLOAD_TYPES))},
            field=field,
        )
    if len(content) > MAX_UPLOAD_BYTES:
        raise ActionError(
            _("Tệp quá lớn (tối đa %(mb)s MB).") % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)},
            field=field,
        )
    if not content:
        raise ActionError(_("Tệp rỗng."), field=field)
    return ALLOWED_UPLOAD_TYPES[ext]


def store_content(record, name: str, content: bytes, content_type: str) -> None:
    """Fill the stored-file fields of `record` (not saved): name, size, type and SHA-256, and
    the file itself under a name made from its digest, so the same content sent twice is kept
    once. Nothing is ever deleted from the store, so records may share a copy."""
    digest = hashlib.sha256(content).hexdigest()
    record.original_name = name[:255]
    record.size = len(content)
    record.content_type = content_type
    record.sha256 = digest
    target = record.file.field.generate_filename(record, digest)
    if record.file.storage.exists(target):
        record.file.name = target
    else:
        record.file.save(digest, ContentFile(content), save=False)


def _accel(stored, *, filename: str, content_type: str) -> HttpResponse | None:
    """Behind nginx (TRIENKHAI_ACCEL_REDIRECT set): the application has decided who may have the
    file, nginx sends it from an `internal` location, so no worker is held while it streams."""
    prefix = settings.TRIENKHAI_ACCEL_REDIRECT
    try:
        path = Path(stored.path).resolve()
        relative = path.relative_to(Path(settings.MEDIA_ROOT).resolve())
    except (NotImplementedError, ValueError):  # not a file under MEDIA_ROOT: stream it
        return None
    if not path.is_file():
        raise Http404
    response = HttpResponse(content_type=content_type or "application/octet-stream")
    response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(relative.as_posix())
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def download(stored, *, filename: str, content_type: str) -> HttpResponse:
    """A stored file as a download that no browser will render."""
    response = None
    if settings.TRIENKHAI_ACCEL_REDIRECT:
        response = _accel(stored, filename=filename, content_type=content_type)
        if response is not None:
            response["X-Content-Type-Options"] = "nosniff"
            response["Content-Security-Policy"] = (
                "default-src 'none'; sandbox; frame-ancestors 'none'"
            )
            return response
    try:
        handle = stored.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=filename,
        content_type=content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox; frame-ancestors 'none'"
    return response
