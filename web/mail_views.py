"""The notification settings page and the one-click unsubscribe of notification mail (RFC 8058)."""

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from notifications import mailing
from web.access import page


@page()
def notification_settings(request):
    return render(request, "web/notification_settings.html", {"digest_minutes": settings.KAZI_EMAIL_DIGEST_MINUTES})


# No login and no CSRF token: a mail client POSTs `List-Unsubscribe=One-Click` to this URL on its own (RFC 8058),
# and the signed token in the URL is the whole authority. GET only shows the question, since link scanners and
# previews fetch URLs without a person clicking.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    claims = mailing.unsubscribe_read(token)
    if claims is None:
        return render(request, "web/unsubscribe.html", {"invalid": True}, status=404)
    if request.method == "GET":
        return render(request, "web/unsubscribe.html", {"what": mailing.kind_label(claims[1])})
    applied = mailing.unsubscribe_apply(token=token)
    if applied is None:
        return render(request, "web/unsubscribe.html", {"invalid": True}, status=404)
    return render(request, "web/unsubscribe.html", {"what": mailing.kind_label(applied[0]), "done": True})
