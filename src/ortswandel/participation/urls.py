from django.urls import URLPattern, URLResolver, path

from . import survey_views, views

app_name = "participation"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.process_list, name="process_list"),
    path("abmelden/<str:token>/", views.unfollow, name="unfollow"),
    path("meine-beitraege/", views.my_contributions, name="my_contributions"),
    path("<slug:slug>/", views.process_detail, name="process"),
    path("<slug:slug>/mitmachen/", views.process_join, name="join"),
    path("<slug:slug>/folgen/", views.follow, name="follow"),
    path("<slug:slug>/ideen/neu/", views.idea_create, name="idea_create"),
    path("<slug:slug>/ideen/<int:pk>/", views.idea_detail, name="idea"),
    path("<slug:slug>/ideen/<int:pk>/bearbeiten/", views.idea_edit, name="idea_edit"),
    path("<slug:slug>/ideen/<int:pk>/abstimmen/", views.idea_vote, name="idea_vote"),
    path("<slug:slug>/ideen/<int:pk>/kommentieren/", views.idea_comment, name="idea_comment"),
    path("<slug:slug>/ideen/<int:pk>/melden/", views.report, name="report"),
    path("<slug:slug>/phasen/<int:phase_id>/", views.phase_detail, name="phase"),
    path("<slug:slug>/phasen/<int:phase_id>/ergebnisse.csv", views.phase_csv, name="phase_csv"),
    path("<slug:slug>/ergebnisse/", views.results, name="results"),
    path("<slug:slug>/abschlussbericht/", views.final_report, name="final_report"),
    path("<slug:slug>/abschlussbericht.pdf", views.final_report_pdf, name="final_report_pdf"),
    path("<slug:slug>/moderation/", views.moderation, name="moderation"),
    path("<slug:slug>/moderation/ergebnisse/", views.outcome_add, name="outcome_add"),
    path(
        "<slug:slug>/moderation/ergebnisse/<int:pk>/", views.outcome_status, name="outcome_status"
    ),
    path("<slug:slug>/moderation/bericht/", views.report_publish, name="report_publish"),
    path("<slug:slug>/moderation/codes/", views.codes_create, name="codes_create"),
    path("<slug:slug>/moderation/ideen/<int:pk>/", views.moderate_idea, name="moderate_idea"),
    path(
        "<slug:slug>/moderation/kommentare/<int:pk>/",
        views.moderate_comment,
        name="moderate_comment",
    ),
]

# Survey editor in the process back office (survey_views).
_SURVEYS = "<slug:slug>/moderation/umfragen/"
urlpatterns += [
    path(_SURVEYS, survey_views.survey_list, name="survey_list"),
    path(_SURVEYS + "<int:phase_id>/", survey_views.survey_edit, name="survey_edit"),
    path(_SURVEYS + "<int:phase_id>/vorschau/", survey_views.survey_preview, name="survey_preview"),
    path(_SURVEYS + "<int:phase_id>/fragen/", survey_views.question_add, name="question_add"),
    path(
        _SURVEYS + "<int:phase_id>/fragen/<int:pk>/",
        survey_views.question_edit,
        name="question_edit",
    ),
    path(
        _SURVEYS + "<int:phase_id>/fragen/<int:pk>/verschieben/",
        survey_views.question_move,
        name="question_move",
    ),
    path(
        _SURVEYS + "<int:phase_id>/fragen/<int:pk>/entfernen/",
        survey_views.question_remove,
        name="question_remove",
    ),
]
