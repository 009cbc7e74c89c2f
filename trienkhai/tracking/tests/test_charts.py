"""The bar chart: one rectangle per non-zero status, names escaped, figures in reader format."""

from django.utils import translation

from trienkhai.tracking.charts import stacked_bars
from trienkhai.tracking.queries import ChildRow
from trienkhai.tracking.status import Status


def row(name, **counts):
    r = ChildRow(path="0001", unit=None, own=False)
    r.counts.update(counts)
    r.unit = type("U", (), {"name": name})()
    return r


def test_bars_escape_names_and_format_numbers():
    rows = [
        row('<b>"Xã" & co</b>', done_on_time=1500, overdue=3),
        row("Phường B", in_progress=7),
        row("Không có việc"),  # no rows: no bar
    ]
    with translation.override("vi"):
        svg = stacked_bars(rows, title="Biểu đồ")
    assert "<b>" not in svg and "&lt;b&gt;&quot;Xã&quot; &amp; co&lt;/b&gt;" in svg
    assert svg.count("<rect") == 3
    assert f"{Status.LABELS[Status.DONE_ON_TIME]} — 1.500" in svg
    assert ">1.503</text>" in svg and "Không có việc" not in svg
    with translation.override("en"):
        assert ">1,503</text>" in stacked_bars(rows, title="Chart")
