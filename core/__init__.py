"""The application's small shared framework, under every app: errors and the one error payload,
the API base, conditional GET, versioned caching, the response cache, the metrics counters and
the deck's permission names.

It imports no app and nothing from the ``settings`` package (``make lint`` checks this); the apps
build on it and ``settings`` composes them.
"""
