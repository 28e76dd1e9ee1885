"""Admin of the newsletter (site admins): subscriptions (addresses are personal data and are
shown nowhere else), suppressed addresses (hashed), the digest schedule per programme. Issues
are composed in the editors' pages (``/newsletter/redaktion/``)."""

from __future__ import annotations

from django.contrib import admin

from .models import Issue, ProgrammeNewsletter, Subscription, SuppressedAddress


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ("email", "topic_kind", "topic_key", "status", "language", "is_demo")
    list_filter = ("status", "topic_kind", "is_demo")
    search_fields = ("email",)
    readonly_fields = ("address_hash", "topic_key", "created_at", "confirmed_at")
    raw_id_fields = ("programme", "theme", "municipality", "user")


@admin.register(SuppressedAddress)
class SuppressedAddressAdmin(admin.ModelAdmin):
    list_display = ("address_hash", "reason", "created_at")
    list_filter = ("reason",)


@admin.register(ProgrammeNewsletter)
class ProgrammeNewsletterAdmin(admin.ModelAdmin):
    list_display = ("programme", "digest", "last_digest_at")


@admin.register(Issue)
class IssueAdmin(admin.ModelAdmin):
    list_display = ("subject", "programme", "kind", "status", "sent_at")
    list_filter = ("status", "kind", "programme")
    readonly_fields = ("status", "send_started_at", "sent_at", "unsubscribed_count")
    filter_horizontal = ("news", "events", "results")
