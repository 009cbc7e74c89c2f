"""DOCX to PDF through LibreOffice headless (installed by scripts/install-system-deps.sh).

Each conversion runs in its own temporary directory with its own LibreOffice profile, so
conversions can run side by side and leave nothing behind. A server process killed in the middle
(SIGKILL: an out-of-memory kill, gunicorn's timeout) cannot remove its folder; LibreOffice ends
with it (its pipes close), and a later conversion sweeps the folder once it is older than
`STALE_SECONDS` (tests/deploy/test_pdf_kill.py). Liberation Serif (metric-compatible
with Times New Roman, with the Vietnamese glyphs) stands in for Times New Roman where Microsoft's
font is not installed; the layout keeps its measures.
"""

import shutil
import subprocess
import tempfile
import time
from pathlib import Path

TIMEOUT_SECONDS = 60
PREFIX = "trienkhai-pdf-"
STALE_SECONDS = 2 * TIMEOUT_SECONDS


def sweep(now: float | None = None) -> int:
    """Remove conversion folders left by killed processes; returns how many."""
    now = time.time() if now is None else now
    removed = 0
    for folder in Path(tempfile.gettempdir()).glob(PREFIX + "*"):
        try:
            if now - folder.stat().st_mtime > STALE_SECONDS and folder.is_dir():
                shutil.rmtree(folder, ignore_errors=True)
                removed += 1
        except OSError:
            continue
    return removed


class RenderError(Exception):
    """The PDF could not be made (LibreOffice missing, failing or too slow)."""


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        raise RenderError("LibreOffice (soffice) is not installed")
    return found


def render_pdf(docx: bytes, *, timeout: int = TIMEOUT_SECONDS) -> bytes:
    binary = soffice()
    sweep()
    with tempfile.TemporaryDirectory(prefix=PREFIX) as work:
        folder = Path(work)
        source = folder / "document.docx"
        source.write_bytes(docx)
        profile = (folder / "profile").as_uri()
        command = [
            binary,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(source),
        ]
        try:
            done = subprocess.run(  # noqa: S603 - a fixed command on a file we wrote
                command, capture_output=True, timeout=timeout, check=False
            )
        except subprocess.TimeoutExpired as exc:
            raise RenderError(f"LibreOffice took longer than {timeout} s") from exc
        target = folder / "document.pdf"
        if done.returncode != 0 or not target.exists():
            raise RenderError(f"LibreOffice failed: {done.stderr.decode(errors='replace')[:500]}")
        return target.read_bytes()
