"""Run by the fan-out fault test in its own process, after `trienkhai generate`: a coordinator
at the root and a task of a plan, not yet assigned; print their ids."""

import datetime
import json
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trienkhai.settings")

import django  # noqa: E402

django.setup()

from tests.builders import factories  # noqa: E402
from trienkhai.accounts.models import Role  # noqa: E402
from trienkhai.documents import actions as doc_actions  # noqa: E402
from trienkhai.documents.models import DocType  # noqa: E402
from trienkhai.tracking.actions import plans as plan_actions  # noqa: E402
from trienkhai.tree.kinds import UnitKind  # noqa: E402
from trienkhai.units.models import Unit  # noqa: E402

PASSWORD = "mat-khau-dung-1"  # noqa: S105 - a test account

root = Unit.objects.get(parent=None, kind=UnitKind.CENTRAL)
coord = factories.user("dieuphoi-fanout", (Role.COORDINATOR, root), password=PASSWORD)
common = {"issuing_unit": root, "term": "XIII"}
directive = doc_actions.register_document(
    coord,
    symbol="21-KL/TW",
    doc_type=DocType.CONCLUSION,
    date=datetime.date(2021, 10, 25),
    subject="Kết luận 21",
    **common,
)
plan_doc = doc_actions.register_document(
    coord,
    symbol="03-KH/TW",
    doc_type=DocType.PLAN,
    date=datetime.date(2021, 12, 1),
    subject="Kế hoạch thực hiện Kết luận 21",
    **common,
)
plan = plan_actions.register_plan(coord, plan_doc, implements=directive)
task = plan_actions.add_task(
    coord, plan, title="Học tập, quán triệt", lead_unit=root, deadline_text="quý IV/2030"
)
grassroots = Unit.objects.filter(kind=UnitKind.GRASSROOTS).count()
print(json.dumps({"task": task.pk, "user": coord.username, "password": PASSWORD, "n": grassroots}))
