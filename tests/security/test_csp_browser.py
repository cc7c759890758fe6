"""Every kind of page under the Content-Security-Policy in headless Chromium: the site (with
its flip animation and forms), the Django admin (including the spread layout preview script)
and the Swagger UI. Any blocked script, style or image shows up as a CSP violation or a console
error, and fails the test."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tarot.models import Card, Spread
from tests.accounts.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs before any page script: collects what the policy blocked, even from the page's own JS.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


def record_console(problems: list[str], message) -> None:
    # A failed load is recorded with its URL by the response handler.
    if message.type == "error" and not message.text.startswith("Failed to load resource"):
        problems.append(f"console: {message.text}")


@pytest.fixture
def watched_page(new_context):
    page = new_context().new_page()
    problems = []
    page.add_init_script(RECORD_VIOLATIONS)
    page.on("console", lambda message: record_console(problems, message))
    page.on(
        "response",
        lambda response: (
            response.status >= 400 and problems.append(f"{response.status} {response.url}")
        ),
    )
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))

    def visit(url: str, *, ready: str = "body"):
        response = page.goto(url)
        assert response.status < 400, (url, response.status)
        page.wait_for_selector(ready)
        page.wait_for_load_state("networkidle")
        check(url)

    def check(where: str):
        violations = page.evaluate("window.__cspViolations")
        assert violations == [], (where, violations)
        assert problems == [], (where, problems)

    page.visit = visit
    page.check_clean = check
    return page


@pytest.fixture
def superuser(seeded_deck):
    return get_user_model().objects.create_superuser("boss@example.com", PASSWORD)


def test_site_pages_run_under_the_policy_without_a_violation(watched_page, live_server, superuser):
    site = live_server.url
    page = watched_page
    for path in ("/", "/cards/", "/cards/the-fool/", "/daily/", "/en/cards/"):
        page.visit(site + path)

    page.visit(site + reverse("readings:new"))
    page.locator("textarea[name=question], input[name=question]").first.fill("CSP?")
    page.get_by_role("button", name="카드 뽑기").click()
    page.wait_for_url("**/s/**")
    page.wait_for_load_state("networkidle")
    page.check_clean("the drawn reading")

    page.visit(site + reverse("accounts:login"))
    page.locator("input[name=username]").fill("boss@example.com")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form.stack button[type=submit]").click()
    page.wait_for_url(site + "/")
    page.check_clean("after signing in")
    page.visit(site + reverse("readings:new"))
    page.get_by_role("button", name="카드 뽑기").click()
    page.wait_for_url("**/readings/*/?drawn=1")
    page.wait_for_load_state("networkidle")
    page.check_clean("the signed-in reading")
    page.locator("form[action$='/share/'] button[type=submit]").first.click()
    page.wait_for_load_state("networkidle")
    page.check_clean("the reading after sharing")
    for path in ("/journal/", "/daily/", "/accounts/preferences/"):
        page.visit(site + path)


def test_the_admin_runs_under_the_policy_without_a_violation(watched_page, live_server, superuser):
    site = live_server.url
    page = watched_page
    page.visit(site + reverse("admin:login"))
    page.locator("input[name=username]").fill("boss@example.com")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_url(site + reverse("admin:index"))
    page.check_clean("the admin index")

    fool = Card.objects.get(slug="the-fool")
    cross = Spread.objects.get(slug="celtic-cross")
    for path in (
        reverse("admin:tarot_card_changelist"),
        reverse("admin:tarot_card_change", args=[fool.pk]),
        reverse("admin:tarot_deck_changelist"),
        reverse("admin:tarot_deck_import"),
        reverse("admin:accounts_user_changelist"),
        reverse("admin:tarot_spread_change", args=[cross.pk]),
    ):
        page.visit(site + path, ready="#content")
    # The layout preview script redraws the drawing as a position moves.
    drawn_box = page.locator("svg.spread-layout").get_attribute("viewBox")
    first_x = page.locator("tr.form-row:not(.empty-form) input[name$='-x']").first
    first_x.fill("9")
    first_x.dispatch_event("input")
    page.wait_for_function(
        "(drawn) => document.querySelector('svg.spread-layout').getAttribute('viewBox') !== drawn",
        arg=drawn_box,
    )
    page.check_clean("the spread layout preview")


def test_the_swagger_ui_renders_under_the_policy(watched_page, live_server, settings, db):
    settings.API_DOCS_PUBLIC = True
    page = watched_page

    page.visit(live_server.url + reverse("api:docs"), ready=".swagger-ui .info .title")

    assert "Tarot Master API" in page.locator(".swagger-ui .info .title").inner_text()
    assert page.locator(".opblock").count() > 10
