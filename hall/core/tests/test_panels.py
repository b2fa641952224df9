"""The panel registry: a slot renders the sections registered for it, in order,
with the values the page gives; a panel whose context is None is left out."""

import pytest
from django.template import Context, Template

from hall.core import navigation


@pytest.fixture
def templates(settings):
    settings.TEMPLATES = [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "OPTIONS": {
                "loaders": [
                    (
                        "django.template.loaders.locmem.Loader",
                        {
                            "first.html": "<p>一：{{ case }} {{ count }} {{ page_title }}</p>",
                            "second.html": "<p>二：{{ case }}</p>",
                            "hidden.html": "<p>不应出现</p>",
                        },
                    )
                ]
            },
        }
    ]


def render(source, **values):
    return Template("{% load panels %}" + source).render(Context(values))


def test_a_slot_renders_its_panels_in_order_with_the_values_given(templates, monkeypatch):
    monkeypatch.setitem(navigation._PANELS, "test_slot", [])
    seen = []

    def first(request, *, case):
        seen.append((request, case))
        return {"count": 3}

    navigation.register_panel("test_slot", "second.html", lambda request, **v: {}, order=20)
    navigation.register_panel("test_slot", "first.html", first, order=10)
    navigation.register_panel("test_slot", "hidden.html", lambda request, **v: None, order=5)
    html = render('{% panels "test_slot" case="甲" %}', request="请求", page_title="页")
    assert html == "<p>一：甲 3 页</p><p>二：甲</p>"
    assert seen == [("请求", "甲")]


def test_registering_a_template_again_replaces_it(templates, monkeypatch):
    monkeypatch.setitem(navigation._PANELS, "test_slot", [])
    navigation.register_panel("test_slot", "second.html", lambda request, **v: {"case": "旧"})
    navigation.register_panel("test_slot", "second.html", lambda request, **v: {"case": "新"})
    assert render('{% panels "test_slot" %}') == "<p>二：新</p>"


def test_a_slot_nobody_registered_renders_nothing(templates):
    assert render('{% panels "nobody_registered" case="甲" %}') == ""
