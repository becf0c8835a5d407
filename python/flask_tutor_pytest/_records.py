"""What one check's run leaves behind (TestRecord), and the error every check of a run whose app
did not load raises. Imports nothing of ours."""


class AppLoadFailed(Exception):
    """Raised in every check's setup when the app could not be loaded."""

    def __init__(self, load_error):
        super().__init__(load_error.message)
        self.load_error = load_error


class TestRecord:
    __test__ = False

    def __init__(self, nodeid):
        self.nodeid = nodeid
        self.outcome = None
        self.duration = 0.0
        self.message = None
        self.expected = None
        self.actual = None
        self.location = None
        self.check_location = None
        self.traceback = None
        self.requests = []
        self.output = ""
        self.compare = None
        self.compare_at = None
        self.compare_literal = None  # "left" | "right": the side the check wrote as a literal
        self.hint = None  # the check author's hint for this failure (helpers.about, mark.hint)
        self.deadline = None
        self.app = None
        self.root = None
        self.module = None
        self.analyzed = False
