"""Checks for c10-multi-index: one search over posts, users and tags, grouped, with a limit per
group and a choice of groups. Each check names the brief's numbered requirements it covers
(@pytest.mark.req). Everything is created through the API, so every index must follow writes."""
from urllib.parse import urlencode

import pytest

from flask_tutor_pytest import about, expect_json

USERS = [
    ("alice_smith", "Alice Smith", "alice@example.com"),
    ("bob", "Bob Flask", "bob@flask.example"),
    ("carol", "Carol Python", "carol@python.org"),
    ("flaskfan", "Dave", "dave@example.com"),
]
POSTS = [
    ("Flask tips", "Use blueprints in Flask apps.", "alice_smith"),
    ("Python news", "Python 3.13 is out.", "carol"),
    ("Flask and Python", "Flask is a Python web framework.", "bob"),
    ("Cooking", "Pasta with tomato sauce.", "alice_smith"),
]
TAGS = ["flask", "python", "flask-sqlalchemy", "cooking"]


def _post(client, url, payload):
    return expect_json(client.post(url, json=payload), status=201)["id"]


def _user(client, username, display_name, email):
    return _post(client, "/api/users", {"username": username, "display_name": display_name, "email": email})


def _seed(client):
    ids = {}
    for username, display_name, email in USERS:
        ids[username] = _user(client, username, display_name, email)
    for title, body, author in POSTS:
        ids[title] = _post(client, "/api/posts", {"title": title, "body": body, "author_id": ids[author]})
    for name in TAGS:
        ids["#" + name] = _post(client, "/api/tags", {"name": name})
    return ids


def _search(client, status=200, **params):
    url = "/api/search?" + urlencode(params)
    try:
        response = client.get(url)
    except Exception as e:  # TESTING lets the app's exception through: for the user it is a 500
        advice = ""
        if any(word in str(e).lower() for word in ("fts5", "syntax", "unterminated", "no such column")):
            advice = " User text must never reach MATCH as FTS5 query syntax: keep the words of q and quote each one."
        pytest.fail(f"GET {url} crashed with {type(e).__name__}: {e} (a 500 for the user).{advice}")
    data = expect_json(response, status=status)
    if status == 200:
        assert isinstance(data, dict) and isinstance(data.get("results"), dict), (
            f'GET {url} should answer {{"query": ..., "results": {{"posts": ..., "users": ..., "tags": ...}}}}, got {data!r}'
        )
    return data


def _group(data, name):
    group = data["results"].get(name)
    assert isinstance(group, dict) and isinstance(group.get("items"), list) and isinstance(group.get("total"), int), (
        f'results should hold "{name}": {{"total": <int>, "items": [...]}}, got {group!r}'
    )
    return group


def _ids(group):
    return [item.get("id") for item in group["items"]]


@pytest.mark.req(1)
def test_three_groups(client):
    """Posts, users and tags in one answer, each with its own matches and fields"""
    ids = _seed(client)
    data = _search(client, q="Flask")
    assert data.get("query") == "Flask", f'the answer should echo "query": "Flask", got {data.get("query")!r}'
    posts, users, tags = (_group(data, name) for name in ("posts", "users", "tags"))
    assert sorted(_ids(posts)) == sorted([ids["Flask tips"], ids["Flask and Python"]]), (
        f"posts: q=Flask should find the two posts with the word flask in title or body, got {posts['items']!r}"
    )
    assert users["items"] == [{"id": ids["bob"], "username": "bob", "display_name": "Bob Flask"}], (
        'users: q=Flask should find only bob (display name "Bob Flask"), as {"id", "username", "display_name"}: '
        f'"flaskfan" is another word; got {users["items"]!r}'
    )
    assert sorted(_ids(tags)) == sorted([ids["#flask"], ids["#flask-sqlalchemy"]]), (
        f"tags: q=Flask should find the tags flask and flask-sqlalchemy, got {tags['items']!r}"
    )
    assert {tuple(sorted(i)) for i in posts["items"]} == {("id", "title")} and {tuple(sorted(i)) for i in tags["items"]} == {("id", "name")}, (
        f'post items should be {{"id", "title"}} and tag items {{"id", "name"}}, got {posts["items"][0]!r} and {tags["items"][0]!r}'
    )
    assert (posts["total"], users["total"], tags["total"]) == (2, 1, 2), (
        f"the totals should be posts 2, users 1, tags 2, got {posts['total']}, {users['total']}, {tags['total']}"
    )
    data = _search(client, q="python flask")
    assert _ids(_group(data, "posts")) == [ids["Flask and Python"]] and _group(data, "tags")["items"] == [], (
        f'q="python flask" needs both words: only the post "Flask and Python", no tag; got {data["results"]!r}'
    )


@pytest.mark.req(2)
def test_best_match_first_in_each_group(client):
    """Within a group: bm25 order, ties by id"""
    ids = _seed(client)
    filler = " ".join(f"word{n}" for n in range(40))
    weak = _post(client, "/api/posts", {"title": "Long post", "body": f"{filler} rust once {filler}", "author_id": ids["bob"]})
    strong = _post(client, "/api/posts", {"title": "Rust", "body": "rust rust", "author_id": ids["bob"]})
    far = _user(client, "zed", "Zed Rust Programmer Extraordinaire From Berlin", "zed@example.com")
    near = _user(client, "rust", "Rust", "rust@example.com")
    data = _search(client, q="rust")
    assert _ids(_group(data, "posts")) == [strong, weak], (
        f"posts should come best match first (bm25): the post titled Rust (id {strong}) before the long one that says "
        f"rust once (id {weak}); got {_ids(_group(data, 'posts'))}"
    )
    assert _ids(_group(data, "users")) == [near, far], (
        f"users should come best match first (bm25): user rust (id {near}) before zed (id {far}); got {_ids(_group(data, 'users'))}"
    )
    twins = [_post(client, "/api/tags", {"name": f"zebra-{n}"}) for n in (1, 2, 3)]
    assert _ids(_group(_search(client, q="zebra"), "tags")) == twins, f"equally good tags should come by id {twins}"


@pytest.mark.req(3)
def test_limit_per_group(client):
    """limit (default 5, 1 to 20) caps each group separately; total counts all of the group's matches"""
    author = _user(client, "writer", "Writer", "w@example.com")
    for n in range(7):
        _post(client, "/api/posts", {"title": f"Widget {n}", "body": "widget", "author_id": author})
        _user(client, f"widget_{n}", f"Widget {n}", f"widget{n}@example.com")
        _post(client, "/api/tags", {"name": f"widget-{n}"})
    data = _search(client, q="widget")
    counts = {name: (len(_group(data, name)["items"]), _group(data, name)["total"]) for name in ("posts", "users", "tags")}
    with about(hint="Apply LIMIT to each index's query, and count each index's matches apart (SELECT count(*) ... MATCH)."):
        assert counts == {"posts": (5, 7), "users": (5, 7), "tags": (5, 7)}, (
            "without limit, each group should hold 5 items with its own total 7 (the limit applies to each group, "
            f"not to the whole answer); got (items, total) = {counts}"
        )
        data = _search(client, q="widget", limit=2)
        counts = {name: (len(_group(data, name)["items"]), _group(data, name)["total"]) for name in ("posts", "users", "tags")}
        assert counts == {"posts": (2, 7), "users": (2, 7), "tags": (2, 7)}, f"limit=2 should give 2 items in each group, totals 7; got {counts}"
    assert len(_group(_search(client, q="widget", limit=20), "posts")["items"]) == 7, "limit=20 is allowed"
    for limit in (0, 21, "x"):
        data = _search(client, status=400, q="widget", limit=limit)
        assert isinstance(data, dict) and isinstance(data.get("error"), str), f'limit={limit} should answer 400 {{"error": "..."}}, got {data!r}'


@pytest.mark.req(4)
def test_types(client):
    """types chooses the groups; an unknown or empty one is 400"""
    _seed(client)
    data = _search(client, q="flask", types="users")
    assert set(data["results"]) == {"users"}, f'types=users should answer only the "users" group, got groups {sorted(data["results"])}'
    data = _search(client, q="flask", types="posts,tags")
    assert set(data["results"]) == {"posts", "tags"}, f"types=posts,tags should answer only those two groups, got {sorted(data['results'])}"
    assert _group(data, "tags")["total"] == 2, "the chosen groups still hold their matches"
    for types in ("comments", "posts,comments", ""):
        response = client.get("/api/search?" + urlencode({"q": "flask", "types": types}))
        data = response.get_json(silent=True)
        assert response.status_code == 400 and isinstance(data, dict) and isinstance(data.get("error"), str), (
            f'types={types!r} should answer 400 {{"error": "..."}} (only posts, users and tags exist), got '
            f"{response.status_code} {response.get_data(as_text=True)[:200]}"
        )


@pytest.mark.req(5)
def test_email_is_private(client):
    """Users are found by username and display name only; emails are never searched nor shown"""
    ids = _seed(client)
    with about(hint="Index only username and display_name in the users' index: an email is private data."):
        for q in ("example", "python.org", "dave"):
            users = _group(_search(client, q=q, types="users"), "users")
            expected = [ids["flaskfan"]] if q == "dave" else []
            assert _ids(users) == expected, (
                f"q={q} should find {'only flaskfan (display name Dave)' if expected else 'no user'}: emails are not "
                f"searched; got {users['items']!r}"
            )
        users = _group(_search(client, q="alice", types="users"), "users")
        assert users["items"] == [{"id": ids["alice_smith"], "username": "alice_smith", "display_name": "Alice Smith"}], (
            f"q=alice should find alice_smith, shown without her email, got {users['items']!r}"
        )


@pytest.mark.req(6)
def test_indexes_follow_writes(client):
    """New rows are found at once; a changed display name re-indexes the user; a deleted post is gone"""
    ids = _seed(client)
    new_user = _user(client, "erin", "Erin Quokka", "erin@example.com")
    new_tag = _post(client, "/api/tags", {"name": "quokka"})
    data = _search(client, q="quokka")
    assert _ids(_group(data, "users")) == [new_user] and _ids(_group(data, "tags")) == [new_tag], (
        f"a new user and a new tag should be found at once by q=quokka, got {data['results']!r}"
    )
    expect_json(client.patch(f"/api/users/{new_user}", json={"display_name": "Erin Wombat"}), status=200)
    with about(hint="Re-index a user when it changes (an after_update event, or a trigger)."):
        assert _ids(_group(_search(client, q="quokka"), "users")) == [], (
            "after PATCH changed Erin's display name to \"Erin Wombat\", q=quokka should no longer find her"
        )
        assert _ids(_group(_search(client, q="wombat"), "users")) == [new_user], "after PATCH, q=wombat should find Erin"
    response = client.delete(f"/api/posts/{ids['Cooking']}")
    assert response.status_code == 204, f"DELETE /api/posts/<id> should answer 204, got {response.status_code}"
    assert _group(_search(client, q="pasta"), "posts")["items"] == [], "after DELETE of the Cooking post, q=pasta should find no post"


@pytest.mark.req(7)
def test_q_required_and_never_syntax(client):
    """q missing or blank: 400; quotes and operators in q never cause a 500"""
    ids = _seed(client)
    for params in ({}, {"q": "  "}):
        data = _search(client, status=400, **params)
        assert isinstance(data, dict) and isinstance(data.get("error"), str), (
            f'GET /api/search?{urlencode(params)} should answer 400 {{"error": "..."}}, got {data!r}'
        )
    for q in ('"flask', 'flask"', "flask*", "(flask", "-flask", "flask:"):
        data = _search(client, q=q)
        assert _ids(_group(data, "users")) == [ids["bob"]] and _group(data, "tags")["total"] == 2, (
            f"q={q!r} should find the same as q=flask (bob; the 2 flask tags): punctuation is not FTS5 query syntax; got {data['results']!r}"
        )
    for q in ("NEAR(flask", "title:flask", "flask AND", "OR"):
        _search(client, q=q)
    data = _search(client, q='"')
    assert all(_group(data, name)["total"] == 0 for name in ("posts", "users", "tags")), (
        f'q=" (no letter or digit) should answer 200 with every group empty, got {data!r}'
    )
