"""The PDFs' structure trees checked as a PDF/UA validator would: the minutes (draft and published)
and the progress report (German, English, and too long to print in full), each rendered once
through the real views, then
walked with pikepdf (the tree) and pypdf (which text is tagged, which is an artifact).

Each test checks one point of PDF/UA-1 on all five documents:
table headers with /Scope, link annotations under /Link, lists as L/LI/LBody, running headers,
footers and the watermark as artifacts, figures with alternative text, /Lang, pdfuaid."""
from __future__ import annotations

import io
import re
from datetime import date

import pikepdf
import pypdf
import pytest

from portal.auth import sessions
from portal.documents.render import render_pdf
from portal.extensions import db as _db
from tests import factories
from tests.conftest import PortalClient, rolled_back
from tests.factories import utc
from tests.test_minutes_pdf import _minutes

MARKDOWN = ("Besprochen:\n\n- Lastenräder für die Innenstadt\n- die Plattform [Louise](https://louise.example.org)\n"
            "\n1. Angebot einholen\n2. Vertrag schließen")
PERIOD = "start=2025-01-01&end=2025-03-31"


@pytest.fixture(scope="module")
def pdfs(app) -> dict[str, bytes]:
    """The five documents, rendered once for this module; the data are rolled back afterwards."""
    with rolled_back(app):
        make = factories.Factory(_db.session)
        app.test_client_class = PortalClient
        client = app.test_client()

        def login(person):
            sessions.start(person)
            _db.session.commit()
            with client.session_transaction() as session:
                session["_user_id"] = person.get_id()
                session["_fresh"] = True

        draft, office, _, _ = _minutes(make)
        draft.agenda_items[0].minutes_text = MARKDOWN
        approved, _, _, _ = _minutes(make, status="approved", agenda=1, group="Handwerk digital")
        approved.agenda_items[0].minutes_text = MARKDOWN
        approved.approved_at, approved.approved_by = utc(2030, 3, 20, 9), office
        _reports_data(make, office)
        login(office)
        documents = {"draft": client.get(f"/meetings/{draft.id}/minutes.pdf")}
        assert client.post(f"/meetings/{approved.id}/minutes/publish").status_code == 302
        documents["published"] = client.get(f"/meetings/{approved.id}/minutes.pdf")
        client.post(f"/reports?{PERIOD}", data={"text": f"Ein gutes Quartal.\n\n{MARKDOWN}"})
        documents["report-de"] = client.get(f"/reports/progress.pdf?{PERIOD}")
        with pytest.MonkeyPatch.context() as patch:  # the groups as one table, the lists as attached files
            patch.setitem(app.config, "REPORT_PRINT_ENTRIES", 0)
            documents["report-summarized"] = client.get(f"/reports/progress.pdf?{PERIOD}")
        login(make.person("observer", locale="en"))
        documents["report-en"] = client.get(f"/reports/progress.pdf?{PERIOD}")
        for response in documents.values():
            assert response.status_code == 200 and response.mimetype == "application/pdf"
        return {name: response.data for name, response in documents.items()}


def _reports_data(make, office) -> None:
    """A quarter with a meeting, a decision, an action item, an outcome and two sectors."""
    group = make.group(name="Handel der Zukunft 2025")
    shop = make.organization(name="Modehaus Berg", sector="Handel")
    member = make.person(name="Anna Eins", organization=shop, joined_at=utc(2024, 1, 1, 9))
    make.person(name="Ben Zwei", organization=make.organization(name="Tischlerei", sector="Handwerk"),
                joined_at=utc(2024, 1, 1, 9))
    make.membership(member, group, joined_at=utc(2024, 2, 1, 9))
    meeting = make.meeting(group, starts_at=utc(2025, 2, 10, 17), status="held", minutes_status="published",
                           title="Lieferdienst")
    make.participation(meeting, member, attendance="present")
    make.decision(meeting, text="Der Lieferdienst startet.", votes_yes=5, votes_no=0, votes_abstain=1)
    make.action_item(member, group, meeting=meeting, created_at=utc(2025, 2, 10, 19), due_on=date(2025, 3, 1))
    make.outcome(group, title="Louise", status="running")


DOCUMENTS = ["draft", "published", "report-de", "report-en", "report-summarized"]


class Tree:
    """A document's structure tree as a validator walks it: every element reachable from the
    StructTreeRoot, with its parent, in reading order."""

    def __init__(self, data: bytes) -> None:
        self.pdf = pikepdf.open(io.BytesIO(data))
        self.elements: list[pikepdf.Dictionary] = []
        self.parent: dict[tuple, pikepdf.Dictionary] = {}
        self._walk(self.pdf.Root.StructTreeRoot)
        self.ids = {e.objgen for e in self.elements}
        nums = self.pdf.Root.StructTreeRoot.ParentTree.Nums
        self.parent_tree = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}

    def _walk(self, node) -> None:
        for kid in self.kids(node):
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                self.elements.append(kid)
                self.parent[kid.objgen] = node
                self._walk(kid)

    @staticmethod
    def kids(node) -> list:
        k = node.get("/K")
        return [] if k is None else list(k) if isinstance(k, pikepdf.Array) else [k]

    def tagged(self, tag: str) -> list[pikepdf.Dictionary]:
        return [e for e in self.elements if e.S == tag]

    def structure_kinds(self, element) -> list[str]:
        return [str(k.S) if isinstance(k, pikepdf.Dictionary) and "/S" in k else repr(k)
                for k in self.kids(element)]


@pytest.fixture(scope="module")
def trees(pdfs) -> dict[str, Tree]:
    return {name: Tree(data) for name, data in pdfs.items()}


def _table_attribute(cell, key):
    attributes = cell.get("/A")
    for attribute in list(attributes) if isinstance(attributes, pikepdf.Array) else [attributes]:
        if isinstance(attribute, pikepdf.Dictionary) and attribute.get("/O") == "/Table" and key in attribute:
            return attribute[key]
    return None


@pytest.mark.parametrize("name", DOCUMENTS)
def test_every_table_header_has_the_scope_the_html_gave_it(trees, name):
    tree = trees[name]
    scopes = {"/THead": set(), "/TBody": set()}
    for cell in tree.tagged("/TH"):
        scope = _table_attribute(cell, "/Scope")
        assert scope in ("/Column", "/Row"), f"TH without /Scope in {name}"
        group = tree.parent[tree.parent[cell.objgen].objgen]  # TH → TR → THead/TBody
        scopes[str(group.S)].add(str(scope))
    # header rows (<th scope="col"> in <thead>) and row headers (<th scope="row"> in <tbody>)
    assert scopes == {"/THead": {"/Column"}, "/TBody": {"/Row"}}


@pytest.mark.parametrize("name", DOCUMENTS)
def test_every_link_annotation_belongs_to_a_link_element(trees, name):
    tree = trees[name]
    annotations = [a for page in tree.pdf.pages for a in page.obj.get("/Annots", []) if a.Subtype == "/Link"]
    assert annotations  # the Markdown link in the minutes, the contents and index in the report
    holders = {}
    for element in tree.elements:
        for kid in tree.kids(element):
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
                assert element.S == "/Link", f"OBJR under {element.S} in {name}"
                holders[kid.Obj.objgen] = element
    for annotation in annotations:
        holder = holders.get(annotation.objgen)
        assert holder is not None, f"annotation to {annotation.get('/Contents')} has no OBJR in the tree"
        assert tree.parent_tree[int(annotation.StructParent)].objgen == holder.objgen
        assert str(annotation.Contents)  # its alternative description
    for link in tree.tagged("/Link"):
        assert any(isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/OBJR" for k in tree.kids(link))


@pytest.mark.parametrize("name", DOCUMENTS)
def test_lists_are_l_li_lbl_lbody(trees, name):
    tree = trees[name]
    lists = tree.tagged("/L")
    assert lists
    for element in lists:
        assert set(tree.structure_kinds(element)) <= {"/LI", "/L", "/Caption"}, tree.structure_kinds(element)
    for item in tree.tagged("/LI"):
        kinds = tree.structure_kinds(item)
        assert kinds.count("/LBody") == 1 and set(kinds) <= {"/Lbl", "/LBody"}, kinds
    # the Markdown lists keep their bullets and numbers as labels
    assert any("/Lbl" in tree.structure_kinds(item) for item in tree.tagged("/LI"))


def _text_by_marking(data: bytes) -> list[dict[str, str]]:
    """Per page: the text inside marked content of the structure tree ("tagged"), inside an
    artifact ("artifact"), and outside both ("unmarked")."""
    pages = []
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        stack, found = [], {"tagged": [], "artifact": [], "unmarked": []}

        def operator(op, args, cm, tm, stack=stack):
            if op in (b"BDC", b"BMC"):
                properties = args[1] if op == b"BDC" and isinstance(args[1], dict) else {}
                stack.append((args[0], properties.get("/MCID")))
            elif op == b"EMC":
                stack.pop()

        def text(content, cm, tm, font, size, stack=stack, found=found):
            if any(tag == "/Artifact" for tag, _ in stack):
                found["artifact"].append(content)
            elif any(mcid is not None for _, mcid in stack):
                found["tagged"].append(content)
            elif content.strip():
                found["unmarked"].append(content)

        page.extract_text(visitor_operand_before=operator, visitor_text=text)
        pages.append({kind: "".join(parts) for kind, parts in found.items()})
    return pages


@pytest.mark.parametrize("name", DOCUMENTS)
def test_running_headers_footers_and_watermark_are_artifacts(pdfs, trees, name):
    tree = trees[name]
    pages = _text_by_marking(pdfs[name])
    page_of = "Page {n} of {m}" if name == "report-en" else "Seite {n} von {m}"
    first = 1 if name.startswith("report") else 0  # the report's cover has no footer
    for n, page in enumerate(pages, start=1):
        assert not page["unmarked"].strip()
        assert "Seite" not in page["tagged"] and "Page" not in page["tagged"]
        if n > first:
            assert page_of.format(n=n, m=len(pages)) in page["artifact"]
        if n > 1:  # after the document's own header on page 1, the running header and footer note
            assert "Wirtschaftsallianz Bottrop" in page["artifact"]
            assert "Wirtschaftsallianz Bottrop" not in page["tagged"]
            assert "Stand:" not in page["tagged"] and "As of" not in page["tagged"]
        watermark = page["artifact"].count("ENTWURF") - page["artifact"].count("– ENTWURF")
        assert watermark == (1 if name == "draft" else 0)
        assert page["tagged"].count("ENTWURF") == (1 if name == "draft" and n == 1 else 0)  # in the title
    # every marked content with an MCID belongs to an element of the tree
    for number, page in enumerate(tree.pdf.pages):
        elements = tree.parent_tree[int(page.obj.StructParents)]
        for operands, _operator in pikepdf.parse_content_stream(page, "BDC"):
            if isinstance(operands[1], pikepdf.Dictionary) and "/MCID" in operands[1]:
                assert elements[int(operands[1].MCID)].objgen in tree.ids, (name, number)


def test_watermark_letters_stay_out_of_the_body_text(pdfs):
    """In plain text extraction, which ignores marking, the watermark follows the page's footer."""
    pages = [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdfs["draft"])).pages]
    for n, text in enumerate(pages, start=1):
        body, footer = text.split(f"Seite {n} von {len(pages)}")
        assert "ENTWURF" not in body.replace("– ENTWURF", "")
        assert not re.search(r"^[ENTWURF]{1,6}$", body, re.MULTILINE)  # no letters of it between lines
        assert footer.strip() == "ENTWURF"


@pytest.mark.parametrize("name", DOCUMENTS)
def test_every_figure_has_an_alternative_text(trees, name):
    figures = trees[name].tagged("/Figure")
    assert figures  # the logo, and the charts in the report
    for figure in figures:
        assert str(figure.get("/Alt", "")).strip()
    charts = [str(f.Alt) for f in figures if not str(f.Alt).startswith("Logo")]
    if name.startswith("report"):
        assert len(charts) == 3


@pytest.mark.parametrize("name,kinds", [
    ("report-de", ("Säulendiagramm: Anwesende je Monat, Jan. 2025 bis März 2025; Anwesende insgesamt 1, "
                   "höchster Wert 1 (Feb. 2025).",
                   "Säulendiagramm: angelegte und erledigte Aufgaben je Monat",
                   "Balkendiagramm: Mitgliedsorganisationen nach Branche: Handwerk 1, Handel 1.")),
    ("report-en", ("Column chart: Attendees per month, Jan 2025 to Mar 2025; Attendees 1 in total, "
                   "highest 1 (Feb 2025).",
                   "Column chart: action items created and done per month",
                   "Bar chart: Member organizations by sector: Crafts 1, Retail 1.")),
])
def test_chart_alternative_text_says_what_the_chart_shows(trees, name, kinds):
    charts = [str(f.Alt) for f in trees[name].tagged("/Figure") if not str(f.Alt).startswith("Logo")]
    assert [alt[:len(start)] for alt, start in zip(charts, kinds, strict=True)] == list(kinds), charts
    assert "angelegt insgesamt 1" in charts[1] or "created 1 in total" in charts[1]


@pytest.mark.parametrize("name,lang", [("draft", "de"), ("published", "de"), ("report-de", "de"),
                                       ("report-en", "en"), ("report-summarized", "de")])
def test_document_language_is_set(trees, name, lang):
    assert str(trees[name].pdf.Root.Lang) == lang


@pytest.mark.parametrize("name", DOCUMENTS)
def test_pdfua_identification_with_its_pdfa_extension_schema(trees, name):
    xmp = trees[name].pdf.Root.Metadata.read_bytes().decode()
    assert re.search(r"<pdfuaid:part>1</pdfuaid:part>|pdfuaid:part=\"1\"", xmp)
    assert "<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>" in xmp  # PDF/A allows only declared schemas
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="A"' in xmp
    assert trees[name].pdf.Root.MarkInfo.Marked
    assert trees[name].pdf.Root.ViewerPreferences.DisplayDocTitle


# -- small documents: the rules where the portal's templates do not reach them --------------------

def _small(body: str) -> Tree:
    return Tree(render_pdf(f'<!doctype html><html lang="de"><title>T</title><body>{body}</body></html>', "T"))


def test_header_row_without_thead_is_a_column_header_and_a_body_row_header_a_row_header():
    tree = _small("<table><tr><th>Monat</th><th>Treffen</th></tr><tr><th>Januar</th><td>2</td></tr></table>")
    assert [str(_table_attribute(cell, "/Scope")) for cell in tree.tagged("/TH")] == ["/Column", "/Column", "/Row"]


def test_pdfua_is_claimed_only_when_every_check_passes():
    with_alt = _small('<p>Text</p><img src="logo.svg" alt="Logo der Allianz" width="20" height="20">')
    without_alt = _small('<p>Text</p><img src="logo.svg" width="20" height="20">')
    assert b"pdfuaid" in with_alt.pdf.Root.Metadata.read_bytes()
    assert b"pdfuaid" not in without_alt.pdf.Root.Metadata.read_bytes()
    assert 'pdfaid:part="3"' in without_alt.pdf.Root.Metadata.read_bytes().decode()  # still PDF/A


@pytest.mark.parametrize("name", DOCUMENTS)
def test_attached_files_are_associated_files_with_names_and_descriptions(pdfs, name):
    """PDF/UA-1 7.11 and PDF/A-3: a file specification has /F and /UF, a description, and is named in
    the catalogue's /AF; only the report too long to print its lists carries files (those lists)."""
    with pikepdf.open(io.BytesIO(pdfs[name])) as pdf:
        attached = {name: spec.obj for name, spec in pdf.attachments.items()}
        associated = {str(spec.UF) for spec in pdf.Root.get("/AF", [])}
        assert set(attached) == ({"treffen.csv", "beschluesse.csv", "ziele-und-ergebnisse.csv"}
                                 if name == "report-summarized" else set())
        for file_name, spec in attached.items():
            assert spec.F == spec.UF == file_name and str(spec.Desc) and spec.AFRelationship == "/Supplement"
            assert file_name in associated
