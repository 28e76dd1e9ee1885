from django.urls import URLPattern, URLResolver

app_name = "newsletter"

urlpatterns: list[URLPattern | URLResolver] = []
