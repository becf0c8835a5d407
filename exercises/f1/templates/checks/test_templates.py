"""Checks for f1-templates: they read the rendered HTML and the templates Flask loads. Each check
names the brief's numbered requirements it covers (@pytest.mark.req)."""
import re

import pytest

import jinja2
from jinja2 import nodes
from flask import render_template_string


def _tag_texts(html, tag):
    """The text inside every <tag>...</tag>, tags inside it removed."""
    found = re.findall(r"<%s\b[^>]*>(.*?)</%s\s*>" % (tag, tag), html, flags=re.I | re.S)
    return [re.sub(r"<[^>]+>", "", text).strip() for text in found]


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200, "GET %s should answer 200." % url
    assert response.mimetype == "text/html", "GET %s should answer HTML, not %r." % (url, response.content_type)
    return response.get_data(as_text=True)


def _extended_template(app, name):
    """The template named in {% extends %} of `name`, or None."""
    try:
        source = app.jinja_env.loader.get_source(app.jinja_env, name)[0]
    except jinja2.TemplateNotFound:
        raise AssertionError("Flask cannot find the template templates/%s. Create it." % name) from None
    parents = [node.template for node in app.jinja_env.parse(source).find_all(nodes.Extends)]
    if parents and isinstance(parents[0], nodes.Const):
        return parents[0].value
    return None


def _describe(parent):
    return "it extends %r now" % parent if parent else "it extends no template now"


@pytest.mark.req(5)
def test_about_page_renders(client):
    """GET /about answers 200 with an HTML page"""
    _page(client, "/about")


@pytest.mark.req(4)
def test_about_has_layout_nav_and_heading(client):
    """The /about page shows the base layout's <nav> and its own <h1>About</h1>"""
    html = _page(client, "/about")
    assert "<nav" in html.lower(), "The /about page should contain the <nav> of the base layout."
    headings = _tag_texts(html, "h1")
    assert any("about" in h.lower() for h in headings), (
        "The /about page should have its own <h1>About</h1>; its <h1> headings are %r." % (headings,)
    )


@pytest.mark.req(2, 4)
def test_about_sets_its_title(client):
    """The /about page fills the title block with a title containing About"""
    html = _page(client, "/about")
    titles = _tag_texts(html, "title")
    assert titles and "about" in titles[0].lower(), (
        "The <title> of /about should contain 'About' (fill {%% block title %%} in about.html); it is %r."
        % (titles[0] if titles else None)
    )


@pytest.mark.req(2)
def test_base_has_title_block(app):
    """base.html has a title block inside <title> that a child page can fill"""
    probe = '{% extends "base.html" %}{% block title %}probe-title-9c1e{% endblock %}'
    with app.test_request_context("/"):
        try:
            html = render_template_string(probe)
        except jinja2.TemplateNotFound:
            raise AssertionError("Flask cannot find templates/base.html. Create it.") from None
    titles = re.findall(r"<title\b[^>]*>(.*?)</title\s*>", html, flags=re.I | re.S)
    assert titles and "probe-title-9c1e" in titles[0], (
        "A page that extends base.html and fills {%% block title %%} should see its text in <title>; the title "
        "is %r. Put {%% block title %%}…{%% endblock %%} inside <title> in base.html." % (titles[0] if titles else None)
    )


@pytest.mark.req(1)
def test_base_has_content_block(app):
    """base.html has a content block that a child page can fill"""
    probe = '{% extends "base.html" %}{% block content %}<p>probe-7f3a</p>{% endblock %}'
    with app.test_request_context("/"):
        try:
            html = render_template_string(probe)
        except jinja2.TemplateNotFound:
            raise AssertionError("Flask cannot find templates/base.html. Create it.") from None
    assert "<nav" in html.lower(), "base.html should contain the site's <nav>."
    assert "probe-7f3a" in html, (
        "A page that extends base.html and fills {% block content %} should see its content rendered. "
        "Add {% block content %}{% endblock %} inside <main> in base.html."
    )
    assert any("probe-7f3a" in text for text in re.findall(r"<main\b[^>]*>(.*?)</main\s*>", html, flags=re.I | re.S)), (
        "The content block of base.html should be inside <main>...</main>, so every page's content sits in the main area."
    )
    nav = " ".join(re.findall(r"<nav\b[^>]*>(.*?)</nav\s*>", html, flags=re.I | re.S))
    links = set(re.findall(r'href="([^"]*)"', nav))
    for url in ("/", "/about"):
        assert url in links, "The <nav> of base.html should link to %s; its links are %s." % (url, sorted(links) or "none")


@pytest.mark.req(4)
def test_about_extends_base(app):
    """templates/about.html extends base.html"""
    parent = _extended_template(app, "about.html")
    assert parent == "base.html", (
        'about.html should start with {%% extends "base.html" %%} instead of repeating the layout (%s).'
        % _describe(parent)
    )


@pytest.mark.req(3)
def test_home_extends_base(app, client):
    """GET / still shows <h1>Home</h1> and templates/index.html extends base.html"""
    html = _page(client, "/")
    assert "<nav" in html.lower(), "The home page should contain the <nav> of the base layout."
    headings = _tag_texts(html, "h1")
    assert any("home" in h.lower() for h in headings), "The home page should keep its <h1>Home</h1>; found %r." % (
        headings,
    )
    navs = len(re.findall(r"<nav\b", html, flags=re.I))
    assert navs == 1, (
        "The home page should have exactly one <nav>, the layout's; it has %d. Remove index.html's own "
        "<nav>: the layout already shows it." % navs
    )
    parent = _extended_template(app, "index.html")
    assert parent == "base.html", (
        'index.html should start with {%% extends "base.html" %%} and drop its copy of the layout (%s).'
        % _describe(parent)
    )
