from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from queue_app.access import WORK, practices_for


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    practices = practices_for(request.user, WORK)
    return render(request, "queue_app/queue.html", {"practices": practices})
