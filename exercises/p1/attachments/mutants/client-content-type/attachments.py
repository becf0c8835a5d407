"""/api/tasks/<id>/attachments: files of a task, for its owner and its assignee.

Files are checked (size, extension, content), renamed to a random name and kept in
UPLOAD_FOLDER, outside the static folder: only these routes, behind the task's permissions,
serve them.
"""
from flask import g, send_file
from flask_restx import Namespace, Resource, fields
from werkzeug.datastructures import FileStorage
from werkzeug.utils import secure_filename

from auth import login_required
from models import Attachment, db
from storage import new_stored_name, remove_files, stored_path
from tasks import get_task_or_404

ns = Namespace("attachments", description="Files attached to tasks", path="/api/tasks",
               decorators=[login_required])

MAX_ATTACHMENT_BYTES = 1024 * 1024  # 1 MiB = 1,048,576 bytes

# Allowed extension -> (Content-Type, a check of the first bytes)
ALLOWED = {
    "txt": ("text/plain", None),
    "pdf": ("application/pdf", lambda head: head.startswith(b"%PDF-")),
    "png": ("image/png", lambda head: head.startswith(b"\x89PNG\r\n\x1a\n")),
    "jpg": ("image/jpeg", lambda head: head.startswith(b"\xff\xd8\xff")),
    "jpeg": ("image/jpeg", lambda head: head.startswith(b"\xff\xd8\xff")),
}

upload_args = ns.parser()
upload_args.add_argument("file", location="files", type=FileStorage, required=True,
                         help="The file: .txt, .pdf, .png, .jpg or .jpeg, at most 1 MiB")

attachment_output = ns.model("Attachment", {
    "id": fields.Integer(readonly=True),
    "task_id": fields.Integer(readonly=True),
    "filename": fields.String(description="The file's name, made safe"),
    "content_type": fields.String(example="application/pdf"),
    "size": fields.Integer(description="Bytes"),
})


def get_attachment_or_404(task, attachment_id):
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.task_id != task.id:
        ns.abort(404, f"Attachment {attachment_id} not found")
    return attachment


@ns.route("/<int:task_id>/attachments")
@ns.param("task_id", "The task's id")
@ns.response(401, "No valid access token")
@ns.response(404, "Task not found")
@ns.doc(security="Bearer")
class AttachmentList(Resource):
    @ns.marshal_list_with(attachment_output)
    def get(self, task_id):
        """The task's attachments, oldest first"""
        task = get_task_or_404(task_id)
        query = db.select(Attachment).filter_by(task_id=task.id).order_by(Attachment.id)
        return db.session.execute(query).scalars().all()

    @ns.expect(upload_args)
    @ns.response(400, "No file, or no usable file name")
    @ns.response(413, "Larger than 1 MiB")
    @ns.response(415, "Not an allowed type, or the content does not match the extension")
    @ns.marshal_with(attachment_output, code=201, description="Attachment stored")
    def post(self, task_id):
        """Attach a file (multipart/form-data, field "file")"""
        task = get_task_or_404(task_id)
        upload = upload_args.parse_args()["file"]
        filename = secure_filename(upload.filename or "")
        if not filename:
            ns.abort(400, "The file needs a name")
        extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
        if extension not in ALLOWED:
            ns.abort(415, f"Allowed types: {', '.join('.' + e for e in ALLOWED)}")
        data = upload.stream.read(MAX_ATTACHMENT_BYTES + 1)
        if len(data) > MAX_ATTACHMENT_BYTES:
            ns.abort(413, f"An attachment is at most {MAX_ATTACHMENT_BYTES} bytes (1 MiB)")
        content_type, looks_right = ALLOWED[extension]
        valid = looks_right(data[:16]) if looks_right else _is_utf8(data)
        if not valid:
            ns.abort(415, f"The content is not a .{extension} file")
        attachment = Attachment(task_id=task.id, filename=filename, content_type=upload.mimetype or content_type,
                                size=len(data), uploader_id=g.user.id,
                                stored_name=new_stored_name())
        with open(stored_path(attachment), "xb") as out:
            out.write(data)
        db.session.add(attachment)
        db.session.commit()
        return attachment, 201


def _is_utf8(data):
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@ns.route("/<int:task_id>/attachments/<int:attachment_id>")
@ns.param("task_id", "The task's id")
@ns.param("attachment_id", "The attachment's id")
@ns.response(401, "No valid access token")
@ns.response(404, "Task or attachment not found")
@ns.doc(security="Bearer")
class AttachmentItem(Resource):
    @ns.produces(sorted({t for t, _ in ALLOWED.values()}))
    @ns.response(200, "The file, as a download")
    def get(self, task_id, attachment_id):
        """Download the file"""
        attachment = get_attachment_or_404(get_task_or_404(task_id), attachment_id)
        response = send_file(stored_path(attachment), mimetype=attachment.content_type,
                             as_attachment=True, download_name=attachment.filename)
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response

    @ns.response(204, "Attachment deleted")
    @ns.response(403, "Only the task's owner may delete attachments")
    def delete(self, task_id, attachment_id):
        """Delete the attachment and its file (the task's owner only)"""
        task = get_task_or_404(task_id)
        attachment = get_attachment_or_404(task, attachment_id)
        if task.owner_id != g.user.id:
            ns.abort(403, "Only the task's owner may delete attachments")
        db.session.delete(attachment)
        db.session.commit()
        remove_files([attachment])
        return "", 204
