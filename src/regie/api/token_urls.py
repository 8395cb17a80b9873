"""URLs of the personal API token page, mounted at /api-tokens/."""

from django.urls import path

from . import views

app_name = "api-tokens"

urlpatterns = [
    path("", views.tokens_page, name="tokens"),
    path("<int:token_id>/revoke", views.token_revoke_view, name="token-revoke"),
]
