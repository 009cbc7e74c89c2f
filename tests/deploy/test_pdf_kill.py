"""A server process killed with SIGKILL while LibreOffice renders a report's PDF: LibreOffice
(every process of it) goes with it, nothing was stored, and the conversion folder left behind
is swept by the next conversion."""

import io
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from docx import Document as Docx

from trienkhai.documents import pdf

ROOT = Path(__file__).resolve().parents[2]
RENDER = """
import sys
from trienkhai.documents.pdf import render_pdf
render_pdf(open(sys.argv[1], "rb").read())
"""


def _descendants(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-eo", "pid=,ppid="], capture_output=True, text=True).stdout
    parent = {int(c): int(p) for c, p in (line.split() for line in out.splitlines())}
    found, frontier = [], {pid}
    while frontier:
        frontier = {c for c, p in parent.items() if p in frontier}
        found += frontier
    return found


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    state = subprocess.run(["ps", "-o", "stat=", "-p", str(pid)], capture_output=True, text=True)
    return not state.stdout.strip().startswith("Z")


def test_a_killed_render_leaves_no_libreoffice_and_its_folder_is_swept(tmp_path, monkeypatch):
    document = Docx()
    for i in range(6000):
        document.add_paragraph(f"Báo cáo kết quả thực hiện Kết luận 21, đoạn {i}. " * 8)
    buffer = io.BytesIO()
    document.save(buffer)
    source = tmp_path / "bao-cao.docx"
    source.write_bytes(buffer.getvalue())
    before = set(Path(tempfile.gettempdir()).glob(pdf.PREFIX + "*"))

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", RENDER, str(source)], env=env)
    deadline = time.monotonic() + 30
    while len(office := _descendants(proc.pid)) < 2:  # oosplash and soffice.bin
        assert proc.poll() is None, "the render ended before LibreOffice started"
        assert time.monotonic() < deadline
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()

    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in office):
        assert time.monotonic() < deadline, "LibreOffice outlived the process that started it"
        time.sleep(0.1)
    left = set(Path(tempfile.gettempdir()).glob(pdf.PREFIX + "*")) - before
    assert left, "the killed render left no folder: the sweep is not exercised"

    monkeypatch.setattr(pdf, "STALE_SECONDS", 0)
    assert pdf.sweep(now=time.time() + 1) >= len(left)
    assert not any(folder.exists() for folder in left)
