"""Property: every app's records, and every record named through them, stay inside the reach and
the clearance, for any grants of any role, at dates before and after a reorganisation.

On a random tree (test_scope_property.World) this builds random documents of random
classification, plans registered from some of them with tasks assigned below, inspections of
some documents, conferences and good practices covering some, and an evaluation period; then
the tree is reorganised (moves and merges, which hand work over and move copied paths) and a
user gets random grants (any role, any clearance). The truth is computed here by walking parent
links; the product's lists, details, exports, searches, dashboards (as of a date before and one
after the reorganisation), "Việc của tôi", notifications and change log are then read as that
user. Nothing outside may be named, and nothing classified beyond the user's clearance: a
classified plan's symbol and its tasks' titles show only as their masks.
"""

import datetime
import io

from django.core import mail
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase
from openpyxl import load_workbook
from rest_framework.test import APIClient

from trienkhai.accounts.classified import mask_word
from trienkhai.accounts.models import Grant
from trienkhai.accounts.roles import roles_granting
from trienkhai.accounts.tests.test_scope_property import World, token, token_of
from trienkhai.conferences import actions as conference_actions
from trienkhai.conferences.models import Conference
from trienkhai.core.pagination import MAX_LIMIT
from trienkhai.documents import actions as doc_actions
from trienkhai.evaluations.actions import ratings as rating_actions
from trienkhai.evaluations.actions.periods import create_period
from trienkhai.evaluations.models import Evaluation
from trienkhai.home.queries import log_entries, shown_to
from trienkhai.inspections.actions import inspections as inspection_actions
from trienkhai.inspections.models import Inspection, InspectionKind
from trienkhai.practices import actions as practice_actions
from trienkhai.practices.models import GoodPractice
from trienkhai.tracking import reminders
from trienkhai.tracking.actions import assign as assign_actions
from trienkhai.tracking.actions import plans as plan_actions
from trienkhai.tracking.models import Assignment, Task
from trienkhai.tree.kinds import UnitKind
from trienkhai.units.models import Unit

ISSUED = datetime.date(2022, 1, 1)
HELD = datetime.date(2023, 6, 1)  # conferences, inspections' work: before the reorganisation
BEFORE = datetime.date(2023, 12, 31)  # the reorganisation's operations start on 11/01/2024
AFTER = datetime.date(2025, 3, 1)
DEADLINES = ("quý I/2023", "quý IV/2024")  # overdue before and after, or only after


def dmy(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


class AppWorld(World):
    """Every app's records on the random tree, made before it is reorganised."""

    def __init__(self, data):
        self.draw = data.draw
        self.n = 0
        self._tree()
        self.documents = self._documents()
        self.plans, self.tasks = self._plans()
        self.inspections = self._inspections()
        self.conferences = self._conferences()
        self.practices = self._practices()
        self._evaluations()
        self._reorganise()
        self.user = self._user()
        self.user.email = "nguoi-xem@example.vn"
        self.user.save()

    def _open_units(self):
        return list(Unit.objects.filter(valid_to__isnull=True).order_by("pk"))

    def _below(self, unit):
        return [
            u
            for u in self._open_units()
            if u.path.startswith(unit.path) and u.pk != unit.pk and u.kind != UnitKind.OFFICE
        ]

    def _documents(self):
        units = self._open_units()
        docs = []
        for i in range(self.draw(st.integers(2, 6))):
            self.n += 1
            docs.append(
                doc_actions.register_document(
                    None,
                    symbol=f"9{self.n:04d}-KH/TU",
                    doc_type="ke_hoach" if i % 2 else "ket_luan",
                    issuing_unit=self.draw(st.sampled_from(units)),
                    term="XIII",
                    date=ISSUED,
                    subject=f"Trích yếu {token(self.n)}",
                    classification=self.draw(st.integers(0, 3)),
                )
            )
        return docs

    def _plans(self):
        directives = [d for d in self.documents if d.doc_type == "ket_luan"]
        plans, tasks = [], []
        for doc in self.documents:
            if doc.doc_type != "ke_hoach" or not self.draw(st.booleans()):
                continue
            plan = plan_actions.register_plan(
                None, doc, implements=self.draw(st.sampled_from(directives))
            )
            plans.append(plan)
            for _t in range(self.draw(st.integers(1, 2))):
                self.n += 1
                task = plan_actions.add_task(
                    None,
                    plan,
                    title=f"Nhiệm vụ {token(self.n)}",
                    lead_unit=plan.unit,
                    deadline_text=self.draw(st.sampled_from(DEADLINES)),
                )
                tasks.append(task)
                below = self._below(plan.unit) or [plan.unit]
                chosen = self.draw(st.lists(st.sampled_from(below), min_size=1, max_size=3))
                assign_actions.assign(None, task, units=list(dict.fromkeys(chosen)))
        return plans, tasks

    def _inspections(self):
        out = []
        tops = [u for u in self._open_units() if self._below(u)]
        for _i in range(self.draw(st.integers(0, 2))):
            top = self.draw(st.sampled_from(tops))
            inspected = self.draw(st.lists(st.sampled_from(self._below(top)), min_size=1))
            self.n += 1
            out.append(
                inspection_actions.create_inspection(
                    None,
                    kind=self.draw(st.sampled_from(list(InspectionKind.values))),
                    unit=top,
                    title=f"Kiểm tra {token(self.n)}",
                    directives=self.draw(st.lists(st.sampled_from(self.documents), max_size=2)),
                    inspected_units=list(dict.fromkeys(inspected)),
                    work_from=HELD,
                    planned_on=HELD,
                )
            )
        return out

    def _conferences(self):
        out = []
        units = self._open_units()
        for _c in range(self.draw(st.integers(0, 2))):
            deadline = None
            if self.draw(st.booleans()) and Assignment.objects.exists():
                deadline = self.draw(st.sampled_from(list(Assignment.objects.order_by("pk"))))
                host = deadline.unit
            else:
                host = self.draw(st.sampled_from(units))
            self.n += 1
            out.append(
                conference_actions.record_conference(
                    None,
                    host=host,
                    date=HELD,
                    title=f"Hội nghị {token(self.n)}",
                    format="online",
                    documents=self.draw(
                        st.lists(st.sampled_from(self.documents), min_size=1, max_size=2)
                    ),
                    points=[("Cấp xã", 1)],
                    attendance=[],
                    deadline_assignment=deadline,
                )
            )
        return out

    def _practices(self):
        out = []
        for _p in range(self.draw(st.integers(0, 2))):
            self.n += 1
            out.append(
                practice_actions.record_practice(
                    None,
                    unit=self.draw(st.sampled_from(self._open_units())),
                    title=f"Mô hình {token(self.n)}",
                    description="Cách làm hay",
                    directives=self.draw(st.lists(st.sampled_from(self.documents), max_size=2)),
                    year=2023,
                    source="",
                )
            )
        return out

    def _evaluations(self):
        if not self.draw(st.booleans()):
            return
        period = create_period(None, unit=self.root, year=2023)
        deciders = [u for u in self._open_units() if self._below(u)]
        rating_actions.open_evaluations(None, period, self.draw(st.sampled_from(deciders)))

    # --- the truth, by walking parent links ---------------------------------------------

    def compute(self):
        super().compute()
        grants = list(Grant.objects.filter(user=self.user))
        reporter_units = {g.unit_id for g in grants if g.role in roles_granting("reporter")}
        readable_plan_docs = {p.document_id for p in self.plans} & self.readable_docs
        self.readable_plans = {p.pk for p in self.plans if p.document_id in readable_plan_docs}
        plan_of = {t.pk: t.plan_id for t in self.tasks}
        self.readable_tasks = {t for t, p in plan_of.items() if p in self.readable_plans}
        rows = list(Assignment.objects.values_list("pk", "unit_id", "task_id"))
        self.assignments = {pk: task for pk, _unit, task in rows}
        self.visible_assignments = {pk for pk, unit, _t in rows if unit in self.reach}
        self.my_work = {pk for pk, unit, _t in rows if unit in reporter_units}
        self.visible_inspections = {
            i.pk
            for i in Inspection.objects.prefetch_related("parts")
            if i.unit_id in self.reach
            or i.acting_body_id in self.reach
            or any(p.unit_id in self.reach for p in i.parts.all())
        }
        self.visible_conferences = {
            c.pk for c in Conference.objects.all() if c.host_id in self.reach
        }
        self.visible_practices = {
            p.pk for p in GoodPractice.objects.all() if p.unit_id in self.known_units
        }
        self.visible_evaluations = {
            e.pk
            for e in Evaluation.objects.all()
            if {e.unit_id, e.decider_id, e.reviewer_id} & self.reach
        }
        # A record the user may see names its own parties (an evaluation its unit, decider and
        # reviewer; an assignment who assigned it; an inspection, to its inspecting side, every
        # unit inspected), even where the unit is outside the user's reach (an exact grant, or
        # a reorganisation since). Any other unit outside the reach stays unnamed.
        parties = set()
        for e in Evaluation.objects.filter(pk__in=self.visible_evaluations):
            parties |= {e.unit_id, e.decider_id, e.reviewer_id}
        for i in Inspection.objects.filter(pk__in=self.visible_inspections):
            parties |= {i.unit_id, i.acting_body_id}
            if {i.unit_id, i.acting_body_id} & self.reach:  # the inspecting side sees it whole
                parties |= set(i.parts.values_list("unit_id", flat=True))
        parties |= set(
            Assignment.objects.filter(pk__in=self.visible_assignments).values_list(
                "assigned_by_id", flat=True
            )
        )
        parties |= {p.unit_id for p in self.plans if p.pk in self.readable_plans}
        self.outside_unit_tokens = [
            token_of(u)
            for pk, u in self.units.items()
            if pk not in self.known_units and pk not in parties
        ]
        # Names that must never reach this user, on any surface.
        self.unreadable_symbols = [
            d.symbol for d in self.documents if d.pk not in self.readable_docs
        ]
        self.secret_titles = [
            t.title.split()[-1] for t in self.tasks if t.pk not in self.readable_tasks
        ]
        self.forbidden = (
            self.outside_unit_tokens
            + self.unreadable_doc_tokens
            + self.unreadable_symbols
            + self.secret_titles
            + [
                i.title.split()[-1]
                for i in self.inspections
                if i.pk not in self.visible_inspections
            ]
            + [
                c.title.split()[-1]
                for c in self.conferences
                if c.pk not in self.visible_conferences
            ]
            + [p.title.split()[-1] for p in self.practices if p.pk not in self.visible_practices]
        )
        # The unit whose dashboard and tree are read: the user's first root (None: no grant).
        self.top = min(
            (self.units[g.unit_id] for g in grants if g.unit_id in self.reach),
            key=lambda u: u.path,
            default=None,
        )


def xlsx_text(response) -> str:
    book = load_workbook(io.BytesIO(response.content))
    return repr([row for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)])


class RelatedRecordsStayInside(TestCase):
    @settings(
        max_examples=10,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(st.data())
    def test_every_app_stays_inside_the_reach_and_the_clearance(self, data):
        world = AppWorld(data)
        world.compute()
        self.w = world
        self.api = APIClient()
        self.api.force_authenticate(world.user)
        self.web = Client()
        self.web.force_login(world.user)
        self.check_tracking()
        self.check_dashboards()
        self.check_inspections()
        self.check_conferences_and_practices()
        self.check_evaluations()
        self.check_units_as_of()
        self.check_log()
        self.check_notifications()

    # --- helpers --------------------------------------------------------------------------

    def absent(self, body, where="", echoed=""):
        """No forbidden name in `body` (`echoed`: the search term a page repeats back)."""
        text = body if isinstance(body, str) else repr(body)
        if echoed:
            text = text.replace(f'value="{echoed}"', "").replace(f"q={echoed}", "")
        leaked = [t for t in self.w.forbidden if t in text]
        assert not leaked, f"{where} leaked: {leaked} in {text[:2000]}"

    def page(self, url, params=None, status=200):
        params = params or {}
        response = self.web.get(url, params)
        expected = (200, 404) if status is None else (status,)  # None: what the page decides
        assert response.status_code in expected, (url, response.status_code)
        where = f"{url} {params}"
        if response.get("Content-Type", "").startswith("application/vnd.openxml"):
            self.absent(xlsx_text(response), where)
        else:
            self.absent(response.content.decode(), where, params.get("q", ""))
        return response

    def api_ids(self, url, params=None) -> set:
        """Every id the list gives, page after page (a page holds at most MAX_LIMIT rows)."""
        ids, offset = set(), 0
        while True:
            query = {"limit": MAX_LIMIT, "offset": offset, **(params or {})}
            response = self.api.get(url, query)
            assert response.status_code == 200, (url, response.status_code)
            body = response.json()
            self.absent(body, url)
            ids |= {r["id"] for r in body["results"]}
            if not body.get("next"):
                return ids
            offset += MAX_LIMIT

    def detail(self, url, visible: bool):
        return self.page(url, status=200 if visible else 404)

    # --- tracking ---------------------------------------------------------------------------

    def check_tracking(self):
        w = self.w
        assert self.api_ids("/api/plans/") == w.readable_plans
        assert self.api_ids("/api/tasks/") == w.readable_tasks
        assert self.api_ids("/api/assignments/") == w.visible_assignments
        for task in w.tasks[:2]:
            response = self.api.get(f"/api/tasks/{task.pk}/")
            assert response.status_code == (200 if task.pk in w.readable_tasks else 404)
        self.api_ids("/api/reports/")
        self.page("/tracking/plans/")
        for plan in w.plans:
            self.detail(f"/tracking/plans/{plan.pk}/", plan.pk in w.readable_plans)
        for task in w.tasks:
            self.detail(f"/tracking/tasks/{task.pk}/", task.pk in w.readable_tasks)
        # A few assignment pages of each kind: seen and readable, seen but masked, unseen.
        kinds = {}
        for pk, task in sorted(w.assignments.items()):
            kind = (pk in w.visible_assignments, task in w.readable_tasks)
            kinds.setdefault(kind if kind[0] else (False,), []).append(pk)
        for kind, pks in kinds.items():
            for pk in pks[:2]:
                body = self.detail(f"/tracking/assignments/{pk}/", kind[0])
                if kind == (True, False):
                    assert mask_word(Task, "title") in body.content.decode()
        body = self.page("/tracking/my-work/", {"all": "1"}).content.decode()
        shown = {pk for pk in w.assignments if f"/tracking/assignments/{pk}/" in body}
        assert shown == w.my_work

    def check_dashboards(self):
        """The dashboard of the user's first root, as of a date before and one after the
        reorganisation (page, figures, overdue list, exports); the root's is a 404 unless
        reached."""
        w = self.w
        if self.w.root.pk not in w.reach:
            self.page("/tracking/", {"unit": w.root.pk}, 404)
        if not w.top:
            return
        unit = w.top
        for day in (BEFORE, AFTER):
            self.page("/tracking/", {"unit": unit.pk, "as_of": dmy(day)})
            body = self.api.get("/api/overdue/", {"unit": unit.pk, "as_of": day}).json()
            self.absent(body, "/api/overdue/")
            for row in body["results"]:
                assert row["assignment"] in w.visible_assignments
                readable = row["task"] in w.readable_tasks
                assert (row["task_title"] == mask_word(Task, "title")) is not readable
        for api in ("/api/rollup/", "/api/coverage/"):
            self.absent(self.api.get(api, {"unit": unit.pk, "as_of": AFTER}).json(), api)
        for export in ("overdue", "coverage"):
            self.page("/tracking/", {"unit": unit.pk, "as_of": dmy(AFTER), "export": export})

    # --- inspections, conferences, practices, evaluations ---------------------------------

    def check_inspections(self):
        w = self.w
        assert self.api_ids("/api/inspections/") == w.visible_inspections
        self.page("/inspections/")
        self.page("/inspections/export/")
        self.page("/inspections/programmes/")
        for inspection in w.inspections:
            visible = inspection.pk in w.visible_inspections
            self.detail(f"/inspections/{inspection.pk}/", visible)
            found = self.page("/inspections/", {"q": inspection.title.split()[-1]})
            assert (f"/inspections/{inspection.pk}/" in found.content.decode()) is visible
            if visible:
                self.api.get(f"/api/inspections/{inspection.pk}/")
                edit = self.web.get(f"/inspections/{inspection.pk}/edit/")
                assert edit.status_code in (200, 403)
                self.absent(edit.content.decode())

    def check_conferences_and_practices(self):
        w = self.w
        assert self.api_ids("/api/conferences/") == w.visible_conferences
        assert self.api_ids("/api/practices/") == w.visible_practices
        for url in ("/conferences/", "/practices/"):
            self.page(url)
            self.page(url, {"export": "xlsx"})
        self.page("/conferences/rollup/")
        for conference in w.conferences:
            visible = conference.pk in w.visible_conferences
            self.detail(f"/conferences/{conference.pk}/", visible)
            if visible:
                edit = self.web.get(f"/conferences/{conference.pk}/edit/")
                self.absent(edit.content.decode())
        for practice in w.practices:
            self.detail(f"/practices/{practice.pk}/", practice.pk in w.visible_practices)
            found = self.page("/practices/", {"q": practice.title.split()[-1]})
            shown = f"/practices/{practice.pk}/" in found.content.decode()
            assert shown is (practice.pk in w.visible_practices)

    def check_evaluations(self):
        assert self.api_ids("/api/evaluations/") == self.w.visible_evaluations
        self.api_ids("/api/evaluation-periods/")
        self.page("/evaluations/")
        self.page("/evaluations/distribution/", status=None)
        for pk in self.w.visible_evaluations:
            self.page(f"/evaluations/{pk}/")

    # --- units as of a date, the change log, notifications ---------------------------------

    def check_units_as_of(self):
        for day in (BEFORE, AFTER):
            assert self.api_ids("/api/units/", {"as_of": day}) <= self.w.reach
            if self.w.top:
                url = f"/api/units/{self.w.top.pk}/children/"
                self.absent(self.api.get(url, {"as_of": day}).json(), url)
        self.page("/units/", {"as_of": dmy(BEFORE)})

    def check_log(self):
        entries = shown_to(self.w.user, log_entries(self.w.user))
        self.absent([(e.object_repr, e.unit.name if e.unit else "") for e in entries])
        self.page("/log/")

    def check_notifications(self):
        mail.outbox = []
        reminders.send_reminders(AFTER, days=30)
        self.page("/notifications/")
        for message in mail.outbox:
            self.absent(f"{message.subject}\n{message.body}")
        assert {m.to[0] for m in mail.outbox} <= {self.w.user.email}
