"""The application's small shared framework, under every app: errors and the one error payload,
the API base, conditional GET, versioned caching, the response cache and the metrics counters.

It imports no app and nothing from the ``settings`` package (``make lint`` checks this); the apps
build on it and ``settings`` composes them.
"""
