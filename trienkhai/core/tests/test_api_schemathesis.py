"""Schemathesis runs every operation of the OpenAPI schema against the app in-process (WSGI),
signed in as an administrator over a small world made through the actions, with every check on:
no server error, every status code, content type and body as documented, schema-invalid input
refused, schema-valid input accepted.

Schema-valid input may still be refused with a 400 in two ways the schema cannot say: a rule of
the domain (a step out of order, a date before a unit existed: `{"detail": …}`), or an id of a
record that does not exist or is out of reach (DRF's "does not exist"). The acceptance check
allows exactly those; any other field error for valid input means the schema and the
validation disagree, and fails. The budget is small and bounded (see SETTINGS); a larger run
by hand is `st run` against a served demo (see the README's API section).
"""

import datetime
import re

import hypothesis
import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections, transaction
from django.utils import translation
from drf_spectacular.generators import SchemaGenerator
from rest_framework.relations import PrimaryKeyRelatedField
from schemathesis.openapi.checks import RejectedPositiveData
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.builders import factories
from trienkhai.accounts.auth import issue_token
from trienkhai.accounts.models import Role
from trienkhai.conferences import actions as conference_actions
from trienkhai.documents import actions as doc_actions
from trienkhai.documents.models import DocType
from trienkhai.evaluations.actions import periods as period_actions
from trienkhai.evaluations.actions import ratings as rating_actions
from trienkhai.inspections.actions import conclusions as conclusion_actions
from trienkhai.inspections.actions import programmes as programme_actions
from trienkhai.inspections.models import FindingKind
from trienkhai.inspections.tests.conftest import World, new_inspection, to_concluded
from trienkhai.practices import actions as practice_actions
from trienkhai.tracking.actions import assign as assign_actions
from trienkhai.tracking.actions import plans as plan_actions
from trienkhai.tracking.actions import reports as report_actions
from trienkhai.wsgi import application

D = datetime.date
SETTINGS = hypothesis.settings(
    max_examples=1,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(hypothesis.HealthCheck),
)


def _does_not_exist_patterns():
    """DRF's "Invalid pk … does not exist" in every language the API answers in."""
    from django.conf import settings

    out = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            text = str(PrimaryKeyRelatedField.default_error_messages["does_not_exist"])
        out.append(re.compile(re.escape(text).replace(re.escape("{pk_value}"), ".*")))
    return out


MISSING = _does_not_exist_patterns()


def _leaves(errors):
    if isinstance(errors, dict):
        for value in errors.values():
            yield from _leaves(value)
    elif isinstance(errors, list):
        for value in errors:
            yield from _leaves(value)
    else:
        yield str(errors)


def refused_by_a_rule_or_a_missing_record(body) -> bool:
    if isinstance(body, dict) and isinstance(body.get("detail"), str):
        return True
    leaves = list(_leaves(body))
    return bool(leaves) and all(any(p.fullmatch(m) for p in MISSING) for m in leaves)


@schemathesis.check
def valid_data_is_accepted_or_refused_by_a_rule(ctx, response, case):
    try:
        return positive_data_acceptance(ctx, response, case)
    except RejectedPositiveData:
        if response.status_code == 400 and refused_by_a_rule_or_a_missing_record(response.json()):
            return None
        raise


def api_world() -> dict:
    """Records of every kind the API lists, so that reads and writes reach their logic."""
    tree = factories.small_tree()
    admin = factories.user("st-admin", superuser=True)
    inspector = factories.user("st-inspector", (Role.INSPECTOR, tree["prov_a"]))
    directive = doc_actions.register_document(
        None, symbol="21-KL/TW", doc_type=DocType.CONCLUSION, issuing_unit=tree["root"],
        term="XIII", date=D(2021, 10, 25), subject="Về xây dựng, chỉnh đốn Đảng",
    )  # fmt: skip
    plan_doc = doc_actions.register_document(
        None, symbol="01-KH/TU", doc_type=DocType.PLAN, issuing_unit=tree["prov_a"],
        term="XVII", date=D(2021, 12, 1), subject="Kế hoạch thực hiện Kết luận 21",
    )  # fmt: skip
    relation = doc_actions.relate(None, source=plan_doc, target=directive, kind="implements")
    plan = plan_actions.register_plan(admin, plan_doc, implements=directive)
    task = plan_actions.add_task(
        admin, plan, title="Quán triệt", lead_unit=tree["prov_a"], deadline_text="quý I/2022"
    )
    assign_actions.assign(admin, task, rule="children")
    assignment = task.occurrences.first().assignments.first()
    report = report_actions.report_progress(
        admin, assignment, reported_on=D(2022, 2, 1), percent=50, done=False
    )
    conference = conference_actions.record_conference(
        admin, host=tree["prov_a"], date=D(2022, 1, 15), title="Hội nghị quán triệt",
        format="online", documents=[directive, plan_doc],
    )  # fmt: skip
    practice = practice_actions.record_practice(
        admin, unit=tree["prov_a"], title="Cách làm hay", description="Mô tả", year=2022
    )
    practice_actions.adopt(admin, practice, unit=tree["commune_a"], adopted_on=D(2022, 6, 1))
    programme = programme_actions.create_programme(
        inspector, unit=tree["prov_a"], year=2024, title="Chương trình kiểm tra"
    )
    w = World(tree, directive=directive, inspector=inspector)
    w["commune_rep"] = factories.user("st-commune", (Role.REPORTER, tree["commune_a"], False))
    w["org_rep"] = factories.user("st-org", (Role.REPORTER, tree["org_a"], False))
    inspection, parts = to_concluded(w, new_inspection(w))
    part = parts[tree["commune_a"].pk]
    remediation = conclusion_actions.add_request(
        inspector, part, text="Khắc phục", deadline=D(2025, 3, 31)
    )
    finding = conclusion_actions.add_finding(inspector, part, kind=FindingKind.values[0], text="Ưu")
    recommendation = conclusion_actions.add_recommendation(inspector, part, text="Kiến nghị")
    period = period_actions.create_period(None, unit=tree["root"], year=2025)
    rating_actions.open_evaluations(None, period, tree["commune_a"])
    return {
        "user": admin,
        # For tests that add to this world (the list query counts).
        "world": w,
        "inspector": inspector,
        "part": part,
        "period": period,
        "ids": {
            "units": tree["commune_a"].pk,
            "documents": plan_doc.pk,
            "relations": relation.pk,
            "plans": plan.pk,
            "tasks": task.pk,
            "assignments": assignment.pk,
            "reports": report.pk,
            "conferences": conference.pk,
            "practices": practice.pk,
            "inspection-programmes": programme.pk,
            "inspections": inspection.pk,
            "inspection-findings": finding.pk,
            "inspection-recommendations": recommendation.pk,
            "inspection-self-reports": part.self_reports.first().pk,
            "remediation-requests": remediation.pk,
            "evaluation-periods": period.pk,
            "evaluations": period.evaluations.first().pk,
        },
    }


def _load_schema():
    loaded = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
    loaded.app = application
    return loaded


# Loaded at collection (the lazy `from_fixture` loader does not run under pytest 9).
schema = _load_schema()


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module inside a transaction rolled back at its end; each operation's
    test runs in a savepoint of its own (the `db` fixture), so their writes do not add up."""
    # The WSGI handler closes the database connection after each request; Django's test client
    # turns that off, and so must a test that calls the app itself inside a transaction.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            data = api_world()
            data["token"] = issue_token(data["user"])[1]
            yield data
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            signals.request_started.connect(close_old_connections)
            signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@SETTINGS
def test_every_operation_answers_as_documented(case, world, db, settings):
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    prefix = case.operation.path.split("/")[2]
    if "id" in (case.path_parameters or {}) and case.meta and case.meta.generation.mode.is_positive:
        # Valid input names a record that exists (random ids would all be 404s).
        case.path_parameters["id"] = world["ids"].get(prefix, case.path_parameters["id"])
    case.call_and_validate(
        headers={"Authorization": f"Token {world['token']}"},
        excluded_checks=[positive_data_acceptance],
    )
