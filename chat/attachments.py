"""What a chat attachment really is, by its bytes (pure)."""

from marketplace.file_types import DetectedType, detect_document_type

_IMAGE_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", DetectedType("png", "image/png")),
    (b"\xff\xd8\xff", DetectedType("jpg", "image/jpeg")),
    (b"GIF87a", DetectedType("gif", "image/gif")),
    (b"GIF89a", DetectedType("gif", "image/gif")),
)


def detect_image(stream) -> DetectedType | None:
    stream.seek(0)
    head = stream.read(16)
    stream.seek(0)
    for signature, detected in _IMAGE_SIGNATURES:
        if head.startswith(signature):
            return detected
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return DetectedType("webp", "image/webp")
    return None


def detect_attachment(stream, *, message_type: str) -> DetectedType | None:
    """An image for `image` messages; an image or a document (PDF, DOC, DOCX) for `file` messages."""
    image = detect_image(stream)
    if message_type == "image":
        return image
    return image or detect_document_type(stream)
