"""The campaign pages: list, write, preview, approve, send, pause and report (managers and
admins)."""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from campaigns import audience, forms, recurrence, report, services
from campaigns.access import get_campaign_for_user, get_practice_for_campaigns
from campaigns.models import Campaign
from queue_app import access
from queue_app.audit import record_access
from queue_app.views.common import AuthedRequest, practice_home


@login_required
@require_GET
def home(request: AuthedRequest) -> HttpResponse:
    return practice_home(
        request,
        permission=access.MANAGE,
        practice_url="campaigns:list",
        template="campaigns/home.html",
    )


@login_required
@require_GET
def campaign_list(request: AuthedRequest, slug: str) -> HttpResponse:
    practice = get_practice_for_campaigns(request.user, slug)
    # A recurring campaign's occurrences are listed on its report, not here.
    campaigns = Campaign.objects.filter(practice=practice, parent=None).select_related("author")
    campaigns = campaigns[:200]
    record_access(request, action="campaign_list", practice=practice)
    return render(request, "campaigns/list.html", {"practice": practice, "campaigns": campaigns})


@login_required
@require_http_methods(["GET", "POST"])
def new(request: AuthedRequest, slug: str) -> HttpResponse:
    practice = get_practice_for_campaigns(request.user, slug)
    if request.method == "GET":
        return _form_page(request, forms.CampaignForm(practice=practice), None)
    form = forms.CampaignForm(request.POST, request.FILES, practice=practice)
    if not form.is_valid():
        return _form_page(request, form, None)
    try:
        campaign = services.create_campaign(
            practice=practice, fields=form.cleaned_data, actor=request.user, now=timezone.now()
        )
    except services.CampaignError as error:
        return _form_page(request, _with_errors(form, error), None)
    messages.success(request, "Campaign saved. Another manager or admin must approve it.")
    return redirect("campaigns:campaign", slug=practice.slug, code=campaign.code)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: AuthedRequest, slug: str, code: UUID) -> HttpResponse:
    campaign = get_campaign_for_user(request.user, slug, code)
    practice = campaign.practice
    if request.method == "GET":
        initial = forms.CampaignForm.initial_for(campaign)
        form = forms.CampaignForm(initial=initial, practice=practice, campaign=campaign)
        return _form_page(request, form, campaign)
    form = forms.CampaignForm(request.POST, request.FILES, practice=practice, campaign=campaign)
    if not form.is_valid():
        return _form_page(request, form, campaign)
    try:
        services.update_campaign(
            campaign=campaign, fields=form.cleaned_data, actor=request.user, now=timezone.now()
        )
    except services.CampaignError as error:
        return _form_page(request, _with_errors(form, error), campaign)
    messages.success(request, "Saved. It needs approval again before it can be sent.")
    return redirect("campaigns:campaign", slug=practice.slug, code=campaign.code)


def _with_errors(form: forms.CampaignForm, error: services.CampaignError):
    for field, message in error.errors.items():
        form.add_error(field if field in form.fields else None, message)
    return form


def _form_page(request: AuthedRequest, form, campaign: Campaign | None) -> HttpResponse:
    context = {"practice": form.practice, "form": form, "campaign": campaign}
    return render(request, "campaigns/form.html", context)


@login_required
@require_GET
def campaign(request: AuthedRequest, slug: str, code: UUID) -> HttpResponse:
    """The campaign with its preview: who will get it, who will not and why."""
    campaign = get_campaign_for_user(request.user, slug, code)
    now = timezone.now()
    context = {
        "practice": campaign.practice,
        "campaign": campaign,
        "next_due": recurrence.next_due(campaign, now) if campaign.is_recurring else None,
        "preview": audience.preview(campaign, now),
        "reasons": audience.REASONS,
        "may_approve": campaign.status == Campaign.Status.DRAFT
        and campaign.author_id != request.user.pk,
    }
    record_access(request, action="campaign_preview", practice=campaign.practice, obj=campaign)
    return render(request, "campaigns/campaign.html", context)


@login_required
@require_POST
def approve(request: AuthedRequest, slug: str, code: UUID) -> HttpResponse:
    campaign = get_campaign_for_user(request.user, slug, code)
    form = forms.ApproveForm(request.POST)
    try:
        if not form.is_valid():
            raise services.CampaignError({"version": "Reload the campaign and approve again."})
        services.approve_campaign(
            campaign=campaign,
            version=form.cleaned_data["version"],
            actor=request.user,
            now=timezone.now(),
        )
    except services.CampaignError as error:
        messages.warning(request, str(error))
    else:
        messages.success(request, "Approved. It can be sent now.")
    return redirect("campaigns:campaign", slug=slug, code=campaign.code)


@login_required
@require_POST
def send(request: AuthedRequest, slug: str, code: UUID) -> HttpResponse:
    campaign = get_campaign_for_user(request.user, slug, code)
    try:
        services.start_sending(campaign=campaign, actor=request.user, now=timezone.now())
    except services.CampaignError as error:
        messages.warning(request, str(error))
        return redirect("campaigns:campaign", slug=slug, code=campaign.code)
    if campaign.is_recurring:
        messages.success(request, "It repeats from now: each send goes to the group as it is then.")
    else:
        messages.success(request, "Sending has started. Each patient gets it once.")
    return redirect("campaigns:report", slug=slug, code=campaign.code)


@login_required
@require_POST
def pause(request: AuthedRequest, slug: str, code: UUID) -> HttpResponse:
    campaign = get_campaign_for_user(request.user, slug, code)
    try:
        services.pause_campaign(campaign=campaign, actor=request.user, now=timezone.now())
    except services.CampaignError as error:
        messages.warning(request, str(error))
    else:
        messages.success(request, "Paused: no send starts until it is resumed.")
    return redirect("campaigns:campaign", slug=slug, code=campaign.code)


@login_required
@require_POST
def resume(request: AuthedRequest, slug: str, code: UUID) -> HttpResponse:
    campaign = get_campaign_for_user(request.user, slug, code)
    try:
        services.resume_campaign(campaign=campaign, actor=request.user, now=timezone.now())
    except services.CampaignError as error:
        messages.warning(request, str(error))
    else:
        messages.success(request, "Resumed: the next send goes at its time.")
    return redirect("campaigns:campaign", slug=slug, code=campaign.code)


@login_required
@require_GET
def campaign_report(request: AuthedRequest, slug: str, code: UUID) -> HttpResponse:
    campaign = get_campaign_for_user(request.user, slug, code)
    context = {
        "practice": campaign.practice,
        "campaign": campaign,
        "report": report.campaign_report(campaign),
        "occurrences": report.occurrence_reports(campaign) if campaign.is_recurring else [],
    }
    record_access(request, action="campaign_report", practice=campaign.practice, obj=campaign)
    return render(request, "campaigns/report.html", context)
