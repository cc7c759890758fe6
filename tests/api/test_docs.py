"""The OpenAPI schema and Swagger UI: valid, complete, offline, staff-only when asked."""

import pytest
from django.core.management import call_command

from tests.accounts.factories import UserFactory
from tests.api.conftest import error_of
from tests.subprocesses import PRODUCTION_ENVIRONMENT, run_python

pytestmark = pytest.mark.django_db

EXPECTED_OPERATIONS = {
    ("post", "/api/v1/auth/register/"),
    ("post", "/api/v1/auth/token/"),
    ("post", "/api/v1/auth/token/refresh/"),
    ("post", "/api/v1/auth/logout/"),
    ("post", "/api/v1/auth/sign-out-everywhere/"),
    ("get", "/api/v1/me/"),
    ("patch", "/api/v1/me/"),
    ("delete", "/api/v1/me/"),
    ("get", "/api/v1/me/export/"),
    ("get", "/api/v1/cards/"),
    ("get", "/api/v1/cards/{slug}/"),
    ("get", "/api/v1/spreads/"),
    ("get", "/api/v1/spreads/{slug}/"),
    ("get", "/api/v1/readings/"),
    ("post", "/api/v1/readings/"),
    ("get", "/api/v1/readings/{reading_id}/"),
    ("patch", "/api/v1/readings/{reading_id}/"),
    ("delete", "/api/v1/readings/{reading_id}/"),
    ("post", "/api/v1/readings/{reading_id}/share/"),
    ("delete", "/api/v1/readings/{reading_id}/share/"),
    ("get", "/api/v1/shared/{token}/"),
    ("get", "/api/v1/daily-card/"),
    ("get", "/api/v1/daily-card/history/"),
}


@pytest.fixture
def schema(anon_client):
    response = anon_client.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def test_the_schema_validates_without_warnings(tmp_path):
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml")
    )


def test_the_schema_documents_every_operation_and_its_errors(schema):
    operations = {
        (method, path): operation
        for path, item in schema["paths"].items()
        for method, operation in item.items()
    }

    assert set(operations) == EXPECTED_OPERATIONS
    for (method, path), operation in operations.items():
        assert {"401", "429"} <= set(operation["responses"]), (method, path)
        if "{" in path:
            assert "404" in operation["responses"], (method, path)
        if "requestBody" in operation:
            assert "400" in operation["responses"], (method, path)
    assert "requestBody" in operations[("delete", "/api/v1/me/")]
    assert "304" in operations[("get", "/api/v1/cards/")]["responses"]
    assert schema["components"]["schemas"]["ReadingCreateRequest"]["additionalProperties"] is False


def test_swagger_ui_is_served_from_local_static_files(anon_client):
    page = anon_client.get("/api/v1/docs/")
    script = anon_client.get("/api/v1/docs/?script=")

    assert page.status_code == 200
    html = page.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    assert "cdn." not in html and "unpkg" not in html
    assert "/api/v1/schema/" in script.content.decode()


def test_docs_are_staff_only_when_not_public(settings, anon_client, client, user_client):
    settings.API_DOCS_PUBLIC = False
    staff = UserFactory(is_staff=True)
    client.force_login(staff)

    anonymous = anon_client.get("/api/v1/docs/")
    not_staff = user_client.get("/api/v1/schema/?format=json")

    assert anonymous.status_code in (401, 403)
    assert not_staff.status_code == 403
    assert error_of(not_staff)["code"] == "permission_denied"
    assert client.get("/api/v1/docs/").status_code == 200
    assert client.get("/api/v1/schema/").status_code == 200


def test_production_keeps_the_docs_for_staff_and_staging_shows_them():
    probe = (
        "import django; from django.conf import settings; django.setup(); "
        "print(settings.API_DOCS_PUBLIC)"
    )
    results = {}
    for module in ("settings.production", "settings.staging"):
        completed = run_python(
            ["-c", probe], settings_module=module, environment=PRODUCTION_ENVIRONMENT
        )
        assert completed.returncode == 0, completed.stderr
        results[module] = completed.stdout.strip()

    assert results == {"settings.production": "False", "settings.staging": "True"}
