from django.urls import URLPattern, URLResolver, path

from . import views, views_jury

app_name = "calls"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.call_list, name="call_list"),
    path("meine/", views.my_applications, name="my_applications"),
    path("jury/einladung/<str:token>/", views_jury.jury_accept, name="jury_accept"),
    path("bewerbung/<int:pk>/", views.application_detail, name="application_detail"),
    path("bewerbung/<int:pk>/bewerbung.pdf", views.application_pdf, name="application_pdf"),
    path("bewerbung/<int:pk>/bearbeiten/", views.application_edit, name="application_edit"),
    path(
        "bewerbung/<int:pk>/zurueckziehen/", views.application_withdraw, name="application_withdraw"
    ),
    path("bewerbung/<int:pk>/anlagen/", views.attachment_upload, name="attachment_upload"),
    path("anlage/<int:pk>/loeschen/", views.attachment_delete, name="attachment_delete"),
    path("bewerbung/<int:pk>/befangen/", views_jury.conflict_declare, name="conflict_declare"),
    path("bewerbung/<int:pk>/bewertung/", views_jury.review, name="review"),
    path("bewerbung/<int:pk>/entscheidung/", views_jury.decide, name="decide"),
    path("bewerbung/<int:pk>/notiz/", views_jury.note, name="note"),
    path("<slug:slug>/", views.call_detail, name="call_detail"),
    path("<slug:slug>/bewerben/", views.application_start, name="application_start"),
    path("<slug:slug>/jury/", views_jury.jury_dashboard, name="jury_dashboard"),
    path("<slug:slug>/sitzung/", views_jury.meeting, name="meeting"),
    path("<slug:slug>/verwaltung/", views_jury.manage, name="manage"),
    path("<slug:slug>/foerderung/", views_jury.funding, name="funding"),
    path(
        "<slug:slug>/foerderung/zuwendungen.xlsx", views_jury.funding_export, name="funding_export"
    ),
    path(
        "<slug:slug>/foerderung/foerderzusagen.zip", views_jury.grant_letters, name="grant_letters"
    ),
    path(
        "<slug:slug>/foerderung/foerderzusage-<int:pk>.pdf",
        views_jury.grant_letter,
        name="grant_letter",
    ),
]
