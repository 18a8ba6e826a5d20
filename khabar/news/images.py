"""Pictures made locally with Pillow, for demo content and tests (nothing is downloaded)."""

from __future__ import annotations

import io
import random

from django.core.files.images import ImageFile
from PIL import Image, ImageDraw

PALETTES = [
    ((32, 58, 96), (214, 168, 92)),
    ((74, 38, 30), (230, 196, 140)),
    ((22, 84, 74), (236, 220, 180)),
    ((60, 60, 72), (200, 90, 70)),
    ((98, 70, 40), (140, 180, 210)),
]


def picture_bytes(seed: int, width: int = 1600, height: int = 900, fmt: str = "JPEG") -> bytes:
    """A landscape-like picture: sky gradient, hills and a sun, different for every seed."""
    rng = random.Random(seed)
    sky, land = rng.choice(PALETTES)
    image = Image.new("RGB", (width, height), sky)
    draw = ImageDraw.Draw(image)
    for y in range(0, height, 6):  # vertical gradient, cheap to draw
        shade = tuple(min(255, int(c + (y / height) * 90)) for c in sky)
        draw.rectangle([0, y, width, y + 6], fill=shade)
    radius = max(8, height // rng.randint(10, 20))
    sun_x, sun_y = rng.randint(radius, width - radius), rng.randint(radius, max(radius + 1, height // 3))
    draw.ellipse([sun_x - radius, sun_y - radius, sun_x + radius, sun_y + radius], fill=(250, 226, 160))
    for layer in range(3):
        base = int(height * (0.55 + layer * 0.13))
        points = [(0, height)]
        for x in range(0, width + 80, 80):
            points.append((x, base + rng.randint(-60, 40)))
        points.append((width, height))
        colour = tuple(max(0, int(c * (1 - layer * 0.25))) for c in land)
        draw.polygon(points, fill=colour)
    buffer = io.BytesIO()
    image.save(buffer, fmt, quality=82)
    return buffer.getvalue()


def make_news_image(
    title: str, *, alt_text: str, credit: str, caption: str = "", seed: int = 0, collection=None, size=(1600, 900)
):
    from khabar.core.models import NewsImage

    data = picture_bytes(seed, *size)
    image = NewsImage(title=title, alt_text=alt_text, credit=credit, caption=caption)
    if collection is not None:
        image.collection = collection
    image.file = ImageFile(io.BytesIO(data), name=f"khabar-{seed}.jpg")
    image.save()
    return image
