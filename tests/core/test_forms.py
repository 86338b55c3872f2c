"""The quick select renders what Django's select renders (same elements, attributes, escaping, selection)."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django import forms

from tirek.core.forms import QuickSelect, QuickSelectMultiple

CHOICES = [("", "---"), ("a", "A & <b>"), ("Group", [("x", "X"), ("y", 'Y"')])]


class Elements(HTMLParser):
    """The elements, each with its attributes as a set (order does not matter in HTML), and the text."""

    def __init__(self):
        super().__init__()
        self.items = []

    def handle_starttag(self, tag, attrs):
        self.items.append((tag, frozenset(attrs)))

    def handle_endtag(self, tag):
        self.items.append(("/" + tag,))

    def handle_data(self, data):
        if data.strip():
            self.items.append(("text", data))


def parsed(html: str) -> list:
    parser = Elements()
    parser.feed(html)
    return parser.items


@pytest.mark.parametrize(
    ("quick", "django_widget", "value"),
    [(QuickSelect, forms.Select, "x"), (QuickSelectMultiple, forms.SelectMultiple, ["a", "y"])],
)
def test_the_quick_select_renders_as_djangos(quick, django_widget, value):
    attrs = {"class": "form-select", "aria-invalid": "true"}
    extra = {"id": "id_f", "required": True}
    ours = quick(attrs=attrs, choices=CHOICES).render("f", value, dict(extra))
    theirs = django_widget(attrs=attrs, choices=CHOICES).render("f", value, dict(extra))
    assert parsed(ours) == parsed(theirs)
    assert "A &amp; &lt;b&gt;" in ours and "<b>" not in ours
    assert ('<option value="y" selected>' in ours) is isinstance(value, list)
