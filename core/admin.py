from django.contrib import admin
from django.utils.html import format_html, urlize
from django.utils.safestring import mark_safe

from core.models import CaughtMail, OutgoingMail


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    list_display = ["id", "template", "to", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "template"]
    search_fields = ["to", "key"]
    readonly_fields = ["key", "message_id", "claimed_at", "sent_at", "created_at", "attempts", "last_error"]
    date_hierarchy = "created_at"


@admin.register(CaughtMail)
class CaughtMailAdmin(admin.ModelAdmin):
    """Mail caught by the development catcher (`make run` with no EMAIL_URL): open one to click its links."""

    list_display = ["received_at", "to", "subject"]
    search_fields = ["to", "subject"]
    fields = ["received_at", "mail_from", "to", "subject", "text_with_links", "html_part", "raw"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    @admin.display(description="Text")
    def text_with_links(self, mail: CaughtMail):
        # urlize escapes the text itself (autoescape) and adds only the <a> tags.
        return format_html('<pre style="white-space: pre-wrap">{}</pre>', mark_safe(urlize(mail.text, autoescape=True)))

    @admin.display(description="HTML")
    def html_part(self, mail: CaughtMail):
        # In a sandboxed frame: the mail's own markup and styles cannot reach the admin page. Links open on top.
        return format_html(
            '<iframe sandbox="allow-popups allow-top-navigation-by-user-activation" srcdoc="{}" '
            'style="width: 100%; height: 480px; border: 1px solid #ccc; background: #fff"></iframe>',
            mail.html,
        )
