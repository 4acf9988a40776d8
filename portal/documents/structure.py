"""The structure tree of a rendered PDF made to pass the checks of PDF/UA-1 (ISO 14289-1, as a
validator such as veraPDF applies the Matterhorn Protocol), in one pass after WeasyPrint.

WeasyPrint 70 tags every PDF, but leaves these gaps, each closed here:
- **Artifacts.** The content of the page-margin boxes (running header, page numbers, the footer
  note and the draft watermark, a running element in a margin box; see print.css) is marked
  content with an MCID whose structure element is not in the tree. Every such piece becomes
  `/Artifact <</Type /Pagination>> BDC` in the page's content stream, and its entry in the
  parent tree is cleared.
- **Table headers.** A TH gets `/Scope`: `/Column` in a THead row or in a row of header cells
  only, otherwise `/Row` (the print templates write `scope="col"` headers in `<thead>` and
  `scope="row"` headers as the first cell of a body row, so this is what the HTML said).
- **Links.** A link annotation whose OBJR sits under a Span (a `<span>` inside an `<a>`) or
  under a second Link nested in the first (`a::after`) moves to the outermost Link element,
  the annotation's parent-tree entry with it; a Link left without annotation becomes a Span.
- **Lists.** An L holds only LI (and L, Caption): a Div between them is dissolved, any other
  kid joins the LBody of the item before it; an LI holds only Lbl and LBody.
- `/Lang` of the document, and `pdfuaid:part=1` in the XMP metadata (with the PDF/A extension
  schema that declares it) only when `problems()` finds nothing left to fix. Figures keep the
  `/Alt` WeasyPrint took from `alt` or from an SVG's `<title>`; one without it is a problem.
"""
from __future__ import annotations

import io
import logging
import re

import pikepdf
from pikepdf import Array, Dictionary, Name

LIST_KIDS = {"/LI", "/L", "/Caption"}
ITEM_KIDS = {"/Lbl", "/LBody"}
ROW_GROUPS = {"/THead", "/TBody", "/TFoot"}
log = logging.getLogger(__name__)
ARTIFACT = (Name.Artifact, Dictionary(Type=Name.Pagination))

UA_XMP = b"""<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" \
xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">\
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">\
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>\
<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>\
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>\
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">\
<pdfaProperty:name>part</pdfaProperty:name><pdfaProperty:valueType>Integer</pdfaProperty:valueType>\
<pdfaProperty:category>internal</pdfaProperty:category>\
<pdfaProperty:description>Part of ISO 14289 the document conforms to</pdfaProperty:description>\
</rdf:li></rdf:Seq></pdfaSchema:property></rdf:li></rdf:Bag></pdfaExtension:schemas></rdf:Description>
<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"><pdfuaid:part>1</pdfuaid:part>\
</rdf:Description>
"""


def fix_structure(pdf: bytes, lang: str) -> bytes:
    """The PDF with its structure completed as described above."""
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        tree = StructTree(doc)
        marked = _mark_artifacts(doc, tree)
        for element in tree.elements("/Table"):
            _scope_headers(element)
        _fix_links(doc, tree)
        for element in tree.elements("/L"):
            _fix_list(element)
        for element in tree.elements("/LI"):
            _fix_item(element)
        doc.Root.Lang = pikepdf.String(lang)
        found = problems(doc, StructTree(doc), marked)
        if found:
            log.warning("PDF/UA not claimed: %s", "; ".join(sorted(set(found))))
        else:
            _declare_ua(doc)
        out = io.BytesIO()
        doc.save(out)
        return out.getvalue()


# -- the tree ------------------------------------------------------------------------------------

def kids(element: Dictionary) -> list:
    k = element.get("/K")
    if k is None:
        return []
    return list(k) if isinstance(k, Array) else [k]


def is_element(kid) -> bool:
    return isinstance(kid, Dictionary) and "/S" in kid


class StructTree:
    """The elements reachable from the StructTreeRoot, in reading order, and the parent tree."""

    def __init__(self, doc: pikepdf.Pdf) -> None:
        root = doc.Root.StructTreeRoot
        self.order: list[Dictionary] = []
        self.reachable: set[tuple[int, int]] = set()
        stack = list(reversed(kids(root)))
        while stack:
            element = stack.pop()
            if not is_element(element) or element.objgen in self.reachable:
                continue
            self.reachable.add(element.objgen)
            self.order.append(element)
            stack.extend(reversed([k for k in kids(element) if is_element(k)]))
        nums = root.ParentTree.Nums
        self.parent_tree = nums
        self.keys = {int(nums[i]): i + 1 for i in range(0, len(nums), 2)}

    def elements(self, tag: str) -> list[Dictionary]:
        return [e for e in self.order if e.S == tag]

    def entry(self, key: int):
        return self.parent_tree[self.keys[key]] if key in self.keys else None

    def set_entry(self, key: int, value) -> None:
        self.parent_tree[self.keys[key]] = value


def _set_kids(element: Dictionary, new: list) -> None:
    element.K = Array(new)
    for kid in new:
        if is_element(kid):
            kid.P = element



# -- artifacts -----------------------------------------------------------------------------------

def _mark_artifacts(doc: pikepdf.Pdf, tree: StructTree) -> dict[int, set[int]]:
    """Marked content outside the tree becomes an artifact; returns the MCIDs left per page."""
    marked: dict[int, set[int]] = {}
    for number, page in enumerate(doc.pages):
        key = int(page.obj.get("/StructParents", number))
        mcids = tree.entry(key)
        orphans = {mcid for mcid, element in enumerate(mcids or [])
                   if is_element(element) and element.objgen not in tree.reachable}
        instructions = pikepdf.parse_content_stream(page)
        left = set()
        for index, (operands, operator) in enumerate(instructions):
            if str(operator) != "BDC" or not isinstance(operands[1], Dictionary):
                continue
            mcid = operands[1].get("/MCID")
            if mcid is None:
                continue
            if int(mcid) in orphans:
                instructions[index] = pikepdf.ContentStreamInstruction(ARTIFACT, pikepdf.Operator("BDC"))
            else:
                left.add(int(mcid))
        marked[key] = left
        if orphans:
            page.Contents = doc.make_stream(pikepdf.unparse_content_stream(instructions))
            for mcid in orphans:
                mcids[mcid] = None
    return marked


# -- table headers -------------------------------------------------------------------------------

def _rows(table: Dictionary):
    for kid in kids(table):
        if not is_element(kid):
            continue
        if kid.S == "/TR":
            yield kid, "/TBody"
        elif kid.S in ROW_GROUPS:
            for row in kids(kid):
                if is_element(row) and row.S == "/TR":
                    yield row, kid.S


def _scope_headers(table: Dictionary) -> None:
    for row, group in _rows(table):
        cells = [c for c in kids(row) if is_element(c)]
        headers_only = all(c.S == "/TH" for c in cells)
        for cell in cells:
            if cell.S == "/TH":
                scope = Name.Column if group == "/THead" or headers_only else Name.Row
                _table_attributes(cell).Scope = scope


def _table_attributes(cell: Dictionary) -> Dictionary:
    attributes = cell.get("/A")
    candidates = list(attributes) if isinstance(attributes, Array) else [attributes] if attributes else []
    for candidate in candidates:
        if isinstance(candidate, Dictionary) and candidate.get("/O") == Name.Table:
            return candidate
    table = Dictionary(O=Name.Table)
    cell.A = Array([*candidates, table]) if candidates else table
    return table


# -- links ---------------------------------------------------------------------------------------

def _objr_of(element: Dictionary, annotation: Dictionary):
    for kid in kids(element):
        if isinstance(kid, Dictionary) and kid.get("/Type") == Name.OBJR and kid.Obj.objgen == annotation.objgen:
            return kid
    return None


def _fix_links(doc: pikepdf.Pdf, tree: StructTree) -> None:
    for page in doc.pages:
        for annotation in page.obj.get("/Annots", []):
            if annotation.get("/Subtype") != Name.Link or "/StructParent" not in annotation:
                continue
            key = int(annotation.StructParent)
            holder = tree.entry(key)
            objr = _objr_of(holder, annotation) if is_element(holder) else None
            if objr is None:
                continue
            target, element = None, holder
            while is_element(element):  # the outermost Link around the holder
                if element.S == "/Link":
                    target = element
                element = element.get("/P")
            if target is None:
                holder.S = Name.Link
            elif target.objgen != holder.objgen:
                holder.K = Array([k for k in kids(holder) if not (isinstance(k, Dictionary)
                                                                  and k.objgen == objr.objgen)])
                target.K = Array([*kids(target), objr])
                tree.set_entry(key, target)
    for element in tree.elements("/Link"):
        if not any(isinstance(k, Dictionary) and k.get("/Type") == Name.OBJR for k in kids(element)):
            element.S = Name.Span


# -- lists ---------------------------------------------------------------------------------------

def _fix_list(lst: Dictionary) -> None:
    new: list = []
    pending = list(kids(lst))
    while pending:
        kid = pending.pop(0)
        if is_element(kid) and kid.S in LIST_KIDS:
            new.append(kid)
        elif is_element(kid) and kid.S in ("/Div", "/NonStruct") and any(
                is_element(k) and k.S == "/LI" for k in kids(kid)):
            pending[0:0] = kids(kid)  # a wrapper between the list and its items
        elif new and new[-1].S == "/LI":
            body = _body(new[-1])
            _set_kids(body, [*kids(body), kid])
        else:
            item = _element(lst, "/LI", lst)
            body = _element(lst, "/LBody", item)
            _set_kids(body, [kid])
            _set_kids(item, [body])
            new.append(item)
    _set_kids(lst, new)


def _fix_item(item: Dictionary) -> None:
    labels = [k for k in kids(item) if is_element(k) and k.S == "/Lbl"]
    other = [k for k in kids(item) if not (is_element(k) and k.S == "/Lbl")]
    if len(other) == 1 and is_element(other[0]) and other[0].S == "/LBody":
        return
    body = _element(item, "/LBody", item)
    content = []
    for kid in other:
        content.extend(kids(kid) if is_element(kid) and kid.S == "/LBody" else [kid])
    _set_kids(body, content)
    _set_kids(item, [*labels, body])


def _body(item: Dictionary) -> Dictionary:
    for kid in kids(item):
        if is_element(kid) and kid.S == "/LBody":
            return kid
    body = _element(item, "/LBody", item)
    _set_kids(item, [*kids(item), body])
    return body


def _element(near: Dictionary, tag: str, parent: Dictionary) -> Dictionary:
    element = near.owner.make_indirect(Dictionary(Type=Name.StructElem, S=Name(tag), P=parent, K=Array()))
    if "/Pg" in near:
        element.Pg = near.Pg
    return element


# -- the checks ----------------------------------------------------------------------------------

def problems(doc: pikepdf.Pdf, tree: StructTree, marked: dict[int, set[int]]) -> list[str]:
    """What a PDF/UA validator would still find in the points above (empty: none)."""
    found = []
    if not str(doc.Root.get("/Lang", "")):
        found.append("no /Lang")
    for key, mcids in marked.items():
        entries = tree.entry(key)
        for mcid in mcids:
            element = entries[mcid] if entries is not None and mcid < len(entries) else None
            if not is_element(element) or element.objgen not in tree.reachable:
                found.append(f"marked content {key}/{mcid} is neither in the tree nor an artifact")
    for element in tree.order:
        tag = str(element.S)
        if tag == "/TH" and "/Scope" not in _table_attributes(element):
            found.append("TH without /Scope")
        elif tag == "/Figure" and not str(element.get("/Alt", "")).strip():
            found.append("Figure without /Alt")
        elif tag == "/L" and any(not is_element(k) or k.S not in LIST_KIDS for k in kids(element)):
            found.append("L with a kid other than LI")
        elif tag == "/LI" and any(not is_element(k) or k.S not in ITEM_KIDS for k in kids(element)):
            found.append("LI with a kid other than Lbl/LBody")
    for page in doc.pages:
        for annotation in page.obj.get("/Annots", []):
            if annotation.get("/Subtype") != Name.Link:
                continue
            holder = tree.entry(int(annotation.get("/StructParent", -1)))
            if not (is_element(holder) and holder.S == "/Link" and holder.objgen in tree.reachable
                    and _objr_of(holder, annotation) is not None):
                found.append("link annotation not under a /Link element")
    levels = [int(str(e.S)[2:]) for e in tree.order if re.fullmatch(r"/H[1-6]", str(e.S))]
    for before, after in zip([0, *levels], levels, strict=False):
        if after > before + 1:
            found.append(f"heading H{after} follows H{before}")
            break
    return found


def _declare_ua(doc: pikepdf.Pdf) -> None:
    xmp = doc.Root.Metadata.read_bytes()
    if b"pdfuaid" in xmp:
        return
    xmp = xmp.replace(b"</rdf:RDF>", UA_XMP + b"</rdf:RDF>", 1)
    doc.Root.Metadata.write(xmp)
