"""The change log in people's words: every action the code records has a registered label (an
unknown one is refused), and a row shows the person and their unit (or the job that acted), the
local time as dd/mm/yyyy HH:mm, the record by name and each changed field by its label."""

import ast
import datetime
import importlib
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

import trienkhai
from tests.builders import factories
from trienkhai.accounts.models import Role
from trienkhai.core import registry
from trienkhai.core.actions import Change, UnknownAction, record, record_many
from trienkhai.core.background.retries import job, job_name
from trienkhai.core.context import acting_as
from trienkhai.core.log_rows import log_rows
from trienkhai.core.models import ChangeLogEntry
from trienkhai.core.queries import history_for
from trienkhai.tracking.actions import assign as assign_actions
from trienkhai.tracking.models import Assignment
from trienkhai.tracking.tests.test_actions import central_plan, one_off
from trienkhai.units import actions as unit_actions
from trienkhai.units.models import Reorganisation

D = datetime.date
PACKAGE = Path(trienkhai.__file__).parent
# Functions whose second argument is a change-log action name.
LOGGING_CALLS = {"record", "record_many", "_save", "check_action"}


def _constants(node) -> set[str]:
    """The strings an expression can be: a literal, or either side of `a if c else b`."""
    if isinstance(node, ast.Constant) and type(node.value) is str:
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _constants(node.body) | _constants(node.orelse)
    return set()


def _expand(node, where) -> set[str]:
    """The names an f-string action can take; each dynamic name in the code is listed here."""
    text = ast.unparse(node)
    kinds = {k.value for k in Reorganisation.Kind}
    if text == "f'reorganisation.{op.kind}'":
        return {f"reorganisation.{k}" for k in kinds}
    if text == "f'units.{op.kind}'":  # closing a unit: merged, split or dissolved
        return {f"units.{k}" for k in ("merge", "split", "dissolve")}
    raise AssertionError(f"{where}: list the names {text} can take in test_log_words._expand")


def actions_in_code() -> dict[str, str]:
    """Every action name the package passes to the change log, with where it is written."""
    found: dict[str, str] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        if "tests" in rel.parts or "migrations" in rel.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            where = f"{rel}:{getattr(node, 'lineno', 0)}"
            names: set[str] = set()
            if isinstance(node, ast.Call):
                func = node.func
                called = getattr(func, "id", None) or getattr(func, "attr", None)
                arg = None
                if called in LOGGING_CALLS and called == "check_action" and node.args:
                    arg = node.args[0]
                elif called in LOGGING_CALLS and len(node.args) >= 2:
                    arg = node.args[1]
                if isinstance(arg, ast.JoinedStr):
                    names = _expand(arg, where)
                elif arg is not None:
                    names = _constants(arg)
                for keyword in node.keywords:  # ChangeLogEntry(action="…") written directly
                    if called == "ChangeLogEntry" and keyword.arg == "action":
                        names |= _constants(keyword.value)
            elif isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "action" for t in node.targets
            ):
                names = _constants(node.value)
            for name in names:
                found.setdefault(name, where)
    return found


def test_every_action_the_code_records_has_a_label():
    used = actions_in_code()
    # the walk finds the names (a broken walk would pass with nothing found)
    assert {"tracking.progress", "units.rename", "evaluations.decide_over_cap"} <= set(used)
    assert {"reorganisation.merge", "units.dissolve", "inspections.request_close"} <= set(used)
    assert len(used) > 80
    registered = set(registry.names("log.actions"))
    missing = {name: where for name, where in used.items() if name not in registered}
    assert not missing, f"actions without a change-log label: {missing}"
    # and no label is left for an action nothing records any more (or misspelt)
    assert registered - set(used) == set()


def test_every_label_reads_in_vietnamese_words():
    for name, label in registry.entries("log.actions"):
        text = str(label)
        assert text and "." not in text and text[0].isupper(), name


def test_every_job_has_a_label():
    jobs = []
    for module_path in settings.TRIENKHAI_JOB_MODULES:
        module = importlib.import_module(module_path)
        for value in vars(module).values():
            func = getattr(getattr(value, "func", None), "job_func", None)
            if func is not None and func.__module__ == module_path:
                jobs.append(job_name(func))
    assert "tracking.recurrence.extend_recurring" in jobs
    assert set(jobs) <= set(registry.names("log.jobs"))


def test_record_refuses_an_action_without_a_label(tree):
    admin = factories.user("admin-a", (Role.ADMINISTRATOR, tree["prov_a"]))
    unit = tree["commune_a"]
    before = ChangeLogEntry.objects.count()
    with pytest.raises(UnknownAction, match="tracking.made_up"):
        record(admin, "tracking.made_up", unit, unit=unit)
    with pytest.raises(UnknownAction):
        record_many(admin, "units.renamed", [Change(unit, unit=unit)])
    assert ChangeLogEntry.objects.count() == before
    with registry.override("log.actions", "tracking.made_up", "Một thao tác thử"):
        record(admin, "tracking.made_up", unit, unit=unit)
    assert ChangeLogEntry.objects.count() == before + 1


@pytest.fixture
def renamed(tree):
    admin = factories.user("hoa", (Role.ADMINISTRATOR, tree["prov_a"]))
    admin.first_name, admin.last_name = "Nguyễn Thị", "Hoa"
    admin.save()
    with acting_as(admin):
        unit_actions.rename_unit(
            admin, tree["commune_a"], name="Xã An Mới", date=D(2024, 1, 1), confirm_backdated=True
        )
    entry = ChangeLogEntry.objects.get(action="units.rename")
    return tree, admin, entry


def _row_text(html: str) -> str:
    return " ".join(html.split())


def test_a_log_row_in_vietnamese(client, renamed):
    tree, admin, entry = renamed
    client.force_login(admin)
    body = _row_text(client.get(reverse("change-log")).content.decode())
    local = timezone.localtime(entry.time).strftime("%d/%m/%Y %H:%M")
    assert local in body
    assert "Nguyễn Thị Hoa" in body and "Tỉnh An" in body  # the person and their unit
    assert "Đổi tên đơn vị" in body and "units.rename" not in body
    assert "Đơn vị: Xã An Mới" in body  # the record, in words
    # the field by its label, the old value struck, the new one inserted
    assert "Tên:</span> <del>Xã a</del>" in body and "<ins>Xã An Mới</ins>" in body
    assert ">hoa<" not in body  # not the username


def test_a_log_row_in_english(client, renamed):
    tree, admin, entry = renamed
    client.force_login(admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = _row_text(client.get(reverse("change-log")).content.decode())
    assert timezone.localtime(entry.time).strftime("%d/%m/%Y %H:%M") in body
    assert "Nguyễn Thị Hoa" in body
    assert "Renamed a unit" in body and "Đổi tên đơn vị" not in body
    assert "Name:</span> <del>Xã a</del>" in body
    assert "Unit: Xã An Mới" in body
    with translation.override("en"):
        assert [c.new for c in log_rows([entry])[0].changes] == ["Xã An Mới"]
        assert str(_("Không")) == "No"


def test_values_are_formatted_and_foreign_keys_named(tree):
    coord = factories.user("coord", (Role.COORDINATOR, tree["root"]))
    task = one_off(central_plan(tree))
    with acting_as(coord):
        assign_actions.assign(coord, task, units=[tree["prov_a"]])
    assignment = Assignment.objects.get(task=task)
    [row] = log_rows(history_for(assignment))
    assert row.action == "Giao nhiệm vụ cho đơn vị"
    assert row.name == f"{task.title} — Tỉnh An, hạn 31/03/2022"
    changes = {c.label: c.new for c in row.changes}
    assert changes["Đơn vị"] == "Tỉnh An"  # a foreign key by its name
    assert changes["Phải ban hành kế hoạch"] == "Không"  # a boolean
    assert changes["Hạn"] == "31/03/2022"  # an ISO date as dd/mm/yyyy, under its label
    assert "Version" not in changes and "Unit path" not in changes  # bookkeeping is left out


def test_a_write_with_no_person_says_system_and_a_job_says_which(tree):
    unit = tree["commune_b"]
    unit_actions.rename_unit(None, unit, name="Xã Bình Mới", date=D(2024, 1, 1))
    with acting_as(None, job="tracking.recurrence.extend_recurring"):
        unit_actions.rename_unit(None, unit, name="Xã Bình Mới 2", date=D(2024, 2, 1))
    job_row, system_row = log_rows(history_for(unit).filter(action="units.rename"))
    assert system_row.who == "Hệ thống" and system_row.who_unit == ""
    assert job_row.entry.user_name == "job:tracking.recurrence.extend_recurring"
    assert job_row.who == "Công việc nền: Thêm kỳ cho nhiệm vụ định kỳ" and job_row.by_job


@job()
def rename_as_a_job(unit_id: int, name: str) -> None:
    from trienkhai.units.models import Unit

    unit = Unit.objects.get(pk=unit_id)
    unit_actions.rename_unit(None, unit, name=name, date=D(2024, 5, 1))


def test_a_background_job_is_logged_under_its_name(tree):
    tasks = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    unit = tree["commune_b"]
    with (
        override_settings(TASKS=tasks),
        registry.override("log.jobs", job_name(rename_as_a_job.func.job_func), "Đổi tên thử"),
    ):
        rename_as_a_job.enqueue(unit_id=unit.pk, name="Xã Bình Mới")
        [row] = log_rows(history_for(unit).filter(action="units.rename"))
    assert row.entry.user_name == "job:core.tests.test_log_words.rename_as_a_job"
    assert row.who == "Công việc nền: Đổi tên thử"


def test_a_unit_outside_the_readers_scope_is_not_named(client, tree):
    """A commune moved from province B to A: A's viewer reads the move, B stays unnamed."""
    unit_actions.move_unit(None, tree["commune_b"], new_parent=tree["prov_a"], date=D(2024, 1, 1))
    viewer = factories.user("xem-a", (Role.VIEWER, tree["prov_a"]))
    client.force_login(viewer)
    body = _row_text(client.get(reverse("change-log")).content.decode())
    assert "Điều chuyển đơn vị" in body
    assert "<del>(đơn vị ngoài phạm vi của bạn)</del>" in body and "<ins>Tỉnh An</ins>" in body
    assert "Tỉnh Bình" not in body
    history = reverse("unit-detail", args=[tree["commune_b"].pk]) + "?tab=history"
    log_part = client.get(history).content.decode().split('class="history log"')[1]
    assert "(đơn vị ngoài phạm vi của bạn)" in log_part and "Tỉnh Bình" not in log_part
    admin = factories.user("qt", superuser=True)
    client.force_login(admin)
    assert "<del>Tỉnh Bình</del>" in _row_text(client.get(reverse("change-log")).content.decode())
