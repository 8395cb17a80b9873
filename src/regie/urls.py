"""Regie's URLs: the web interface, the API and authentication."""

from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    path("login", auth_views.LoginView.as_view(), name="login"),
    path("logout", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang", set_language, name="set_language"),
    path("api/v1/", include("regie.api.urls")),
    path("api-tokens/", include("regie.api.token_urls")),
    path("oidc/", include("regie.api.oidc")),
    path("", include("regie.analysis.urls")),
    path("", include("regie.sector.urls")),
    path("", include("regie.interchange.urls")),
    path("", include("regie.policy.urls")),
    path("", include("regie.procurement.urls")),
    path("", include("regie.reports.urls")),
    path("", include("regie.planning.urls")),
    path("", include("regie.reference.urls")),
    path("", include("regie.web.urls")),
]
