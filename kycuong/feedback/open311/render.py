"""One Python structure, two formats: the JSON and the XML of every answer carry the same data.

XML follows the GeoReport v2 examples: a root element, one child per item, lists inside an item wrapped in
their plural tag (attributes/attribute, values/value, endpoints/endpoint, formats/format); None is an
empty element, booleans are "true"/"false".
"""
import json
from xml.etree import ElementTree as ET

from django.http import HttpResponse

SINGULAR = {"attributes": "attribute", "values": "value", "endpoints": "endpoint", "formats": "format"}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _fill(element, value):
    if isinstance(value, dict):
        for key, item in value.items():
            _fill(ET.SubElement(element, key), item)
    elif isinstance(value, list):
        tag = SINGULAR.get(element.tag, "item")
        for item in value:
            _fill(ET.SubElement(element, tag), item)
    else:
        element.text = _text(value)


def to_xml(root: str, item: str | None, data) -> bytes:
    """`data` is a list of items (each becomes <item>) or, with item None, one dict (the root's children)."""
    element = ET.Element(root)
    if item is None:
        _fill(element, data)
    else:
        for entry in data:
            _fill(ET.SubElement(element, item), entry)
    return b'<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(element, encoding="utf-8", xml_declaration=False)


def respond(fmt: str, data, *, root: str, item: str | None, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        return HttpResponse(to_xml(root, item, data), status=status, content_type="text/xml; charset=utf-8")
    body = json.dumps(data, ensure_ascii=False)
    return HttpResponse(body.encode("utf-8"), status=status, content_type="application/json; charset=utf-8")


def errors(fmt: str, status: int, description: str) -> HttpResponse:
    """The spec's error body: [{"code": …, "description": …}] / <errors><error>…</error></errors>."""
    return respond(fmt, [{"code": status, "description": str(description)}], root="errors", item="error",
                   status=status)
