"""Daily reminders: one digest per user, counted in SQL, scoped by grants, idempotent per day."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.builders import factories
from trienkhai.accounts.models import Role
from trienkhai.core.background.schedule import schedule_due
from trienkhai.core.background.worker import run_pending
from trienkhai.core.models import DailyRun
from trienkhai.documents.actions import register_document
from trienkhai.notify.models import Notification
from trienkhai.notify.tests.english import english  # noqa: F401 - the fixture, by name
from trienkhai.tracking import reminders
from trienkhai.tracking.models import Assignment, Occurrence, Plan, Task, TaskKind

D = datetime.date
DAY = D(2026, 3, 10)


def _document(unit, symbol, doc_type):
    return register_document(
        None,
        symbol=symbol,
        doc_type=doc_type,
        issuing_unit=unit,
        term="XIII",
        date=D(2021, 12, 1),
        subject=symbol,
    )


class Work:
    """Plan → tasks → occurrences → assignments, built with bulk_create (fixtures skip actions)."""

    def __init__(self, tree):
        self.tree = tree
        self.directive = _document(tree["root"], "21-KL/TW", "ket_luan")
        plan_doc = _document(tree["root"], "03-KH/TW", "ke_hoach")
        self.plan = Plan.objects.create(
            document=plan_doc, unit=tree["root"], directive=self.directive
        )

    def add(self, unit, title, due, *, started=None, completed=None, count=1):
        units = unit if isinstance(unit, list) else [unit]
        task = Task.objects.create(
            plan=self.plan, title=title, lead_unit=units[0], kind=TaskKind.ONE_OFF, deadline=due
        )
        occurrence = Occurrence.objects.create(
            task=task,
            label="",
            period_start=due - datetime.timedelta(days=30),
            period_end=due,
            due=due,
        )
        Assignment.objects.bulk_create(
            [
                Assignment(
                    occurrence=occurrence,
                    task=task,
                    directive=self.directive,
                    unit=u,
                    unit_path=u.path,
                    assigned_by=self.tree["root"],
                    due=due,
                    started_on=started,
                    completed_on=completed,
                )
                for u in units
            ]
        )
        return task


@pytest.fixture
def work(tree):
    w = Work(tree)
    t = tree
    w.add(t["commune_a"], "Tổ chức hội nghị quán triệt Kết luận 21 (xã a)", D(2026, 3, 1))
    w.add(t["org_a"], "Ban hành kế hoạch thực hiện (đảng bộ a)", D(2026, 3, 12))
    w.add(t["cell_a"], "Sinh hoạt chuyên đề (chi bộ a)", D(2026, 3, 15), started=D(2026, 3, 1))
    w.add(t["cell_a"], "Tự kiểm tra năm (chi bộ a)", D(2026, 4, 30))  # beyond 7 days
    w.add(t["commune_a"], "Báo cáo quý (xã a)", D(2026, 3, 5), completed=D(2026, 3, 4))
    w.add(t["commune_a"], "Rà soát quy chế (xã a)", D(2026, 3, 12), completed=D(2026, 3, 9))
    w.add(t["commune_b"], "Tổ chức hội nghị (xã b)", D(2026, 2, 1))
    w.add(t["org_b"], "Kiểm điểm tập thể (đảng bộ b)", D(2026, 2, 15))
    w.add(t["cell_b"], "Sinh hoạt chuyên đề (chi bộ b)", D(2026, 3, 17))
    return w


@pytest.fixture
def people(tree):
    t = tree
    f = factories.user
    p = {
        "rep_a": f("rep_a", (Role.REPORTER, t["prov_a"])),
        "coord_commune_a": f(
            "coord_commune_a", (Role.COORDINATOR, t["commune_a"]), (Role.REPORTER, t["org_a"])
        ),
        "exact_a": f("exact_a", (Role.REPORTER, t["commune_a"], False)),
        "viewer_a": f("viewer_a", (Role.VIEWER, t["prov_a"])),
        "rep_b": f("rep_b", (Role.ADMINISTRATOR, t["prov_b"])),
        "gone": f("gone", (Role.REPORTER, t["prov_a"])),
        "root": f("root", superuser=True),
    }
    for name, u in p.items():
        u.email = "" if name == "exact_a" else f"{name}@example.vn"
        u.is_active = name != "gone"
        u.save()
    return p


def _digest(user):
    return Notification.objects.get(user=user, key=reminders.digest_key(DAY))


def test_one_digest_per_user_with_the_right_counts(work, people):
    result = reminders.send_reminders(DAY, days=7)
    assert result["notified"] == 4
    notified = set(Notification.objects.values_list("user__username", flat=True))
    assert notified == {"rep_a", "coord_commune_a", "exact_a", "rep_b"}

    rep_a = _digest(people["rep_a"])
    assert rep_a.title == ("Nhắc việc ngày 10/03/2026: 1 nhiệm vụ quá hạn, 2 nhiệm vụ sắp đến hạn")
    assert "tại 3 đơn vị" in rep_a.body
    assert "- Xã a: 1 quá hạn, 0 sắp đến hạn" in rep_a.body  # the unit with most overdue first
    lines = rep_a.body.splitlines()
    first = lines.index("Cần xử lý trước:")
    assert lines[first + 1].startswith("- [Quá hạn chưa hoàn thành] 01/03/2026 · Xã a ·")
    assert lines[first + 2].startswith("- [Sắp đến hạn] 12/03/2026 · Đảng bộ a ·")
    assert "Tự kiểm tra năm" not in rep_a.body and "Báo cáo quý" not in rep_a.body
    assert rep_a.unit == work.tree["commune_a"]

    # Overlapping grants (commune subtree + its organisation) count each assignment once.
    assert _digest(people["coord_commune_a"]).title.endswith(
        "1 nhiệm vụ quá hạn, 2 nhiệm vụ sắp đến hạn"
    )
    # An exact grant covers the unit itself only.
    assert _digest(people["exact_a"]).title.endswith("1 nhiệm vụ quá hạn, 0 nhiệm vụ sắp đến hạn")


def test_scope_a_province_b_user_hears_nothing_about_province_a(work, people):
    reminders.send_reminders(DAY, days=7)
    b = _digest(people["rep_b"])
    assert b.title.endswith("2 nhiệm vụ quá hạn, 1 nhiệm vụ sắp đến hạn")
    assert " a " not in b.body.replace("(", " ").replace(")", " ")
    for word in ("Xã a", "Đảng bộ a", "Chi bộ a", "(xã a)", "Tỉnh An"):
        assert word not in b.body
    a = _digest(people["rep_a"])
    assert "Xã b" not in a.body and "(xã b)" not in a.body


def test_each_user_gets_one_email_and_a_second_run_sends_nothing(work, people):
    reminders.send_reminders(DAY, days=7)
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["coord_commune_a@example.vn", "rep_a@example.vn", "rep_b@example.vn"]
    message = next(m for m in mail.outbox if m.to == ["rep_b@example.vn"])
    assert message.subject == _digest(people["rep_b"]).title
    assert "Tổ chức hội nghị (xã b)" in message.body

    again = reminders.send_reminders(DAY, days=7)
    assert (again["notified"], again["emailed"]) == (0, 0)
    assert len(mail.outbox) == 3
    assert Notification.objects.count() == 4

    reminders.send_reminders(DAY + datetime.timedelta(days=1), days=7)  # the next day: new digests
    assert Notification.objects.count() == 8
    assert len(mail.outbox) == 6


def test_the_window_is_a_setting(work, people, settings):
    settings.TRIENKHAI_REMINDER_DAYS = 2
    reminders.send_reminders(DAY)
    assert _digest(people["rep_a"]).title.endswith("1 nhiệm vụ quá hạn, 1 nhiệm vụ sắp đến hạn")


def test_batches_of_users_give_the_same_digests(work, people, monkeypatch):
    monkeypatch.setattr(reminders, "USER_BATCH", 1)
    reminders.send_reminders(DAY, days=7)
    assert Notification.objects.count() == 4
    assert _digest(people["rep_b"]).title.endswith("2 nhiệm vụ quá hạn, 1 nhiệm vụ sắp đến hạn")


def test_query_count_does_not_grow_with_assignments(work, people, tree):
    with CaptureQueriesContext(connection) as few:
        reminders.send_reminders(DAY, days=7)
    units = [tree[k] for k in ("commune_a", "org_a", "cell_a", "commune_b", "org_b", "cell_b")]
    for i in range(30):
        work.add(units, f"Nhiệm vụ bổ sung {i}", D(2026, 3, 1) + datetime.timedelta(days=i % 12))
    with CaptureQueriesContext(connection) as many:
        reminders.send_reminders(DAY + datetime.timedelta(days=1), days=7)
    assert len(many.captured_queries) == len(few.captured_queries)
    assert _digest_on(people["rep_a"], DAY + datetime.timedelta(days=1)).title.endswith(
        "79 nhiệm vụ quá hạn, 14 nhiệm vụ sắp đến hạn"
    )


def _digest_on(user, day):
    return Notification.objects.get(user=user, key=reminders.digest_key(day))


def test_the_daily_job_runs_through_the_worker(work, people, settings):
    settings.TRIENKHAI_PURGE_HOUR = 23  # only the reminder is due at 09:00
    settings.TRIENKHAI_RECURRENCE_HOUR = 23
    settings.TRIENKHAI_REMEDIATION_REMINDER_HOUR = 23
    settings.TRIENKHAI_INDICATORS_HOUR = 23
    schedule_due(datetime.datetime(2026, 3, 10, 2, 0, tzinfo=datetime.UTC))  # 09:00 local
    assert run_pending() == 1
    run = DailyRun.objects.get(task_path=reminders.daily_reminders.module_path)
    assert reminders.daily_reminders.get_result(run.result_id).status == "SUCCESSFUL"
    assert Notification.objects.filter(key="reminders:2026-03-10").count() == 4


@pytest.mark.usefixtures("english")
def test_an_english_reader_reads_the_digest_in_english(client, work, people, tree):
    """The digest stores figures and names; the inbox renders them in the reader's language,
    the stored text (and so the e-mail) is in the site's language."""
    task = work.add(tree["commune_a"], "Báo cáo quý IV (xã a)", D(2025, 12, 31))
    Occurrence.objects.filter(task=task).update(period_start=D(2025, 10, 1), label="cũ")
    reminders.send_reminders(DAY, days=7)
    digest = _digest(people["rep_a"])
    assert digest.kind == reminders.MESSAGE_KIND
    assert (digest.params["overdue"], digest.params["soon"], digest.params["day"]) == (
        2,
        2,
        "2026-03-10",
    )
    assert digest.title == "Nhắc việc ngày 10/03/2026: 2 nhiệm vụ quá hạn, 2 nhiệm vụ sắp đến hạn"
    assert "31/12/2025 · Xã a · Quý IV/2025 · Báo cáo quý IV (xã a)" in digest.body
    mailed = next(m for m in mail.outbox if m.to == ["rep_a@example.vn"])
    assert mailed.subject == digest.title and "Quý IV/2025" in mailed.body

    client.force_login(people["rep_a"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("notify-list")).content.decode()
    assert "Reminder for 10/03/2026: 2 overdue tasks, 2 tasks due soon" in html
    assert "Within your scope there are 2 overdue tasks not yet done" in html
    assert "By unit:" in html and "To handle first:" in html
    assert "- Xã a: 2 overdue, 0 due soon" in html
    assert "[Overdue] 31/12/2025 · Xã a · Q4 2025 · Báo cáo quý IV (xã a)" in html
    assert "[Due soon] 12/03/2026 · Đảng bộ a ·" in html
    assert "Nhắc việc" not in html and "Quý IV/2025" not in html and "Cần xử lý" not in html

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    html = client.get(reverse("notify-list")).content.decode()
    assert digest.title in html and "Quý IV/2025" in html and "Reminder for" not in html


def test_the_render_is_the_same_from_params_as_at_creation(work, people):
    reminders.send_reminders(DAY, days=7)
    for n in Notification.objects.all():
        assert n.rendered() == (n.title, n.body)  # Vietnamese reader: what was stored
