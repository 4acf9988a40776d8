"""A form sent back with errors starts with a list of them, each a link to its field."""
from __future__ import annotations

import re


def _summary(html: str) -> list[tuple[str, str]]:
    box = re.search(r'<div class="form-errors"[^>]*data-error-summary>(.*?)</div>', html, re.S)
    assert box, "no error summary"
    return re.findall(r'<a href="#([\w-]+)">(.*?)</a>', box.group(1), re.S)


def test_each_error_is_listed_with_a_link_to_its_field(client, make, login_as):
    login_as(make.person("office"))
    response = client.post("/groups/new", data={"name": "", "description": "x" * 20001})
    assert response.status_code == 422
    listed = _summary(response.text)
    assert [field for field, _ in listed][:2] == ["name", "description"]
    assert all(f'id="{field}"' in response.text for field, _ in listed)
    assert listed[0][1].startswith("Name")
    assert 'tabindex="-1"' in response.text and "/static/forms.js" in response.text


def test_errors_inside_a_list_of_subforms_link_to_their_row(client, make, login_as):
    office = make.person("office")
    group = make.group()
    login_as(office)
    response = client.post("/outcomes/new", data={
        "title": "Louise", "status": "running", "group": str(group.id),
        "milestones-0-title": "Pilot", "milestones-0-due_on": "kein Datum"})
    assert response.status_code == 422
    assert ("milestones-0-due_on" in [field for field, _ in _summary(response.text)])


def test_a_page_without_errors_has_no_summary(client, make, login_as):
    login_as(make.person("office"))
    assert "data-error-summary" not in client.get("/groups/new").text
