"""Run by the standby and failover tests in a process of its own against a fresh database:
migrate, build a small tree with one plan assigned to both provinces, two people; print ids."""

import datetime
import json
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trienkhai.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

call_command("migrate", verbosity=0)
call_command("createcachetable", verbosity=0)

from tests.builders import factories  # noqa: E402
from trienkhai.accounts.models import Role  # noqa: E402
from trienkhai.documents import actions as doc_actions  # noqa: E402
from trienkhai.documents.models import DocType  # noqa: E402
from trienkhai.tracking.actions import assign as assign_actions  # noqa: E402
from trienkhai.tracking.actions import plans as plan_actions  # noqa: E402
from trienkhai.tracking.models import Assignment  # noqa: E402

PASSWORD = "mat-khau-dung-1"  # noqa: S105 - a test account

tree = factories.small_tree()
root = tree["root"]
coord = factories.user("dieuphoi-tw", (Role.COORDINATOR, root), password=PASSWORD)
directive = doc_actions.register_document(
    coord,
    symbol="21-KL/TW",
    doc_type=DocType.CONCLUSION,
    issuing_unit=root,
    term="XIII",
    date=datetime.date(2021, 10, 25),
    subject="Kết luận 21",
)
plan_doc = doc_actions.register_document(
    coord,
    symbol="03-KH/TW",
    doc_type=DocType.PLAN,
    issuing_unit=root,
    term="XIII",
    date=datetime.date(2021, 12, 1),
    subject="Kế hoạch thực hiện Kết luận 21",
)
plan = plan_actions.register_plan(coord, plan_doc, implements=directive)
task = plan_actions.add_task(
    coord, plan, title="Học tập, quán triệt", lead_unit=root, deadline_text="quý IV/2030"
)
assign_actions.assign(coord, task, rule="children")
writer = factories.user(
    "baocao-tinh-a",
    (Role.REPORTER, tree["prov_a"], False),
    (Role.VIEWER, root),
    password=PASSWORD,
)
watcher = factories.user("theodoi-tw", (Role.VIEWER, root), password=PASSWORD)
assignment = Assignment.objects.get(task=task, unit=tree["prov_a"])
print(
    json.dumps(
        {
            "root": root.pk,
            "assignment": assignment.pk,
            "writer": writer.username,
            "watcher": watcher.username,
            "password": PASSWORD,
        }
    )
)
