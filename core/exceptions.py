"""Domain errors raised by services, and their mapping to the contract's status codes."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.views import exception_handler


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the current state."
    default_code = "conflict"


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The upload is too large."
    default_code = "too_large"


def api_exception_handler(exc, context):
    # Services raise Django's ValidationError so they stay usable outside DRF
    # (admin, commands, consumers); the API answers it as a 400.
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            errors = exc.message_dict
            if set(errors) == {"detail"}:
                # The contract's shape for a message that is about no one field: {"detail": "..."}.
                errors = {"detail": " ".join(errors["detail"])}
            exc = exceptions.ValidationError(errors)
        else:
            exc = exceptions.ValidationError({"detail": exc.messages[0] if len(exc.messages) == 1 else exc.messages})
    elif (
        isinstance(exc, exceptions.ValidationError)
        and isinstance(exc.detail, list)
        and all(isinstance(message, str) for message in exc.detail)
    ):
        # DRF answers a bare ["message"] for errors raised outside a serializer (a NUL in ?search=, say):
        # give it the contract's {"detail": "..."} shape.
        exc = exceptions.ValidationError({"detail": " ".join(exc.detail)})
    return exception_handler(exc, context)
