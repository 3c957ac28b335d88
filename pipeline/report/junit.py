"""``--format junit``: JUnit XML for CI test-report viewers.

One ``testsuite`` per document; each finding (claim or promo removal) is a failing
``testcase`` named ``Rule.ID at path:line:col``; a document without findings gets one
passing testcase so it still shows up; a stage error is an ``error`` testcase.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import TYPE_CHECKING

from pipeline.document import Category, Document, Finding, LineIndex

if TYPE_CHECKING:
    from pipeline.report import ReportContext

# Characters XML 1.0 cannot carry, even escaped.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def render(docs: Sequence[Document], context: ReportContext) -> str:
    """The JUnit XML report."""
    del context  # the same for every run: no per-run fields
    root = ET.Element("testsuites", name="healthvet")
    totals = [0, 0, 0]
    for doc in docs:
        suite = _suite(doc)
        root.append(suite)
        totals = [
            t + int(suite.get(k, "0")) for t, k in zip(totals, ("tests", "failures", "errors"), strict=True)
        ]
    root.set("tests", str(totals[0]))
    root.set("failures", str(totals[1]))
    root.set("errors", str(totals[2]))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _clean(value: str) -> str:
    return _XML_INVALID.sub("\ufffd", value)


def _suite(doc: Document) -> ET.Element:
    name = _clean(doc.source.name)
    findings = doc.reported_findings()
    suite = ET.Element("testsuite", name=name)
    index = LineIndex(doc.text)
    for finding in findings:
        suite.append(_failing_case(name, index, finding))
    for error in doc.errors:
        case = ET.SubElement(suite, "testcase", name=f"{error.stage} stage", classname=name)
        ET.SubElement(case, "error", message=_clean(error.message), type=error.code).text = _clean(
            f"{name}: error in {error.stage}: [{error.code}] {error.message}"
        )
    if not findings and not doc.errors:
        ET.SubElement(suite, "testcase", name="no findings", classname=name)
    suite.set("tests", str(max(1, len(findings) + len(doc.errors))))
    suite.set("failures", str(len(findings)))
    suite.set("errors", str(len(doc.errors)))
    return suite


def _failing_case(name: str, index: LineIndex, finding: Finding) -> ET.Element:
    line, col = index.line_col(finding.start)
    where = f"{name}:{line}:{col}"
    case = ET.Element("testcase", name=_clean(f"{finding.rule} at {where}"), classname=name)
    body = [f"{where}: {finding.level} {finding.rule}: {finding.message}", f"match: {finding.match}"]
    if finding.category is Category.PROMO:
        body.append("removed from the cleaned article")
    if finding.suggestion:
        body.append(f"suggestion: {finding.suggestion}")
    failure = ET.SubElement(case, "failure", message=_clean(finding.message), type=finding.rule)
    failure.text = _clean("\n".join(body))
    return case
