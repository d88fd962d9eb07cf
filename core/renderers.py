from rest_framework.renderers import BaseRenderer


class CSVRenderer(BaseRenderer):
    """Lets a client that asks for text/csv reach a CSV view: the view streams its own body; only an error
    (a dict) comes through here, written as `field: message` lines."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if isinstance(data, dict):
            return "\n".join(f"{key}: {value}" for key, value in data.items()).encode()
        return str(data).encode()
