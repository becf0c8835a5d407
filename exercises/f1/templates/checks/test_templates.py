"""Checks for f1-templates: they read the rendered HTML and the templates Flask loads."""
import re

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


def test_about_page_renders(client):
    """GET /about answers 200 with an HTML page"""
    _page(client, "/about")


def test_about_has_layout_nav_and_heading(client):
    """The /about page shows the base layout's <nav> and its own <h1>About</h1>"""
    html = _page(client, "/about")
    assert "<nav" in html.lower(), "The /about page should contain the <nav> of the base layout."
    headings = _tag_texts(html, "h1")
    assert any("about" in h.lower() for h in headings), (
        "The /about page should have its own <h1>About</h1>; its <h1> headings are %r." % (headings,)
    )


def test_about_sets_its_title(client):
    """The /about page fills the title block with a title containing About"""
    html = _page(client, "/about")
    titles = _tag_texts(html, "title")
    assert titles and "about" in titles[0].lower(), (
        "The <title> of /about should contain 'About' (fill {%% block title %%} in about.html); it is %r."
        % (titles[0] if titles else None)
    )


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


def test_about_extends_base(app):
    """templates/about.html extends base.html"""
    parent = _extended_template(app, "about.html")
    assert parent == "base.html", (
        'about.html should start with {%% extends "base.html" %%} instead of repeating the layout (%s).'
        % _describe(parent)
    )


def test_home_extends_base(app, client):
    """GET / still shows <h1>Home</h1> and templates/index.html extends base.html"""
    html = _page(client, "/")
    assert "<nav" in html.lower(), "The home page should contain the <nav> of the base layout."
    headings = _tag_texts(html, "h1")
    assert any("home" in h.lower() for h in headings), "The home page should keep its <h1>Home</h1>; found %r." % (
        headings,
    )
    parent = _extended_template(app, "index.html")
    assert parent == "base.html", (
        'index.html should start with {%% extends "base.html" %%} and drop its copy of the layout (%s).'
        % _describe(parent)
    )
