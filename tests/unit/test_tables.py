"""acttutor.tables: a Table renders as text and HTML, with inline maths, and rejects ragged rows."""

from __future__ import annotations

import pytest


def test_table_rendering():
    from acttutor.tables import Table

    t = Table(["name", "ok", "value", "none"], [["a|b", True, 0.123456, None]])
    assert t.rows == [{"name": "a|b", "ok": True, "value": 0.123456, "none": None}]
    text = str(t)
    assert "yes" in text and "0.123" in text and "—" in text
    assert "<td>a|b</td>" in t._repr_html_()
    maths = Table(["f"], [["$x < 1$ or $y$"], ["costs $5"]])._repr_html_()
    assert r'<span class="math notranslate nohighlight">\(x &lt; 1\)</span> or ' in maths
    assert "<td>costs $5</td>" in maths  # an unpaired dollar stays text
    with pytest.raises(ValueError, match="row 0 has 1 values for 2 columns"):
        Table(["a", "b"], [[1]])
    with pytest.raises(KeyError, match="No column"):
        t.column("missing")
