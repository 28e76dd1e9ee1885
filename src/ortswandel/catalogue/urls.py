from django.urls import path

from . import feeds, views

app_name = "catalogue"

urlpatterns = [
    path("", views.home, name="home"),
    path("programme/", views.programme_list, name="programme_list"),
    path("programme/<slug:slug>/", views.programme_detail, name="programme_detail"),
    path(
        "programme/<slug:slug>/fehlende-angaben/",
        views.missing_information,
        name="missing_information",
    ),
    path("programme/<slug:programme>/themen/<slug:slug>/", views.theme_detail, name="theme_detail"),
    path("projekte/", views.project_list, name="project_list"),
    path("projekte/<slug:slug>/", views.project_detail, name="project_detail"),
    path("organisationen/<slug:slug>/", views.organisation_detail, name="organisation_detail"),
    path("ergebnisse/", views.result_list, name="result_list"),
    path("ergebnisse/<slug:slug>/", views.result_detail, name="result_detail"),
    path("publikationen/", views.publication_list, name="publication_list"),
    path("publikationen/<slug:slug>/", views.publication_detail, name="publication_detail"),
    path("aktuelles/", views.news_list, name="news_list"),
    path("aktuelles/feed/rss/", feeds.NewsRssFeed(), name="news_feed_rss"),
    path("aktuelles/feed/atom/", feeds.NewsAtomFeed(), name="news_feed_atom"),
    path("aktuelles/<slug:slug>/", views.news_detail, name="news_detail"),
    path("vorschau/<slug:model>/<int:pk>/", views.content_preview, name="preview"),
]
