"""Checks for f2-file-upload. Each check names the brief's numbered requirements it covers."""
import io
import os

import pytest

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
MIB = 1024 * 1024


@pytest.fixture
def folder(app, tmp_path):
    """A temporary UPLOAD_FOLDER, a few levels deep so that "../.." stays inside tmp_path."""
    path = tmp_path / "site" / "data" / "uploads"
    path.mkdir(parents=True)
    app.config["UPLOAD_FOLDER"] = str(path)
    app.config["WTF_CSRF_ENABLED"] = False
    return path


def _files_under(root):
    return sorted(
        os.path.relpath(os.path.join(d, f), str(root)).replace(os.sep, "/")
        for d, _, files in os.walk(str(root))
        for f in files
    )


def _upload(client, filename, content=PNG):
    return client.post(
        "/upload", data={"file": (io.BytesIO(content), filename)}, content_type="multipart/form-data"
    )


def _expect_created(response, folder, content, what):
    assert response.status_code == 201, "Uploading %s should answer 201 Created." % what
    assert response.is_json, "The upload should answer JSON, not %r." % response.content_type
    name = (response.get_json() or {}).get("filename")
    assert isinstance(name, str) and name, 'The answer should be {"filename": "<saved name>"}; got %r.' % (
        response.get_json(),
    )
    assert "/" not in name and "\\" not in name and ".." not in name, (
        "The saved name %r should be a plain file name (use secure_filename): save the file under "
        "secure_filename(its name) and answer that same name. UPLOAD_FOLDER holds %r."
        % (name, _files_under(folder) if folder.is_dir() else [])
    )
    saved = folder / name
    assert saved.is_file(), "%s should be saved in UPLOAD_FOLDER as %r; the folder holds %r." % (
        what,
        name,
        _files_under(folder),
    )
    assert saved.read_bytes() == content, "The saved file %r should hold exactly the uploaded bytes." % name
    return name


def _expect_error(response, status, what):
    assert response.status_code == status, "%s should answer %s." % (what, status)
    assert response.is_json, "%s should answer a JSON error, not %r." % (what, response.content_type)
    data = response.get_json()
    assert isinstance(data, dict) and data.get("error"), '%s should answer {"error": "..."}; got %r.' % (what, data)


@pytest.mark.req(1)
def test_png_upload_is_saved(client, folder):
    """POST /upload with a PNG answers 201 with its filename and saves it in UPLOAD_FOLDER"""
    name = _expect_created(_upload(client, "cat.png"), folder, PNG, "cat.png")
    assert name.lower().endswith(".png"), "The saved name %r should keep its .png extension." % name


@pytest.mark.req(1)
def test_missing_upload_folder_is_created(app, client, tmp_path):
    """The first upload creates UPLOAD_FOLDER when it does not exist yet"""
    missing = tmp_path / "fresh" / "uploads"
    app.config["UPLOAD_FOLDER"] = str(missing)
    app.config["WTF_CSRF_ENABLED"] = False
    _expect_created(_upload(client, "first.png"), missing, PNG, "first.png")


@pytest.mark.req(2)
def test_other_image_types_are_accepted(client, folder):
    """jpg, jpeg and gif uploads are accepted too, whatever the case of the extension"""
    for filename in ("photo.jpg", "scan.jpeg", "anim.gif", "PHOTO.JPG"):
        _expect_created(_upload(client, filename, PNG + filename.encode()), folder, PNG + filename.encode(), filename)


@pytest.mark.req(3)
def test_other_types_are_refused(client, folder):
    """Files that are not png/jpg/jpeg/gif answer 400 with a JSON error and are not saved"""
    for filename in ("notes.txt", "shell.php", "image.png.exe", "README"):
        _expect_error(_upload(client, filename, b"not an image"), 400, "Uploading %s" % filename)
    assert _files_under(folder) == [], "Refused files must not be saved; UPLOAD_FOLDER holds %r." % _files_under(
        folder
    )


@pytest.mark.req(4)
def test_missing_file_is_400(client, folder):
    """POST /upload without a file answers 400 with a JSON error"""
    _expect_error(client.post("/upload", data={}, content_type="multipart/form-data"), 400, "POST /upload without a file")
    _expect_error(_upload(client, ""), 400, "POST /upload with an empty filename")


@pytest.mark.req(5)
def test_too_large_is_413(client, folder):
    """A file over 1 MiB answers 413 with a JSON error; a 900 KiB image is still accepted"""
    _expect_error(_upload(client, "huge.png", PNG + b"\x00" * MIB), 413, "Uploading a 1 MiB + 72 bytes file")
    assert _files_under(folder) == [], "A refused file must not be saved; UPLOAD_FOLDER holds %r." % _files_under(
        folder
    )
    content = PNG + b"\x00" * (900 * 1024)
    _expect_created(_upload(client, "big.png", content), folder, content, "a 900 KiB PNG")


@pytest.mark.req(5)
def test_limit_is_one_mebibyte(client, folder):
    """The limit is 1 MiB (1,048,576 bytes), not 1 MB (1,000,000): a file just under 1 MiB is accepted"""
    content = PNG + b"\x00" * (MIB - 4096)
    response = _upload(client, "almost.png", content)
    assert response.status_code != 413, (
        "A %s-byte file (just under 1 MiB = 1,048,576 bytes) was refused with 413: the limit looks like "
        "1 MB (1,000,000 bytes). Set MAX_CONTENT_LENGTH = 1024 * 1024." % format(len(content), ",")
    )
    _expect_created(response, folder, content, "a file just under 1 MiB")


@pytest.mark.req(1, 6)
def test_path_traversal_is_neutralised(client, folder, tmp_path):
    """A filename like ../../evil.png is saved inside UPLOAD_FOLDER under a safe name, and the answer names it"""
    name = _expect_created(_upload(client, "../../evil.png"), folder, PNG, "../../evil.png")
    outside = [path for path in _files_under(tmp_path) if not path.startswith("site/data/uploads/")]
    assert not outside, "The upload escaped UPLOAD_FOLDER and wrote %r: make the name safe with secure_filename()." % (
        outside,
    )
    assert name.lower().endswith(".png"), "The saved name %r should keep its .png extension." % name
