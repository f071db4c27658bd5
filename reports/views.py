from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from queue_app.access import MANAGE, get_practice_for_user
from queue_app.audit import record_access
from queue_app.models import Practice
from queue_app.views.common import PAGE_SIZE, AuthedRequest, practice_home, query_without
from reports import coaching, metrics, presentation, services, weeks
from reports import drilldown as drill_down
from reports.exports import csv_text
from reports.forms import DecisionForm, RebuildForm

UNRESOLVED_SHOWN = 10


def _language(request: AuthedRequest, practice: Practice) -> str | None:
    language = request.GET.get("language") or None
    return language if language in practice.languages else None


def _last_finished_week(practice: Practice) -> date:
    return weeks.monday_of(practice=practice, instant=timezone.now()) - timedelta(weeks=1)


def _week_context(practice: Practice, week: date) -> dict:
    """What every page of a practice's week shows and links to: its days, the weeks beside."""
    return {
        "practice": practice,
        "week": week,
        "week_end": week + timedelta(days=6),
        "previous_week": week - timedelta(weeks=1),
        "next_week": week + timedelta(weeks=1),
    }


@login_required
@require_GET
def scorecard_home(request: AuthedRequest) -> HttpResponse:
    return practice_home(
        request,
        permission=MANAGE,
        practice_url="reports:scorecard-practice",
        template="reports/home.html",
    )


@login_required
@require_GET
def scorecard_practice(request: AuthedRequest, slug: str) -> HttpResponse:
    practice = get_practice_for_user(request.user, slug, MANAGE)
    try:
        week = weeks.parse_iso_week(request.GET["week"])
    except (KeyError, ValueError):
        week = _last_finished_week(practice)
    url = reverse("reports:scorecard", kwargs={"slug": practice.slug, "week": week})
    language = _language(request, practice)
    return redirect(f"{url}?language={language}" if language else url)


def _scorecard_context(request: AuthedRequest, practice: Practice, week: date) -> dict:
    language = _language(request, practice)
    now = timezone.now()
    data, snapshot = services.scorecard_for(
        practice=practice, week=week, language=language, now=now
    )
    history = services.trend(practice=practice, week=week, language=language, now=now)
    return _week_context(practice, week) | {
        "language": language,
        "data": data,
        "metrics": data["metrics"],
        "snapshot": snapshot,
        "summary": presentation.summary_rows(data, history),
        "by_language": presentation.breakdown(data, "language"),
        "by_moment": presentation.breakdown(data, "moment"),
        "by_channel": presentation.breakdown(data, "channel"),
        "definitions": metrics.DEFINITIONS,
        "rebuild_form": RebuildForm(),
    }


@login_required
@require_GET
def scorecard(request: AuthedRequest, slug: str, week: date) -> HttpResponse:
    practice = get_practice_for_user(request.user, slug, MANAGE)
    context = _scorecard_context(request, practice, week)
    return render(request, "reports/scorecard.html", context)


@login_required
@require_GET
def scorecard_csv(request: AuthedRequest, slug: str, week: date) -> HttpResponse:
    practice = get_practice_for_user(request.user, slug, MANAGE)
    language = _language(request, practice)
    data, snapshot = services.scorecard_for(
        practice=practice, week=week, language=language, now=timezone.now()
    )
    record_access(request, action="scorecard_export", practice=practice, obj=snapshot)
    response = HttpResponse(csv_text(data), content_type="text/csv; charset=utf-8")
    name = f"scorecard-{practice.slug}-{data['iso_week']}-{language or 'all'}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def scorecard_build(request: AuthedRequest, slug: str, week: date) -> HttpResponse:
    practice = get_practice_for_user(request.user, slug, MANAGE)
    form = RebuildForm(request.POST)
    now = timezone.now()
    snapshot = services.current_snapshot(practice=practice, week=week)
    try:
        if snapshot is None:
            services.build_weekly_scorecard(
                practice=practice, week=week, now=now, actor=request.user
            )
            messages.success(request, "This week's snapshot is stored.")
        elif form.is_valid():
            services.rebuild_weekly_scorecard(
                scorecard=snapshot, reason=form.cleaned_data["reason"], now=now, actor=request.user
            )
            messages.success(request, "Rebuilt. The previous snapshot is kept, marked superseded.")
    except services.ScorecardError as exc:
        messages.error(request, str(exc))
    return redirect("reports:scorecard", slug=practice.slug, week=week)


@login_required
@require_GET
def drilldown(request: AuthedRequest, slug: str, week: date, metric: str) -> HttpResponse:
    practice = get_practice_for_user(request.user, slug, MANAGE)
    if metric not in drill_down.DRILL_METRICS:
        raise Http404
    filters = {key: request.GET[key] for key in drill_down.DRILL_KEYS if request.GET.get(key)}
    try:
        rows = drill_down.drilldown(
            practice=practice, week=week, metric=metric, filters=filters, now=timezone.now()
        )
    except ValueError as exc:  # a malformed template code in the query string
        raise Http404 from exc
    appointments = drill_down.is_appointment_metric(metric)
    rows = rows.select_related("patient", *(() if appointments else ("moment", "owner")))
    rows = rows.order_by("starts_at" if appointments else "received_at", "pk")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    record_access(
        request,
        action="scorecard_drilldown",
        practice=practice,
        patient_ids=[row.patient_id for row in page],
    )
    context = {
        "practice": practice,
        "week": week,
        "metric": metric,
        "filters": filters,
        "page": page,
        "appointments": appointments,
        "filter_query": query_without(request.GET, "page"),
        "tz": practice.timezone,
    }
    return render(request, "reports/drilldown.html", context)


def _quality_context(request: AuthedRequest, practice: Practice, week: date) -> dict:
    now = timezone.now()
    data, snapshot = services.scorecard_for(practice=practice, week=week, now=now)
    unresolved = (
        drill_down.drilldown(
            practice=practice, week=week, metric="open_at_end", filters={}, now=now
        )
        .select_related("moment", "patient", "owner")
        .order_by("received_at", "pk")[:UNRESOLVED_SHOWN]
    )
    return _week_context(practice, week) | {
        "data": data,
        "metrics": data["metrics"],
        "snapshot": snapshot,
        "unresolved": list(unresolved),
        "documentation": services.documentation_issues(practice=practice, week=week),
        "decisions": services.decisions_with_status(practice=practice, week=week),
        "definitions": metrics.DEFINITIONS,
        "tz": practice.timezone,
    }


def _render_quality(
    request: AuthedRequest, practice: Practice, week: date, form: DecisionForm
) -> HttpResponse:
    context = _quality_context(request, practice, week) | {"form": form}
    record_access(
        request,
        action="quality_loop_view",
        practice=practice,
        patient_ids=[item.patient_id for item in context["unresolved"]],
    )
    return render(request, "reports/quality_loop.html", context)


@login_required
@require_GET
def quality_loop(request: AuthedRequest, slug: str, week: date) -> HttpResponse:
    practice = get_practice_for_user(request.user, slug, MANAGE)
    return _render_quality(request, practice, week, DecisionForm(practice=practice))


@login_required
@require_POST
def decision_create(request: AuthedRequest, slug: str, week: date) -> HttpResponse:
    practice = get_practice_for_user(request.user, slug, MANAGE)
    form = DecisionForm(request.POST, practice=practice)
    if form.is_valid():
        moment, template = form.cleaned_data["playbook_item"]
        services.record_quality_decision(
            practice=practice,
            week=week,
            text=form.cleaned_data["text"],
            moment=moment,
            template=template,
            actor=request.user,
            now=timezone.now(),
        )
        if not request.htmx:
            messages.success(request, "Decision recorded.")
            return redirect("reports:quality-loop", slug=practice.slug, week=week)
        form = DecisionForm(practice=practice)
    elif not request.htmx:
        return _render_quality(request, practice, week, form)
    context = {
        "practice": practice,
        "week": week,
        "form": form,
        "decisions": services.decisions_with_status(practice=practice, week=week),
    }
    return render(request, "reports/quality_loop.html#decisions", context)


@login_required
@require_GET
def coaching_week(request: AuthedRequest, slug: str, week: date) -> HttpResponse:
    practice = get_practice_for_user(request.user, slug, MANAGE)
    people = coaching.coaching_week(practice=practice, week=week, now=timezone.now())
    record_access(request, action="coaching_view", practice=practice, detail=weeks.iso_week(week))
    context = _week_context(practice, week) | {"people": people}
    return render(request, "reports/coaching.html", context)
