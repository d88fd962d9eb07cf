from django.contrib import admin, messages
from django.utils.html import format_html, format_html_join, urlize
from django.utils.safestring import mark_safe

from core.mail.tasks import send_failed_again
from core.models import CaughtMail, OutgoingMail


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    """Every mail Kazi sent or is sending, read only: the send task owns the state (core/mail/sending.py)."""

    list_display = ["id", "template", "to", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "template"]
    search_fields = ["to", "key"]
    date_hierarchy = "created_at"
    fields = [
        "key",
        "to",
        "template",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "claimed_at",
        "next_attempt_at",
        "sent_at",
        "message_id",
        "unsubscribe_url",
        "context",
        "attachment_list",
    ]
    readonly_fields = fields
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="Attachments")
    def attachment_list(self, mail: OutgoingMail):
        # Names and types only: the stored content is base64, too long to show.
        return format_html_join(
            mark_safe("<br>"), "{} ({})", ((item["filename"], item["mimetype"]) for item in mail.attachments)
        )

    @admin.action(description="Send the selected failed mails again")
    def send_again(self, request, queryset):
        count = send_failed_again(mail_ids=list(queryset.values_list("id", flat=True)))
        self.message_user(request, f"{count} failed mail(s) queued again.", messages.SUCCESS)


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
