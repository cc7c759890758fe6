"""Small in-memory images for upload tests."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def image_bytes(image_format: str = "PNG", size: tuple[int, int] = (300, 480)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (40, 50, 120)).save(buffer, format=image_format)
    return buffer.getvalue()


def image_upload(
    name: str = "fool.png",
    image_format: str = "PNG",
    size: tuple[int, int] = (300, 480),
    padding: int = 0,
) -> SimpleUploadedFile:
    """An upload named ``name`` holding an image; ``padding`` bytes after it make it bigger."""
    content = image_bytes(image_format, size) + b"\0" * padding
    return SimpleUploadedFile(name, content, content_type=f"image/{image_format.lower()}")
