"""A plan classified "Mật" and its task assigned below: the units' viewers see the work, but the
task's title and the plan's symbol only with the clearance for the plan.

The province (think Quảng Ninh) registers plan 78-KH/TU classified Mật and assigns its task to
its commune. `quangninh` views the province with clearance 0, `cleared` with clearance 1.
"""

import datetime
import io

import pytest
from django.core import mail
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from tests.builders import factories
from trienkhai.accounts.models import Clearance, Role
from trienkhai.documents import actions as doc_actions
from trienkhai.documents.models import DocType
from trienkhai.tracking import reminders
from trienkhai.tracking.actions import assign as assign_actions
from trienkhai.tracking.actions import plans as plan_actions
from trienkhai.tracking.models import Assignment

D = datetime.date
TITLE = "Rà soát nhân sự chủ chốt MATKHQN"
SYMBOL = "78-KH/TU"
MASK = "Nhiệm vụ mật"


@pytest.fixture
def secret(tree):
    prov = tree["prov_a"]
    coord = factories.user("qn-coord", (Role.COORDINATOR, prov, True, Clearance.CONFIDENTIAL))
    directive = doc_actions.register_document(
        None,
        symbol="21-KL/TW",
        doc_type=DocType.CONCLUSION,
        issuing_unit=tree["root"],
        term="XIII",
        date=D(2021, 10, 25),
        subject="Kết luận 21",
    )
    plan_doc = doc_actions.register_document(
        coord,
        symbol=SYMBOL,
        doc_type=DocType.PLAN,
        issuing_unit=prov,
        term="XVI",
        date=D(2021, 12, 1),
        subject="Kế hoạch mật của tỉnh",
        classification=Clearance.CONFIDENTIAL,
    )
    plan = plan_actions.register_plan(coord, plan_doc, implements=directive)
    task = plan_actions.add_task(
        coord, plan, title=TITLE, lead_unit=prov, deadline_text="quý I/2022"
    )
    assign_actions.assign(coord, task, rule="children")
    f = factories.user
    people = {
        "quangninh": f("quangninh", (Role.VIEWER, prov)),
        "cleared": f("qn-mat", (Role.VIEWER, prov, True, Clearance.CONFIDENTIAL)),
        "rep": f("xa-bc", (Role.REPORTER, tree["commune_a"])),
        "rep_cleared": f("xa-bc-mat", (Role.REPORTER, tree["commune_a"], True, 1)),
    }
    for name, user in people.items():
        user.email = f"{name}@example.vn"
        user.save()
    return {
        **tree,
        **people,
        "coord": coord,
        "plan": plan,
        "task": task,
        "assignment": Assignment.objects.get(task=task),
    }


def _page(client, user, url, params=None):
    client.force_login(user)
    response = client.get(url, params or {})
    assert response.status_code == 200
    return response.content.decode()


def test_the_overdue_api_names_the_task_only_to_the_cleared(secret):
    api = APIClient()
    for user, shown in ((secret["quangninh"], MASK), (secret["cleared"], TITLE)):
        api.force_authenticate(user)
        response = api.get("/api/overdue/", {"unit": secret["prov_a"].pk})
        assert response.status_code == 200
        rows = response.json()["results"]
        assert [r["task_title"] for r in rows] == [shown]
    api.force_authenticate(secret["quangninh"])
    assert TITLE not in api.get("/api/overdue/", {"unit": secret["prov_a"].pk}).content.decode()


def test_the_dashboard_overdue_table_masks_the_title(client, secret):
    url = reverse("tracking-dashboard")
    body = _page(client, secret["quangninh"], url, {"unit": secret["prov_a"].pk})
    assert TITLE not in body and MASK in body
    assert TITLE in _page(client, secret["cleared"], url, {"unit": secret["prov_a"].pk})


def _xlsx_cells(response) -> list:
    book = load_workbook(io.BytesIO(response.content))
    return [c for row in book.active.iter_rows(values_only=True) for c in row if c]


def test_the_overdue_export_masks_the_title(client, secret):
    params = {"unit": secret["prov_a"].pk, "export": "overdue"}
    client.force_login(secret["quangninh"])
    cells = _xlsx_cells(client.get(reverse("tracking-dashboard"), params))
    assert TITLE not in cells and MASK in cells
    client.force_login(secret["cleared"])
    assert TITLE in _xlsx_cells(client.get(reverse("tracking-dashboard"), params))


def test_the_assignment_page_hides_the_title_and_the_plan_symbol(client, secret):
    url = reverse("tracking-assignment", args=[secret["assignment"].pk])
    body = _page(client, secret["quangninh"], url)
    assert TITLE not in body and SYMBOL not in body and MASK in body
    assert reverse("tracking-task", args=[secret["task"].pk]) not in body
    body = _page(client, secret["cleared"], url)
    assert TITLE in body and SYMBOL in body


def test_my_work_hides_the_title_and_the_plan_symbol(client, secret):
    url = reverse("tracking-my-work")
    body = _page(client, secret["rep"], url)
    assert TITLE not in body and SYMBOL not in body and MASK in body
    body = _page(client, secret["rep_cleared"], url)
    assert TITLE in body and SYMBOL in body


def test_the_change_log_names_the_plan_and_task_only_to_the_cleared(client, secret):
    url = reverse("change-log")
    body = _page(client, secret["quangninh"], url)
    assert "Thêm nhiệm vụ" in body  # the entry is in the reader's scope…
    assert TITLE not in body and SYMBOL not in body  # …but not what it names
    assert MASK in body and "Văn bản mật" in body
    body = _page(client, secret["cleared"], url)
    assert TITLE in body and SYMBOL in body


def test_a_plan_implementing_a_classified_plan_masks_it(client, secret):
    """The commune's own plan is readable; the classified plan it implements is not."""
    commune = secret["commune_a"]
    coord = factories.user("xa-coord", (Role.COORDINATOR, commune, True, 1))
    doc = doc_actions.register_document(
        coord,
        symbol="05-KH/ĐU",
        doc_type=DocType.PLAN,
        issuing_unit=commune,
        term="XVI",
        date=D(2022, 1, 10),
        subject="Kế hoạch của xã",
    )
    plan = plan_actions.register_plan(coord, doc, implements=secret["plan"])
    body = _page(client, secret["rep"], reverse("tracking-plan", args=[plan.pk]))
    assert "05-KH/ĐU" in body and SYMBOL not in body and "Văn bản mật" in body
    assert SYMBOL in _page(client, secret["rep_cleared"], reverse("tracking-plan", args=[plan.pk]))


def test_reminder_emails_mask_the_title_per_recipient(client, secret):
    reminders.send_reminders(D(2022, 4, 5), days=7)
    bodies = {m.to[0]: m.body for m in mail.outbox}
    line = "- [Quá hạn chưa hoàn thành] 31/03/2022 · Xã a · Quý I/2022 · "
    assert line + MASK in bodies["rep@example.vn"].splitlines()
    assert TITLE not in bodies["rep@example.vn"]
    assert line + TITLE in bodies["rep_cleared@example.vn"].splitlines()
    # The inbox renders the stored figures again, in the reader's language: still masked.
    body = _page(client, secret["rep"], reverse("notify-list"))
    assert TITLE not in body and MASK in body


def test_plan_pages_mask_a_classified_directive_and_omit_an_unseen_one(client, tree):
    """An unclassified plan of province A implements a classified directive of the centre, and
    another one a directive of province B: A's reader sees both plans, neither directive."""
    coord = factories.user(
        "two-provinces",
        (Role.COORDINATOR, tree["prov_a"], True, Clearance.CONFIDENTIAL),
        (Role.COORDINATOR, tree["prov_b"]),
    )

    def document(unit, symbol, doc_type=DocType.CONCLUSION, classification=0):
        return doc_actions.register_document(
            coord if unit != tree["root"] else None,
            symbol=symbol,
            doc_type=doc_type,
            issuing_unit=unit,
            term="XIII",
            date=D(2021, 10, 25),
            subject=f"Văn bản {symbol}",
            classification=classification,
        )

    secret = document(tree["root"], "31-KL/TW", classification=Clearance.CONFIDENTIAL)
    elsewhere = document(tree["prov_b"], "12-KL/TU")
    plans = [
        plan_actions.register_plan(coord, document(tree["prov_a"], s, DocType.PLAN), implements=d)
        for s, d in (("41-KH/TU", secret), ("42-KH/TU", elsewhere))
    ]
    reader = factories.user("xem-a", (Role.VIEWER, tree["prov_a"]))
    body = _page(client, reader, reverse("tracking-plans"))
    assert "41-KH/TU" in body and "42-KH/TU" in body
    assert "31-KL/TW" not in body and "12-KL/TU" not in body and "Văn bản mật" in body
    for plan in plans:
        body = _page(client, reader, reverse("tracking-plan", args=[plan.pk]))
        assert "31-KL/TW" not in body and "12-KL/TU" not in body
