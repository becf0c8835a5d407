"""/api/tasks/<id>/attachments: files of a task, for its owner and its assignee.

TODO (this stage), see the brief:
- an Attachment model in models.py;
- a namespace here (path "/api/tasks", login_required on every operation), added in create_app();
- POST   /api/tasks/<id>/attachments                 upload (multipart/form-data, field "file")
- GET    /api/tasks/<id>/attachments                 list
- GET    /api/tasks/<id>/attachments/<attachment_id> download
- DELETE /api/tasks/<id>/attachments/<attachment_id> delete (the task's owner only)
- files in app.config["UPLOAD_FOLDER"] under random names, never in the static folder.
"""
