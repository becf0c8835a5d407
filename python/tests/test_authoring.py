"""One run of checks/authoring against apps/authoring: what check authors write (pytest.fail,
errors in the check's own code, messages, comparisons) and an app without SECRET_KEY."""

import pytest

from conftest import line_of, run_verify


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    r = run_verify("authoring", "authoring", tmp_path_factory.mktemp("authoring"))
    assert r.app["status"] == "ok", r.app
    return r


@pytest.fixture(scope="module")
def app_py(run):
    return run.path("app.py")


def _failed(run, name):
    r = run.result(name)
    assert r["outcome"] == "failed", (name, r["outcome"], r["message"])
    return r


# -- 2. pytest.fail ---------------------------------------------------------------------------
def test_pytest_fail_message_is_the_text(run):
    r = _failed(run, "test_fail_text")
    assert r["message"] == "The greeting must mention Flask (see the brief.)"
    assert "The check stopped" not in r["message"]
    r = _failed(run, "test_fail_in_helper")
    assert r["message"] == "GET / should answer 201 CREATED"


def test_pytest_fail_in_except_of_a_learner_error_is_a_check_failure(run):
    r = _failed(run, "test_fail_in_except_after_a_crash")
    assert r["message"] == "parse_age must accept words"


def test_pytest_fail_gets_the_route_hint(run):
    r = _failed(run, "test_fail_with_no_route")
    assert r["message"].startswith("GET /nope should exist. No route matches GET /nope.")


# -- 3. blame by the frames of the exception raised -------------------------------------------
def test_error_raised_in_the_check_while_handling_a_learner_error_is_the_checks(run):
    r = run.result("test_check_raises_while_handling_learner_error")
    assert r["outcome"] == "errored"
    assert r["message"].startswith("The check itself failed: its own code raised RuntimeError: the check mishandled")
    assert "Your code raised" not in r["message"]
    assert r["location"] is None
    check_file = r["checkLocation"]["file"]
    assert r["checkLocation"]["line"] == line_of(check_file, 'raise RuntimeError("the check mishandled')
    assert "(test_authoring.py, line %d)" % r["checkLocation"]["line"] in r["message"]


def test_error_raised_in_the_check_while_handling_a_crash_is_the_checks(run):
    r = run.result("test_check_raises_while_handling_crash")
    assert r["outcome"] == "errored"
    assert r["message"].startswith("The check itself failed: its own code raised KeyError: 'oops'")
    assert "crashed" not in r["message"] and r["location"] is None


def test_bugs_in_check_code_are_errored(run):
    r = run.result("test_check_typo")
    assert r["outcome"] == "errored"
    assert "NameError: name 'respnse' is not defined" in r["message"]
    r = run.result("test_check_helper_bug")  # a helper module of the checks folder is check code
    assert r["outcome"] == "errored" and "KeyError: 'no such key'" in r["message"]
    r = run.result("test_json_null_lookup_is_a_check_error")  # the answer was JSON: the check's lookup
    assert r["outcome"] == "errored" and "'NoneType' object is not subscriptable" in r["message"]


def test_learner_errors_are_still_the_learners(run, app_py):
    r = _failed(run, "test_learner_error_is_still_the_learners")
    line = line_of(app_py, "return int(text)")
    assert r["message"] == (
        "Your code raised ValueError: invalid literal for int() with base 10: 'forty' (app.py, line %d)." % line
    )
    assert r["location"]["line"] == line_of(app_py, "return int(text)")
    r = _failed(run, "test_not_json_is_still_explained")
    assert r["message"].startswith("GET / did not answer with JSON")


# -- 4. periods -------------------------------------------------------------------------------
def test_no_period_after_punctuation(run):
    assert _failed(run, "test_message_ending_in_parenthesis")["message"] == "Look at the README (section 2.)"
    assert _failed(run, "test_message_ending_in_quote")["message"] == "The page should say 'Hello'."
    assert _failed(run, "test_message_ending_in_a_word")["message"] == "The page should greet the visitor."


# -- 8. expected/actual for in, not in, !=, <, <=, >, >= --------------------------------------
def _pair(r):
    return r["expected"], r["actual"]


def test_in_and_not_in(run):
    r = _failed(run, "test_in")
    assert _pair(r) == ("contains Bye", "Hello, Flask!")
    assert r["message"] == "Expected 'Hello, Flask!' to contain 'Bye'."
    r = _failed(run, "test_in_with_message")
    assert _pair(r) == ("contains Bye", "Hello, Flask!") and r["message"] == "The page should say Bye."
    r = _failed(run, "test_not_in")
    assert _pair(r) == ("does not contain Hello", "Hello, Flask!")
    assert r["message"] == "Expected 'Hello, Flask!' not to contain 'Hello'."
    r = _failed(run, "test_in_opaque_container")  # nothing useful to show
    assert _pair(r) == (None, None)


def test_not_equal_and_ordering(run):
    r = _failed(run, "test_not_equal")
    assert _pair(r) == ("anything but Hello, Flask!", "Hello, Flask!")
    r = _failed(run, "test_less_than")
    assert _pair(r) == ("less than 3", "5") and r["message"] == "Expected a value less than 3 but got 5."
    r = _failed(run, "test_at_least")
    assert _pair(r) == ("at least 2", "1") and r["message"] == "Expected a value of at least 2 but got 1."


def test_status_comparisons(run):
    r = _failed(run, "test_status_in")
    assert _pair(r) == ("200 OK or 201 CREATED", "404 NOT FOUND")
    assert r["message"] == "GET /status/404 answered 404 NOT FOUND; expected 200 OK or 201 CREATED."
    r = _failed(run, "test_status_below")
    assert _pair(r) == ("less than 400", "500 INTERNAL SERVER ERROR")
    assert r["message"] == "GET /status/500 answered 500 INTERNAL SERVER ERROR; expected a status less than 400."
    r = _failed(run, "test_status_not_equal")
    assert _pair(r) == ("anything but 500 INTERNAL SERVER ERROR", "500 INTERNAL SERVER ERROR")
    # "==" keeps its behaviour: the author's message, then the status sentence
    r = _failed(run, "test_status_equal_with_message")
    assert r["message"] == "GET /status/404 is a trick. GET /status/404 answered 404 NOT FOUND; expected 200 OK."
    assert _pair(r) == ("200 OK", "404 NOT FOUND")


# -- 6. no SECRET_KEY filled in; the failure explained and located in the factory -------------
SECRET_FIX = (
    "Set app.config['SECRET_KEY'] (from an environment variable in production) in create_app()."
)


def test_session_without_secret_key_is_explained(run, app_py):
    r = _failed(run, "test_session_without_secret_key")
    assert r["message"] == (
        "POST /login crashed in the view 'login' (app.py, line %d). Your app has no SECRET_KEY, so "
        "Flask cannot sign the session cookie. %s" % (line_of(app_py, 'session["user_id"] = 1'), SECRET_FIX)
    )
    assert r["location"] == {"file": app_py, "line": line_of(app_py, "def create_app"), "column": None}
    r = _failed(run, "test_flash_without_secret_key")
    assert "Your app has no SECRET_KEY, so Flask cannot sign the session cookie." in r["message"]
    assert r["location"]["line"] == line_of(app_py, "def create_app")


def test_csrf_without_secret_key_is_explained(run, app_py):
    r = _failed(run, "test_csrf_without_secret_key")
    assert "Your app has no SECRET_KEY, so Flask-WTF cannot sign the form's CSRF token" in r["message"]
    assert r["message"].endswith(SECRET_FIX)
    assert r["location"]["line"] == line_of(app_py, "def create_app")


def test_secret_key_not_needed_to_read_and_works_when_set(run):
    assert run.result("test_reading_the_session_without_secret_key_works")["outcome"] == "passed"
    assert run.result("test_session_with_secret_key")["outcome"] == "passed"


# -- 9. set_cookie -----------------------------------------------------------------------------
def test_set_cookie_helper(tmp_path):
    run = run_verify("authoring", "cookies", tmp_path)
    r = run.result("test_set_cookie_helper")
    assert r["outcome"] == "passed", (r["message"], r["traceback"])


def test_learner_folder_unchanged(run):
    run.assert_learner_unchanged()


def test_expected_actual_belong_to_the_failing_assert(run):
    r = _failed(run, "test_compare_of_a_caught_assert_is_not_reused")
    assert r["message"] == "The later assert has no comparison."
    assert _pair(r) == (None, None)


def test_a_name_missing_from_the_learners_code_is_the_learners(run, app_py):
    """The check's own line raised it, but the check looked up a name the learner must define."""
    for name in ("test_missing_learner_function", "test_missing_learner_import"):
        r = _failed(run, name)
        assert r["message"] == (
            "The check uses app.slugify, but app.py defines no 'slugify'. Define it, or check its spelling."
        )
        assert r["location"] == {"file": app_py, "line": 1, "column": None}
    r = _failed(run, "test_missing_attribute_of_a_learner_class")
    assert r["message"].startswith("The check uses NameForm.email, but NameForm (app.py) has no attribute 'email'.")
    assert r["location"]["line"] == line_of(app_py, "class NameForm")
