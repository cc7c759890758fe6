"""Application errors raised by services; views and the API turn them into responses."""


class ApplicationError(Exception):
    """A domain rule refused the request; ``fields`` names the inputs at fault."""

    code = "invalid"
    status_code = 400

    def __init__(self, message: str, *, fields: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class NotFoundError(ApplicationError):
    code = "not_found"
    status_code = 404


class ConflictError(ApplicationError):
    code = "conflict"
    status_code = 409
