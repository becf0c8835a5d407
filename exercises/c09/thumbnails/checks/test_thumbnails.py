"""Checks for c09-thumbnails: an image pipeline with Pillow (content sniffing, decompression
bombs, EXIF orientation and stripping, thumbnails).

Each check names the brief's numbered requirements it covers (@pytest.mark.req). The app runs
with MAX_IMAGE_PIXELS = 1,000,000 and MAX_CONTENT_LENGTH = 512 KiB."""
import io
import os

import pytest
from PIL import Image

from flask_tutor_pytest import about, expect_header, expect_json, expect_status

pytestmark = pytest.mark.app_config(MAX_IMAGE_PIXELS=1_000_000, MAX_CONTENT_LENGTH=512 * 1024)

SECRET_MAKE = "SecretCamMaker"
SECRET_MODEL = "SerialX-4242"


def _image(size, fmt, orientation=None, exif=True, mode="RGB"):
    image = Image.new(mode, size, (200, 30, 30) if mode == "RGB" else 1)
    if mode == "RGB":  # a blue band on the left, so a wrong rotation shows
        image.paste((30, 30, 200), (0, 0, max(1, size[0] // 4), size[1]))
    params = {}
    if exif:
        tags = image.getexif()
        tags[0x010F] = SECRET_MAKE  # Make
        tags[0x0110] = SECRET_MODEL  # Model
        if orientation:
            tags[0x0112] = orientation
        params["exif"] = tags.tobytes()
    out = io.BytesIO()
    image.save(out, fmt, **params)
    return out.getvalue()


def _post(client, data, filename="photo.jpg", content_type="image/jpeg"):
    return client.post("/api/images", data={"file": (io.BytesIO(data), filename, content_type)},
                       content_type="multipart/form-data")


def _upload(client, data, filename="photo.jpg", content_type="image/jpeg", what="a valid image"):
    response = _post(client, data, filename, content_type)
    return expect_json(response, status=201, msg=f"POST /api/images with {what} ({filename}, {content_type}).")


def _stored(app):
    folder = app.config["UPLOAD_FOLDER"]
    found = []
    for root, _, files in os.walk(folder):
        found += files
    return found


def _fetch(client, url, what):
    response = client.get(url)
    expect_status(response, 200, msg=f"GET {url} ({what}).")
    try:
        image = Image.open(io.BytesIO(response.data))
        image.load()
    except Exception as e:
        pytest.fail(f"GET {url} ({what}) should answer an image, Pillow could not read it: {e}")
    return response, image


@pytest.mark.req(1)
def test_upload_answer(client):
    """POST /api/images answers 201 with id, format, width, height and urls"""
    data = _upload(client, _image((300, 200), "JPEG", exif=False))
    assert isinstance(data.get("id"), str) and data["id"], f'the answer should hold an "id" string, got {data!r}'
    base = "/api/images/" + data["id"]
    expected = {"id": data["id"], "format": "JPEG", "width": 300, "height": 200,
                "urls": {"original": base, "small": base + "/small", "medium": base + "/medium"}}
    assert data == expected, f"a 300x200 JPEG should answer {expected!r}, got {data!r}"


@pytest.mark.req(2)
def test_png_detected_by_content(client):
    """A PNG named notes.txt with text/plain is accepted as PNG"""
    with about(hint="Ask Pillow what the file is (`Image.open(file.stream).format`), never the name or the Content-Type."):
        data = _upload(client, _image((40, 30), "PNG", exif=False), "notes.txt", "text/plain",
                       what="a real PNG image whose name and Content-Type say text")
    assert data.get("format") == "PNG", f'the file is a PNG whatever its name says: "format" should be "PNG", got {data.get("format")!r}'


@pytest.mark.req(2)
@pytest.mark.parametrize("case", ["text named photo.jpg", "truncated JPEG", "JPEG cut in its pixel data", "GIF image"])
def test_refused_by_content(app, client, case):
    """Not a complete JPEG/PNG by content: 415, nothing stored"""
    if case == "text named photo.jpg":
        payload = b"<?php system($_GET['c']); ?> this is not an image" * 3
    elif case == "truncated JPEG":
        payload = _image((400, 300), "JPEG", exif=False)[:600]
    elif case == "JPEG cut in its pixel data":  # the header is whole: only decoding every pixel finds it
        whole = _image((400, 300), "JPEG", exif=False)
        payload = whole[: len(whole) * 2 // 3]
    else:
        payload = _image((40, 30), "GIF", exif=False)
    response = _post(client, payload, "photo.jpg", "image/jpeg")
    with about(hint="Trust only what Pillow decodes: `Image.open()`, check `image.format`, then `image.load()` "
                    "(a truncated file fails there); catch `UnidentifiedImageError`/`OSError` and answer 415."):
        expect_json(response, status=415, msg=f"POST /api/images with a {case} (named photo.jpg, sent as image/jpeg): the content decides, not the name.")
    assert _stored(app) == [], f"nothing should be stored for a refused upload, found {_stored(app)}"


@pytest.mark.req(3)
def test_missing_or_empty_file(client):
    """No file field, or an empty file: 400"""
    response = client.post("/api/images", data={"other": "x"}, content_type="multipart/form-data")
    expect_json(response, status=400, msg='POST /api/images without the field "file".')
    response = _post(client, b"", "empty.png", "image/png")
    expect_json(response, status=400, msg="POST /api/images with an empty file.")


@pytest.mark.req(4)
def test_decompression_bomb(app, client):
    """More pixels than MAX_IMAGE_PIXELS: 413 before decoding; exactly the limit is allowed"""
    bomb = _image((1500, 1000), "PNG", exif=False, mode="1")  # 1.5 million pixels in a few hundred bytes
    response = _post(client, bomb, "small.png", "image/png")
    with about(hint="Compare `image.width * image.height` with `current_app.config[\"MAX_IMAGE_PIXELS\"]` right after "
                    "`Image.open()` (which reads only the header), before decoding anything."):
        expect_json(response, status=413, msg=f"a {len(bomb)}-byte PNG of 1500x1000 = 1,500,000 pixels is more than MAX_IMAGE_PIXELS (1,000,000).")
    assert _stored(app) == [], f"nothing should be stored for a refused upload, found {_stored(app)}"
    _upload(client, _image((1000, 1000), "PNG", exif=False, mode="1"), "limit.png", "image/png",
            what="a PNG of exactly MAX_IMAGE_PIXELS pixels (1000x1000)")


@pytest.mark.req(4)
def test_body_too_large(client):
    """A body above MAX_CONTENT_LENGTH: 413"""
    response = _post(client, os.urandom(600 * 1024), "big.png", "image/png")
    expect_status(response, 413, msg="a 600 KiB request is above MAX_CONTENT_LENGTH (512 KiB).")


@pytest.mark.req(5)
def test_exif_orientation_applied(client):
    """A JPEG with Orientation 6 is stored upright (1200x600 becomes 600x1200)"""
    data = _upload(client, _image((1200, 600), "JPEG", orientation=6), what="a 1200x600 JPEG with EXIF Orientation 6")
    with about(hint="Turn the photo upright with `ImageOps.exif_transpose(image)` before saving and measuring it."):
        assert (data.get("width"), data.get("height")) == (600, 1200), (
            f"Orientation 6 means the camera was turned: the upright image is 600x1200, the answer said "
            f"{data.get('width')}x{data.get('height')}"
        )
        _, original = _fetch(client, data["urls"]["original"], "the stored original")
        assert original.size == (600, 1200), f"the stored image should be upright, 600x1200, it is {original.size[0]}x{original.size[1]}"
        left = original.getpixel((300, 50))
        assert left[2] > left[0], "the stored image is turned the wrong way: the blue band should be at the top after Orientation 6"


@pytest.mark.req(6)
@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_metadata_stripped(client, fmt):
    """The stored image keeps its format and has no EXIF metadata"""
    data = _upload(client, _image((300, 200), fmt), "upload." + fmt.lower(), "image/" + fmt.lower(),
                   what=f"a {fmt} with EXIF Make/Model tags")
    response, image = _fetch(client, data["urls"]["original"], "the stored original")
    expect_header(response, "Content-Type", "image/" + fmt.lower())
    assert image.format == fmt, f"the stored image should still be a {fmt}, it is a {image.format}"
    with about(hint="Never write the upload's metadata back: `upright.info = {}` before `save()` (and pass no `exif=`)."):
        assert SECRET_MAKE.encode() not in response.data and SECRET_MODEL.encode() not in response.data, (
            f"the stored {fmt} still holds the uploader's EXIF (camera make {SECRET_MAKE!r}, model {SECRET_MODEL!r}): "
            "EXIF kept: strip every metadata before saving"
        )
        assert not dict(image.getexif()), f"the stored {fmt} should carry no EXIF tags, it has {dict(image.getexif())!r}"


@pytest.mark.req(7)
def test_thumbnails(client):
    """small and medium fit 128 and 512 boxes, keep the ratio, same format, no EXIF"""
    data = _upload(client, _image((1200, 600), "JPEG", orientation=6), what="a 1200x600 JPEG with Orientation 6")
    for size, box, expected in (("small", 128, (64, 128)), ("medium", 512, (256, 512))):
        url = data["urls"].get(size, "/api/images/%s/%s" % (data.get("id"), size))
        response, thumb = _fetch(client, url, f"the {size} thumbnail")
        assert thumb.format == "JPEG", f"the {size} thumbnail of a JPEG should be a JPEG, it is a {thumb.format}"
        with about(hint="`thumb = upright.copy(); thumb.thumbnail((box, box))` keeps the ratio; make it from the upright image."):
            assert abs(thumb.size[0] - expected[0]) <= 1 and thumb.size[1] == expected[1], (
                f"the {size} thumbnail of the upright 600x1200 image should fit {box}x{box} as {expected[0]}x{expected[1]}, "
                f"it is {thumb.size[0]}x{thumb.size[1]}"
            )
        assert SECRET_MAKE.encode() not in response.data, f"the {size} thumbnail still holds the upload's EXIF (EXIF kept)"


@pytest.mark.req(7)
def test_thumbnails_never_enlarged(client):
    """An image smaller than the box keeps its size"""
    data = _upload(client, _image((300, 150), "PNG", exif=False), "small.png", "image/png", what="a 300x150 PNG")
    _, small = _fetch(client, data["urls"]["small"], "the small thumbnail")
    assert small.size[0] == 128 and abs(small.size[1] - 64) <= 1, f"small should be 128x64, it is {small.size[0]}x{small.size[1]}"
    assert small.format == "PNG", f"the thumbnail of a PNG should be a PNG, it is a {small.format}"
    _, medium = _fetch(client, data["urls"]["medium"], "the medium thumbnail")
    with about(hint="`Image.thumbnail()` never enlarges; `resize()` does: keep an image smaller than the box as it is."):
        assert medium.size == (300, 150), f"a 300x150 image fits in 512x512: medium should stay 300x150, it is {medium.size[0]}x{medium.size[1]}"


@pytest.mark.req(8)
def test_unknown_id_or_size(client):
    """Unknown id or size: 404"""
    expect_status(client.get("/api/images/" + "0" * 32), 404)
    expect_status(client.get("/api/images/" + "0" * 32 + "/small"), 404)
    data = _upload(client, _image((60, 40), "PNG", exif=False), "a.png", "image/png")
    expect_status(client.get("/api/images/%s/large" % data["id"]), 404, msg="large is not a thumbnail size.")
    expect_status(client.get("/api/images/%s/..%%2F..%%2Fsecret" % data["id"]), 404)
