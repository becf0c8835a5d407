"""Checks run against apps/authoring; test_authoring.py asserts each outcome."""
import pytest
from _helpers import broken_helper, require


# -- pytest.fail is an ordinary check failure -------------------------------------------------
def test_fail_text(client):
    client.get("/")
    pytest.fail("The greeting must mention Flask (see the brief.)")


def test_fail_in_helper(client):
    require(client.get("/").status_code == 201, "GET / should answer 201 CREATED")


def test_fail_in_except_after_a_crash(app_module):
    try:
        app_module.parse_age("forty")
    except ValueError:
        pytest.fail("parse_age must accept words")


def test_fail_with_no_route(client):
    if client.get("/nope").status_code != 200:
        pytest.fail("GET /nope should exist")


# -- blame: learner, check, library ----------------------------------------------------------
def test_check_raises_while_handling_learner_error(app_module):
    try:
        app_module.parse_age("forty")
    except ValueError as e:
        raise RuntimeError("the check mishandled %s" % e)


def test_check_raises_while_handling_crash(client):
    try:
        client.get("/form")  # crashes: no SECRET_KEY for the CSRF token
    except RuntimeError:
        {}["oops"]


def test_check_typo(client):
    client.get("/")
    respnse.status_code  # noqa: F821 - the check's own bug


def test_check_helper_bug(client):
    broken_helper()


def test_learner_error_is_still_the_learners(app_module):
    app_module.parse_age("forty")


def test_not_json_is_still_explained(client):
    client.get("/").get_json()["ok"]


def test_json_null_lookup_is_a_check_error(client):
    client.get("/null").get_json()["items"][0]


# -- periods ---------------------------------------------------------------------------------
def test_message_ending_in_parenthesis(client):
    client.get("/")
    assert False, "Look at the README (section 2.)"


def test_message_ending_in_quote(client):
    client.get("/")
    assert False, "The page should say 'Hello'"


def test_message_ending_in_a_word(client):
    client.get("/")
    assert False, "The page should greet the visitor"


# -- expected/actual for more operators ------------------------------------------------------
def test_in(client):
    assert "Bye" in client.get("/").get_data(as_text=True)


def test_in_with_message(client):
    assert "Bye" in client.get("/").get_data(as_text=True), "The page should say Bye"


def test_not_in(client):
    assert "Hello" not in client.get("/").get_data(as_text=True)


def test_not_equal(client):
    assert client.get("/").get_data(as_text=True) != "Hello, Flask!"


def test_less_than():
    assert 5 < 3


def test_at_least():
    assert len([1]) >= 2


def test_status_in(client):
    assert client.get("/status/404").status_code in (200, 201)


def test_status_below(client):
    assert client.get("/status/500").status_code < 400


def test_status_not_equal(client):
    assert client.get("/status/500").status_code != 500


def test_status_equal_with_message(client):
    assert client.get("/status/404").status_code == 200, "GET /status/404 is a trick"


def test_in_opaque_container():
    class Box:
        def __contains__(self, item):
            return False

    assert "x" in Box()


# -- SECRET_KEY ------------------------------------------------------------------------------
def test_session_without_secret_key(client):
    client.post("/login")


def test_flash_without_secret_key(client):
    assert client.post("/notes").status_code == 200


def test_csrf_without_secret_key(client):
    client.get("/form")


def test_reading_the_session_without_secret_key_works(client):
    assert client.get("/me").get_json() == {"user_id": None}


@pytest.mark.app_config(SECRET_KEY="set-by-the-check")
def test_session_with_secret_key(client):
    client.post("/login")
    assert client.get("/me").get_json() == {"user_id": 1}


def test_compare_of_a_caught_assert_is_not_reused():
    with pytest.raises(AssertionError):
        assert 1 == 2
    assert False, "The later assert has no comparison"


def test_missing_learner_function(app_module):
    assert app_module.slugify("Hello World") == "hello-world"


def test_missing_learner_import():
    from app import slugify  # noqa: F401


def test_missing_attribute_of_a_learner_class(app_module):
    app_module.NameForm.email
