"""The mobile API, version 1: mounted at /api/v1/ outside the pages' language prefixes."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.authentication import SessionAuthentication

from accounts.api import (
    LogoutApi,
    MeApi,
    MeExportApi,
    RegisterApi,
    SignOutEverywhereApi,
    TokenObtainApi,
    TokenRefreshApi,
)
from accounts.authentication import CachedUserJWTAuthentication
from core.api.views import ApiDocsPermission, ApiNotFoundView
from readings.api import (
    DailyCardApi,
    DailyCardHistoryApi,
    ReadingCollectionApi,
    ReadingDetailApi,
    ReadingShareApi,
    SharedReadingApi,
)
from tarot.api import CardDetailApi, CardListApi, SpreadDetailApi, SpreadListApi

app_name = "api"

# Staff signed in to the admin can read the docs in production through their session.
DOCS_ACCESS = {
    "authentication_classes": [SessionAuthentication, CachedUserJWTAuthentication],
    "permission_classes": [ApiDocsPermission],
}

urlpatterns = [
    path("auth/register/", RegisterApi.as_view(), name="register"),
    path("auth/token/", TokenObtainApi.as_view(), name="token"),
    path("auth/token/refresh/", TokenRefreshApi.as_view(), name="token-refresh"),
    path("auth/logout/", LogoutApi.as_view(), name="logout"),
    path(
        "auth/sign-out-everywhere/",
        SignOutEverywhereApi.as_view(),
        name="sign-out-everywhere",
    ),
    path("me/", MeApi.as_view(), name="me"),
    path("me/export/", MeExportApi.as_view(), name="me-export"),
    path("cards/", CardListApi.as_view(), name="card-list"),
    path("cards/<slug:slug>/", CardDetailApi.as_view(), name="card-detail"),
    path("spreads/", SpreadListApi.as_view(), name="spread-list"),
    path("spreads/<slug:slug>/", SpreadDetailApi.as_view(), name="spread-detail"),
    path("readings/", ReadingCollectionApi.as_view(), name="reading-list"),
    path("readings/<int:reading_id>/", ReadingDetailApi.as_view(), name="reading-detail"),
    path("readings/<int:reading_id>/share/", ReadingShareApi.as_view(), name="reading-share"),
    path("shared/<slug:token>/", SharedReadingApi.as_view(), name="shared-reading"),
    path("daily-card/", DailyCardApi.as_view(), name="daily-card"),
    path("daily-card/history/", DailyCardHistoryApi.as_view(), name="daily-card-history"),
    path("schema/", SpectacularAPIView.as_view(**DOCS_ACCESS), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema", **DOCS_ACCESS),
        name="docs",
    ),
    # Last: any other path under /api/v1/ is a 404 in the API's error shape, not an HTML page.
    re_path(r"", ApiNotFoundView.as_view(), name="not-found"),
]
