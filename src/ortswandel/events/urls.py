from django.urls import path

from . import backoffice, views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="event_list"),
    path("reihen/<slug:slug>/", views.series_detail, name="series_detail"),
    path("reihen/<slug:slug>/kalender.ics", views.series_ical, name="series_ical"),
    path("programm/<slug:slug>/kalender.ics", views.programme_ical, name="programme_ical"),
    path("anmeldung/<str:token>/", views.registration_manage, name="registration_manage"),
    path(
        "anmeldung/<str:token>/bestaetigen/",
        views.registration_confirm,
        name="registration_confirm",
    ),
    path("anmeldung/<str:token>/abmelden/", views.registration_cancel, name="registration_cancel"),
    path("anmeldung/<str:token>/kalender.ics", views.registration_ical, name="registration_ical"),
    path("anmeldung/<str:token>/daten.json", views.registration_data, name="registration_data"),
    path("anmeldung/<str:token>/loeschen/", views.registration_erase, name="registration_erase"),
    path("organisation/", backoffice.dashboard, name="organiser_dashboard"),
    path("organisation/statistik/", backoffice.statistics, name="organiser_statistics"),
    path("organisation/<slug:slug>/", backoffice.event_participants, name="organiser_event"),
    path(
        "organisation/<slug:slug>/teilnehmende.<str:fmt>",
        backoffice.event_export,
        name="organiser_export",
    ),
    path("organisation/<slug:slug>/nachricht/", backoffice.event_message, name="organiser_message"),
    path("<slug:slug>/", views.event_detail, name="event_detail"),
    path("<slug:slug>/kalender.ics", views.event_ical, name="event_ical"),
]
