"""Where attachment files live: UPLOAD_FOLDER (by default instance/attachments), outside the
static folder, each under a random name."""
import os
import secrets

from flask import current_app


def upload_folder():
    folder = current_app.config.get("UPLOAD_FOLDER") or os.path.join(current_app.instance_path, "attachments")
    os.makedirs(folder, exist_ok=True)
    return folder


def new_stored_name():
    return secrets.token_hex(16)


def stored_path(attachment):
    return os.path.join(upload_folder(), attachment.stored_name)


def remove_files(attachments):
    """Deletes the files of attachments whose rows were deleted."""
    for attachment in attachments:
        try:
            os.remove(stored_path(attachment))
        except FileNotFoundError:
            pass
