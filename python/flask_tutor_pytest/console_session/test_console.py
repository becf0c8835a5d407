"""The request console's one check (see flask_tutor_pytest/console.py): the learner's app, loaded
as for Verify, answers the requests the editor sends until the session ends."""
from flask_tutor_pytest.console import serve


def test_console_session(client):
    serve(client)
