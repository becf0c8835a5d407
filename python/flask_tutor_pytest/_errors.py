"""Exceptions shared by the plugin's modules. Imports nothing of ours."""


class SandboxWriteError(PermissionError):
    """The learner's code tried to change a file inside the exercise folder during a check."""

    def __init__(self, path, action):
        self.path = path
        self.action = action
        super().__init__(
            "Flask Tutor: checks never change your files; your code tried to %s %s inside the "
            "exercise folder" % (action, path)
        )
