"""The playbook pages: admins edit moments, templates and channel rules; assistants study it."""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from messaging import rate_limit
from queue_app import access
from queue_app.models import CommunicationMoment, Practice
from templates_lib import forms, reading, services
from templates_lib import sending_rules as sending
from templates_lib.default_playbook import VERIFICATION_FIELDS
from templates_lib.models import ChannelRule, ResponseTemplate, TemplateChannel

PAGE_SIZE = 25


def _admin_practice(user: User, slug: str) -> Practice:
    return access.get_practice_for_user(user, slug, access.PLAYBOOK)


def _moment(practice: Practice, key: str) -> CommunicationMoment:
    return get_object_or_404(
        CommunicationMoment.objects.select_related("practice"), practice=practice, key=key
    )


def _template(practice: Practice, code: UUID) -> ResponseTemplate:
    return get_object_or_404(
        ResponseTemplate.objects.select_related(
            "practice", "moment__practice", "author", "approved_by"
        ),
        practice=practice,
        code=code,
    )


# ---------------------------------------------------------------------------- home and moments


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    kept = access.practices_for(request.user, access.PLAYBOOK).order_by("name")
    studied = access.practices_for(request.user, access.WORK).order_by("name")
    return render(request, "templates_lib/home.html", {"kept": kept, "studied": studied})


@require_GET
@login_required
def moments(request: HttpRequest, slug: str) -> HttpResponse:
    practice = _admin_practice(request.user, slug)
    rows = practice.moments.prefetch_related(
        Prefetch("templates", queryset=ResponseTemplate.objects.exclude(status="retired"))
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for moment in page:
        moment.slots = reading.moment_slots(moment, list(moment.templates.all()))
    return render(request, "templates_lib/moments.html", {"practice": practice, "page": page})


def _moment_page(
    request: HttpRequest, moment: CommunicationMoment, form: forms.MomentForm, status: int = 200
) -> HttpResponse:
    rules = {rule.channel: rule for rule in moment.channel_rules.all()}
    rule_forms = [
        (channel, label, forms.ChannelRuleForm(instance=rules[channel], prefix=channel))
        for channel, label in TemplateChannel.choices
        if channel in rules
    ]
    context = {"practice": moment.practice, "moment": moment, "form": form, "rules": rule_forms}
    return render(request, "templates_lib/moment.html", context, status=status)


@require_GET
@login_required
def moment_detail(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    practice = _admin_practice(request.user, slug)
    moment = _moment(practice, key)
    form = forms.MomentForm(
        initial=forms.MomentForm.initial_for(moment), languages=practice.languages
    )
    return _moment_page(request, moment, form)


@require_POST
@login_required
def moment_update(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    practice = _admin_practice(request.user, slug)
    moment = _moment(practice, key)
    form = forms.MomentForm(request.POST, languages=practice.languages)
    if not form.is_valid():
        return _moment_page(request, moment, form)
    try:
        changed = services.update_moment(
            moment=moment, fields=form.to_fields(moment), actor=request.user, now=timezone.now()
        )
    except services.InvalidPlaybookChange as error:
        for field, message in error.errors.items():
            form.add_error(None, f"{field.replace('_', ' ').capitalize()} {message}.")
        return _moment_page(request, moment, form)
    messages.success(request, "Saved." if changed else "Nothing changed.")
    return redirect("playbook:moment", slug=practice.slug, key=moment.key)


@require_POST
@login_required
def channel_rule_update(request: HttpRequest, slug: str, key: str, channel: str) -> HttpResponse:
    practice = _admin_practice(request.user, slug)
    moment = _moment(practice, key)
    rule = get_object_or_404(ChannelRule, moment=moment, channel=channel)
    form = forms.ChannelRuleForm(request.POST, instance=rule, prefix=channel)
    if not form.is_valid():
        messages.error(request, f"{channel.upper()} rule not saved: {form.errors.as_text()}")
        return redirect("playbook:moment", slug=practice.slug, key=moment.key)
    fields = {name: form.cleaned_data[name] for name in services.RULE_FIELDS}
    rule.refresh_from_db()  # the ModelForm wrote the posted values onto the instance
    services.update_channel_rule(rule=rule, fields=fields, actor=request.user, now=timezone.now())
    messages.success(request, f"{channel.upper()} rule saved.")
    return redirect("playbook:moment", slug=practice.slug, key=moment.key)


@require_http_methods(["GET", "POST"])
@login_required
def sending_rules(request: HttpRequest, slug: str) -> HttpResponse:
    """The practice's quiet hours and limits on automated messages."""
    practice = _admin_practice(request.user, slug)
    if request.method == "GET":
        form = forms.SendingRulesForm(initial=forms.SendingRulesForm.initial_for(practice))
        return _sending_page(request, practice, form)
    form = forms.SendingRulesForm(request.POST)
    if not form.is_valid():
        return _sending_page(request, practice, form)
    try:
        changed = sending.update_sending_rules(
            practice=practice, fields=form.cleaned_data, actor=request.user, now=timezone.now()
        )
    except services.InvalidPlaybookChange as error:
        for field, message in error.errors.items():
            form.add_error(None, f"{field.replace('_', ' ').capitalize()} {message}.")
        return _sending_page(request, practice, form)
    messages.success(request, "Sending rules saved." if changed else "Nothing changed.")
    return redirect("playbook:sending", slug=practice.slug)


def _sending_page(request: HttpRequest, practice: Practice, form) -> HttpResponse:
    context = {"practice": practice, "form": form, "senders": rate_limit.senders(practice)}
    return render(request, "templates_lib/sending.html", context)


# ---------------------------------------------------------------------------- templates


@require_GET
@login_required
def moment_templates(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    practice = _admin_practice(request.user, slug)
    moment = _moment(practice, key)
    versions = list(moment.templates.select_related("author", "approved_by"))
    history = Paginator(versions, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "practice": practice,
        "moment": moment,
        "slots": reading.moment_slots(moment, versions),
        "history": history,
    }
    return render(request, "templates_lib/moment_templates.html", context)


@require_GET
@login_required
def template_new(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    practice = _admin_practice(request.user, slug)
    moment = _moment(practice, key)
    form = forms.NewTemplateForm(initial=request.GET.dict(), languages=practice.languages)
    return render(
        request,
        "templates_lib/template_new.html",
        {"practice": practice, "moment": moment, "form": form},
    )


@require_POST
@login_required
def template_create(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    practice = _admin_practice(request.user, slug)
    moment = _moment(practice, key)
    form = forms.NewTemplateForm(request.POST, languages=practice.languages)
    if form.is_valid():
        try:
            template = services.draft_template(
                moment=moment, **form.cleaned_data, author=request.user, now=timezone.now()
            )
        except services.PlaybookError as error:
            form.add_error("body", str(error))
        else:
            messages.success(request, f"Draft v{template.version} saved.")
            return redirect("playbook:template", slug=practice.slug, code=template.code)
    context = {"practice": practice, "moment": moment, "form": form}
    return render(request, "templates_lib/template_new.html", context)


def _editor_context(request: HttpRequest, template: ResponseTemplate, **extra) -> dict:
    moment = template.moment
    slot_templates = list(
        moment.templates.filter(channel=template.channel, purpose=template.purpose).select_related(
            "author", "approved_by"
        )
    )
    slot = reading.moment_slots(moment, slot_templates)[0]
    approved = slot.approved.get(template.language)
    contributors = services.template_contributors(template)
    form = extra.pop("form", None) or forms.DraftForm(
        initial={"body": template.body, "version_token": services.version_token(template)}
    )
    preview_body = form["body"].value() or ""
    return {
        "practice": template.practice,
        "moment": moment,
        "template": template,
        "form": form,
        "slot": slot,
        "approved": approved,
        "versions": [t for t in slot_templates if t.language == template.language],
        "preview": reading.preview_template(
            body=preview_body,
            language=template.language,
            channel=template.channel,
            purpose=template.purpose,
        ),
        "diff": reading.word_diff(approved.body, template.body)
        if approved and approved.pk != template.pk
        else None,
        "is_contributor": request.user.pk in contributors,
        "saved_lint_errors": reading.preview_template(
            body=template.body,
            language=template.language,
            channel=template.channel,
            purpose=template.purpose,
        ).errors,
        **extra,
    }


@require_GET
@login_required
def template_detail(request: HttpRequest, slug: str, code: UUID) -> HttpResponse:
    practice = _admin_practice(request.user, slug)
    template = _template(practice, code)
    return render(request, "templates_lib/template_editor.html", _editor_context(request, template))


@require_POST
@login_required
def template_save(request: HttpRequest, slug: str, code: UUID) -> HttpResponse:
    practice = _admin_practice(request.user, slug)
    template = _template(practice, code)
    form = forms.DraftForm(request.POST)
    status, extra = 200, {}
    if form.is_valid():
        try:
            services.edit_draft(
                template=template,
                body=form.cleaned_data["body"],
                author=request.user,
                expected_version_token=form.cleaned_data["version_token"],
                now=timezone.now(),
            )
        except services.EditConflict as conflict:
            status = 409
            extra = _conflict_context(conflict)
            template = conflict.current
            form = forms.DraftForm(initial=extra.pop("initial"))
        except services.TemplateNotEditable as error:
            extra = {"action_error": str(error)}
        except services.PlaybookError as error:
            form.add_error("body", str(error))
        else:
            messages.success(request, f"Draft v{template.version} saved.")
            return redirect("playbook:template", slug=practice.slug, code=template.code)
    context = _editor_context(request, template, form=form, **extra)
    return render(request, "templates_lib/template_editor.html", context, status=status)


def _conflict_context(conflict: services.EditConflict) -> dict:
    # The form now carries the current token: saving again is a deliberate choice of "mine".
    return {
        "conflict": conflict,
        "conflict_diff": reading.word_diff(conflict.current.body, conflict.submitted_body),
        "initial": {
            "body": conflict.submitted_body,
            "version_token": services.version_token(conflict.current),
        },
    }


@require_POST
@login_required
def template_new_draft(request: HttpRequest, slug: str, code: UUID) -> HttpResponse:
    practice = _admin_practice(request.user, slug)
    source = _template(practice, code)
    try:
        draft = services.draft_template(
            moment=source.moment,
            language=source.language,
            channel=source.channel,
            purpose=source.purpose,
            body=source.body,
            author=request.user,
            now=timezone.now(),
        )
    except services.PlaybookError as error:
        messages.error(request, str(error))
        return redirect("playbook:template", slug=practice.slug, code=source.code)
    messages.success(request, f"Draft v{draft.version} started from v{source.version}.")
    return redirect("playbook:template", slug=practice.slug, code=draft.code)


@require_POST
@login_required
def template_approve(request: HttpRequest, slug: str, code: UUID) -> HttpResponse:
    practice = _admin_practice(request.user, slug)
    template = _template(practice, code)
    try:
        services.approve_template(template=template, approver=request.user, now=timezone.now())
    except services.PlaybookError as error:
        context = _editor_context(request, template, action_error=str(error))
        return render(request, "templates_lib/template_editor.html", context)
    messages.success(request, f"v{template.version} approved; the previous version was retired.")
    return redirect("playbook:template", slug=practice.slug, code=template.code)


@require_POST
@login_required
def template_retire(request: HttpRequest, slug: str, code: UUID) -> HttpResponse:
    practice = _admin_practice(request.user, slug)
    template = _template(practice, code)
    try:
        services.retire_template(template=template, actor=request.user, now=timezone.now())
    except services.PlaybookError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"v{template.version} retired.")
    return redirect("playbook:template", slug=practice.slug, code=template.code)


@require_GET
@login_required
def template_diff(request: HttpRequest, slug: str, code: UUID) -> HttpResponse:
    practice = _admin_practice(request.user, slug)
    template = _template(practice, code)
    siblings = ResponseTemplate.objects.filter(
        moment=template.moment,
        language=template.language,
        channel=template.channel,
        purpose=template.purpose,
    )
    try:
        against = siblings.filter(code=UUID(request.GET["against"])).first()
    except (KeyError, ValueError):
        against = siblings.filter(version__lt=template.version).order_by("-version").first()
    if against is None:
        raise Http404
    context = {
        "practice": practice,
        "moment": template.moment,
        "template": template,
        "against": against,
        "runs": reading.word_diff(against.body, template.body),
    }
    return render(request, "templates_lib/template_diff.html", context)


@require_POST
@login_required
def preview(request: HttpRequest, slug: str) -> HttpResponse:
    practice = _admin_practice(request.user, slug)
    form = forms.PreviewForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    result = reading.preview_template(**form.cleaned_data)
    context = {"practice": practice, "preview": result, "language": form.cleaned_data["language"]}
    if request.htmx:
        return render(request, "templates_lib/partials/_preview.html", context)
    return render(request, "templates_lib/preview.html", context)


# ---------------------------------------------------------------------------- training


def _study_practice(user: User, slug: str) -> Practice:
    """Assistants study the playbook and admins keep it; anyone else is refused."""
    practice = access.visible_practices(user).filter(slug=slug).first()
    if practice is None:
        raise Http404
    studies = access.user_can(user, practice, access.WORK)
    if not studies and not access.user_can(user, practice, access.PLAYBOOK):
        raise PermissionDenied
    return practice


@require_GET
@login_required
def training(request: HttpRequest, slug: str) -> HttpResponse:
    practice = _study_practice(request.user, slug)
    delegated = practice.moments.filter(delegated=True).prefetch_related(
        Prefetch("templates", queryset=ResponseTemplate.objects.filter(status="approved")),
        Prefetch("channel_rules", queryset=ChannelRule.objects.order_by("channel")),
    )
    lessons = [
        {
            "moment": moment,
            "slots": reading.moment_slots(moment, list(moment.templates.all())),
            "verify": [VERIFICATION_FIELDS.get(f, f) for f in moment.verification_fields],
            "notes": [forms.NOTE_LABELS.get(e, e) for e in moment.note_elements],
            "route": forms.ROUTE_LABELS.get(moment.escalation_route, moment.escalation_route),
            "rules": list(moment.channel_rules.all()),
            "texts": [_lesson_texts(moment, lang) for lang in practice.languages],
        }
        for moment in delegated
    ]
    context = {
        "practice": practice,
        "lessons": lessons,
        "languages": practice.languages,
        "not_delegated": practice.moments.filter(delegated=False).count(),
    }
    return render(request, "templates_lib/training.html", context)


def _lesson_texts(moment: CommunicationMoment, language: str) -> dict[str, str]:
    return {
        "language": language,
        "label": forms.LANGUAGE_LABELS.get(language, language),
        "name": moment.text("name", language),
        "question": moment.text("likely_question", language),
        "checks": moment.text("verification_checks", language),
        "note": moment.text("note_example", language),
        "escalation": moment.text("escalation_point", language),
    }
