"""Cheap pages (issue 21 point 1): what the pages keep between requests — translated texts, labels,
formatted dates, built URLs, rendered options — gives exactly what was computed before, in the
language and for the request at hand."""
from __future__ import annotations

from datetime import datetime, timezone

from flask import url_for as flask_url_for
from flask_babel import force_locale
from wtforms import SelectField
from wtforms.widgets import Select

from portal.formatting import format_moment
from portal.forms import PortalForm, _FastSelect
from portal.i18n import translate
from portal.labels import choices, label
from portal.urls import url_for


def test_a_page_speaks_the_language_of_each_request_after_the_other_one_was_kept(client, make, db, login_as):
    office = login_as(make.person(role="office", locale="de"))
    german = client.get("/groups").get_data(as_text=True)
    assert "Zum Inhalt springen" in german and ">Mitglieder<" in german and "Geschäftsstelle" in german
    office.locale = "en"
    db.session.commit()
    english = client.get("/groups").get_data(as_text=True)
    assert "Skip to content" in english and ">Members<" in english and "Coordination office" in english
    assert "Zum Inhalt springen" not in english and "Geschäftsstelle" not in english
    office.locale = "de"
    db.session.commit()
    assert "Geschäftsstelle" in client.get("/groups").get_data(as_text=True)


def test_force_locale_within_a_request_gets_its_own_texts_labels_and_dates(app):
    moment = datetime(2027, 1, 21, 16, 0, tzinfo=timezone.utc)
    with app.test_request_context("/", headers={"Accept-Language": "de"}):
        german = (label("role", "office"), translate("Mitglieder"), format_moment(moment, "weekday"))
        with force_locale("en"):
            english = (label("role", "office"), translate("Mitglieder"), format_moment(moment, "weekday"))
            assert choices("role")[0] == ("office", "Coordination office")
        again = (label("role", "office"), translate("Mitglieder"), format_moment(moment, "weekday"))
    assert german == again == ("Geschäftsstelle", "Mitglieder", "Donnerstag, 21. Januar 2027, 17:00")
    assert english == ("Coordination office", "Members", "Thursday, January 21, 2027, 5:00\u202fPM")
    assert label("sector", "nicht bekannt") == "nicht bekannt" and label("role", None) == ""


def test_kept_urls_are_flasks_urls(app):
    cases = [("members.index", {}), ("members.show", {"person_id": 3}), ("members.index", {"q": "a&b"}),
             ("groups.index", {"archived": True}), ("groups.index", {"archived": 1}),
             ("members.show", {"person_id": 3, "_anchor": "kontakt"}), ("members.index", {"_external": True}),
             ("static", {"filename": "portal.css"}), ("members.index", {"q": ["a", "b"]})]
    for script_root in ("", "/portal"):
        with app.test_request_context("/members", base_url=f"http://example.org{script_root}"):
            for _ in range(2):  # the second time from what was kept
                for endpoint, values in cases:
                    assert url_for(endpoint, **values) == flask_url_for(endpoint, **values), (endpoint, values)
            assert url_for("groups.index", archived=True) != url_for("groups.index", archived=1)
            assert url_for("members.index").startswith(f"{script_root}/")


def test_select_options_are_written_as_wtforms_writes_them(app):
    class Form(PortalForm):
        pick = SelectField(choices=[("1", "Eins"), ("2", 'Zwei <"&">'), (3, "Drei"), (True, "Ja"),
                                    ("x", "")], coerce=str)
        described = SelectField(choices=[("a", "A", {"disabled": True}), ("b", "B")])

    with app.test_request_context("/"):
        form = Form(meta={"csrf": False}, data={"pick": "2", "described": "b"})
        for field in (form.pick, form.described):
            assert str(field()) == str(Select()(field)), field.name
            assert str(field(class_="wide")) == str(Select()(field, class_="wide"))
            assert str(_FastSelect()(field)) == str(Select()(field))
        assert "<option selected value=\"2\">Zwei &lt;&#34;&amp;&#34;&gt;</option>" in str(form.pick())
