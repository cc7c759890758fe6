# Fixtures shared with the admin and browser suites, for the upload and CSP tests here.
from tests.admin.conftest import editor, editor_client  # noqa: F401
from tests.browser.conftest import browser, new_context  # noqa: F401
