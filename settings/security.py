"""Browser security policy and login brute-force protection, the same in every environment.

Imported at the end of settings/base.py, so development and the test suite run under the policy
production serves and a page that breaks it fails there first. settings/production.py adds
what only makes sense behind TLS (HSTS, secure cookies, the HTTPS redirect).

- Content-Security-Policy (django-csp 4, ``csp.middleware.CSPMiddleware``): scripts only from
  this origin or with the request's nonce (``{{ request.csp_nonce }}``), never inline
  otherwise; no plugins, no framing, forms post only here.
- Permissions-Policy (settings/security_headers.py): the browser features no page uses are off.
- django-axes: a username (the email) from one client address is locked out for 30 minutes
  after 5 failed sign-ins, on the site, the admin and the API token endpoint; a successful sign-in
  clears the count (accounts/lockout.py answers the lockout).
"""

import datetime

from csp.constants import NONCE, NONE, SELF

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        # Swagger UI draws its icons from data: URIs; card art is served from this origin.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# The same list nginx sends (deploy/nginx), so the app is as strict when reached directly.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), microphone=(), payment=(), usb=()"
)

# Brute-force protection: username and client address together, so an attacker can neither
# lock a victim out from elsewhere nor keep guessing one account from one address.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The site and admin forms post "username" (the email); the API posts "email". Both are
# normalised the way accounts are looked up, so a change of letter case is the same account.
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "accounts.lockout.username_from_credentials"
# The client address as the API's throttling sees it (API_NUM_PROXIES trusted proxies).
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_address"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
# Only failures are kept: no table of every sign-in's address and browser.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
