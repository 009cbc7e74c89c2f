"""One evaluation: its page (steps, flags, change log) and the form of each step.

A step's form posts to its action; a refusal (wrong level for the score, cap reached without a
reason, a stale version) is shown on the field it names and changes nothing.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from trienkhai.accounts.classified import readable_log
from trienkhai.accounts.models import Role
from trienkhai.accounts.scope import reaches_unit
from trienkhai.core.actions import ActionError, StaleEdit
from trienkhai.core.forms import form_error
from trienkhai.core.queries import history_for
from trienkhai.evaluations import queries, rules
from trienkhai.evaluations.actions import ratings as rating_actions
from trienkhai.evaluations.forms import (
    DecisionForm,
    NotifyForm,
    ReturnForm,
    ReviewForm,
    SelfRatingForm,
)
from trienkhai.evaluations.models import Evaluation, Level, State


def evaluation_or_404(user, pk) -> Evaluation:
    ev = queries.get_evaluation(user, pk)
    if ev is None:
        raise Http404
    return ev


def permissions(user, ev: Evaluation) -> dict:
    can_decide = reaches_unit(user, ev.decider, Role.COORDINATOR)
    reviews = can_decide or reaches_unit(user, ev.reviewer, Role.COORDINATOR)
    return {
        "can_self": ev.state in (State.OPEN, State.RETURNED, State.SELF_RATED)
        and reaches_unit(user, ev.unit, Role.REPORTER),
        "can_review": ev.state in (State.SELF_RATED, State.REVIEWED) and reviews,
        "can_return": ev.state in (State.SELF_RATED, State.REVIEWED) and reviews,
        "can_decide": ev.state in (State.REVIEWED, State.DECIDED) and can_decide,
        "can_notify": ev.state == State.DECIDED and can_decide,
    }


def _with_flags(ev: Evaluation) -> Evaluation:
    return queries.attach_flags([ev], queries.default_as_of(ev.period))[0]


def _detail(request, ev: Evaluation, *, return_form=None, status=200):
    return render(
        request,
        "evaluations/detail.html",
        {
            "ev": ev,
            "period": ev.period,
            "cap": queries.visible_cap_status(request.user, ev.period, ev.decider),
            "history": readable_log(request.user, history_for(ev)[:50]),
            "notify_form": NotifyForm(
                initial={"notified_on": timezone.localdate(), "version": ev.version}
            ),
            "return_form": return_form or ReturnForm(initial={"version": ev.version}),
            **permissions(request.user, ev),
        },
        status=status,
    )


@login_required
@require_GET
def detail(request, pk):
    return _detail(request, _with_flags(evaluation_or_404(request.user, pk)))


def _conflict_items(current: dict) -> list[tuple[str, str]]:
    fields = {f.attname: f for f in Evaluation._meta.concrete_fields}
    shown = []
    for key, value in current.items():
        field = fields.get(key)
        if field is None or value in (None, "", []) or field.is_relation:
            continue
        if key in ("id", "version", "created_at"):
            continue
        if field.choices:
            value = dict(field.flatchoices).get(value, value)
        elif isinstance(value, list):
            value = "; ".join(str(v) for v in value)
        shown.append((str(field.verbose_name), str(value)))
    return shown


def _step(request, pk, *, step, form_class, allowed, initial, call, title):
    user = request.user
    ev = _with_flags(evaluation_or_404(user, pk))
    if not permissions(user, ev)[allowed]:
        raise PermissionDenied
    form = form_class(request.POST or None, initial=initial(ev), period=ev.period)
    conflict, cap_blocked = None, None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            call(user, ev, data)
        except StaleEdit as exc:
            form_error(form, exc)
            conflict = _conflict_items(exc.current)
            post = request.POST.copy()
            post["version"] = exc.current["version"]
            form.data = post
        except rating_actions.CapBlocked as exc:
            form_error(form, exc)
            cap_blocked = exc.status
        except ActionError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Đã lưu."))
            return redirect("evaluations-detail", pk=ev.pk)
    return render(
        request,
        "evaluations/step_form.html",
        {
            "ev": ev,
            "period": ev.period,
            "form": form,
            "step": step,
            "title": title,
            "conflict": conflict,
            "cap": queries.visible_cap_status(user, ev.period, ev.decider),
            "cap_blocked": cap_blocked,
            "thresholds": [
                (Level(Level.EXCELLENT).label, ev.period.excellent_min),
                (Level(Level.GOOD).label, ev.period.good_min),
                (Level(Level.COMPLETE).label, ev.period.complete_min),
            ],
        },
        # Someone saved first: 409 with their values; other refusals show on the form (200).
        status=409 if conflict else 200,
    )


def _common(data) -> dict:
    return {
        "general": data["general"],
        "results": data["results"],
        "level": data["level"],
        "disqualifiers": data.get("disqualifiers") or [],
        "expected_version": data["version"],
    }


@login_required
@require_http_methods(["GET", "POST"])
def self_rating(request, pk):
    def initial(ev):
        return {
            "general": ev.self_general,
            "results": ev.self_results,
            "level": ev.self_level,
            "disqualifiers": ev.self_disqualifiers,
            "on_time_percent": ev.on_time_percent,
            "exceeded_percent": ev.exceeded_percent,
            "narrative": ev.self_narrative,
            "members_excellent": ev.members_excellent,
            "members_good": ev.members_good,
            "members_complete": ev.members_complete,
            "members_not_complete": ev.members_not_complete,
            "members_not_rated": ev.members_not_rated,
            "rated_on": ev.self_rated_on or timezone.localdate(),
            "version": ev.version,
        }

    def call(user, ev, data):
        members = {
            key: data[f"members_{key}"]
            for key in ("excellent", "good", "complete", "not_complete", "not_rated")
        }
        rating_actions.self_rate(
            user,
            ev,
            **_common(data),
            on_time_percent=data["on_time_percent"],
            exceeded_percent=data["exceeded_percent"],
            narrative=data["narrative"],
            members=members,
            rated_on=data["rated_on"],
        )

    return _step(
        request,
        pk,
        step="self",
        form_class=SelfRatingForm,
        allowed="can_self",
        initial=initial,
        call=call,
        title=gettext_lazy("Tự đánh giá, xếp loại"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def review(request, pk):
    def initial(ev):
        return {
            "general": ev.review_general if ev.review_general is not None else ev.self_general,
            "results": ev.review_results if ev.review_results is not None else ev.self_results,
            "level": ev.review_level or ev.self_level,
            "disqualifiers": ev.review_disqualifiers or ev.self_disqualifiers,
            "on_time_percent": ev.on_time_percent,
            "exceeded_percent": ev.exceeded_percent,
            "narrative": ev.review_narrative,
            "reviewed_on": ev.reviewed_on or timezone.localdate(),
            "version": ev.version,
        }

    def call(user, ev, data):
        rating_actions.review(
            user,
            ev,
            **_common(data),
            on_time_percent=data["on_time_percent"],
            exceeded_percent=data["exceeded_percent"],
            narrative=data["narrative"],
            reviewed_on=data["reviewed_on"],
        )

    return _step(
        request,
        pk,
        step="review",
        form_class=ReviewForm,
        allowed="can_review",
        initial=initial,
        call=call,
        title=gettext_lazy("Thẩm định, đề xuất xếp loại"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def decide(request, pk):
    def initial(ev):
        return {
            "general": ev.final_general if ev.final_general is not None else ev.review_general,
            "results": ev.final_results if ev.final_results is not None else ev.review_results,
            "level": ev.decided_level or ev.review_level,
            "disqualifiers": ev.decided_disqualifiers or ev.review_disqualifiers,
            "note": ev.decision_note,
            "override_reason": ev.cap_override_reason,
            "decided_on": ev.decided_on or timezone.localdate(),
            "version": ev.version,
        }

    def call(user, ev, data):
        rating_actions.decide(
            user,
            ev,
            **_common(data),
            note=data["note"],
            override_reason=data["override_reason"],
            decided_on=data["decided_on"],
        )

    return _step(
        request,
        pk,
        step="decide",
        form_class=DecisionForm,
        allowed="can_decide",
        initial=initial,
        call=call,
        title=gettext_lazy("Quyết định xếp loại"),
    )


@login_required
@require_http_methods(["POST"])
def notify(request, pk):
    user = request.user
    ev = evaluation_or_404(user, pk)
    if not permissions(user, ev)["can_notify"]:
        raise PermissionDenied
    form = NotifyForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, errors[0])
        return redirect("evaluations-detail", pk=ev.pk)
    try:
        rating_actions.notify(
            user,
            ev,
            notified_on=form.cleaned_data["notified_on"],
            expected_version=form.cleaned_data["version"],
        )
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Đã thông báo kết quả “%(level)s” đến %(unit)s.")
            % {"level": rules.label(ev.decided_level), "unit": ev.unit.name},
        )
    return redirect("evaluations-detail", pk=ev.pk)


@login_required
@require_http_methods(["POST"])
def return_to_organisation(request, pk):
    """The reviewing body or the decider sends the evaluation back; a refusal is shown on the
    page's return form (answered 200, like the step forms) and changes nothing."""
    user = request.user
    ev = evaluation_or_404(user, pk)
    if not permissions(user, ev)["can_return"]:
        raise PermissionDenied
    form = ReturnForm(request.POST)
    stale = False
    if form.is_valid():
        try:
            rating_actions.return_to_organisation(
                user,
                ev,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except StaleEdit as exc:
            # The page below shows the evaluation as now stored; a new post uses its version.
            stale = True
            form_error(form, exc)
            post = request.POST.copy()
            post["version"] = exc.current["version"]
            form.data = post
            ev = evaluation_or_404(user, pk)
            if not permissions(user, ev)["can_return"]:
                # The form is no longer offered: say why the post was refused above the page.
                messages.error(request, exc.message)
        except ActionError as exc:
            form_error(form, exc)
        else:
            messages.success(
                request, _("Đã trả lại bản đánh giá cho %(unit)s.") % {"unit": ev.unit.name}
            )
            return redirect("evaluations-detail", pk=ev.pk)
    return _detail(request, _with_flags(ev), return_form=form, status=409 if stale else 200)
