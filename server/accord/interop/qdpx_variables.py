"""REFI-QDA variables: typed values in, typed values out.

A variable is declared once (``<Variable typeOfVariable=...>``) and valued on sources and
cases (``<VariableValue>`` holding one of ``TextValue``, ``BooleanValue``,
``IntegerValue``, ``FloatValue``, ``DateValue``, ``DateTimeValue``). Accord keeps values
as document attributes: booleans, integers and floats as JSON values of that type, dates
and times as their ISO text. On export a variable's type is the one the file declared,
else the one all its values share (ISO dates are Dates), else Text.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from accord.interop.guids import normalise_guid
from accord.interop.model import AttributeValue, VariableType

#: Value element per variable type, in the schema's order.
VALUE_ELEMENTS: dict[VariableType, str] = {
    "Text": "TextValue",
    "Boolean": "BooleanValue",
    "Integer": "IntegerValue",
    "Float": "FloatValue",
    "Date": "DateValue",
    "DateTime": "DateTimeValue",
}
_TYPE_OF_ELEMENT = {element: kind for kind, element in VALUE_ELEMENTS.items()}
_DATE = re.compile(r"^-?\d{4,}-\d{2}-\d{2}(Z|[+-]\d{2}:\d{2})?$")
_DATETIME = re.compile(r"^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$")
_DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def variable_type(value: str | None) -> VariableType:
    """The declared ``typeOfVariable``; anything unknown reads as Text."""
    text = (value or "").strip()
    return text if text in VALUE_ELEMENTS else "Text"


def read_declarations(root: ET.Element, ns: str) -> dict[str, tuple[str, VariableType]]:
    """Variable GUID -> (name, declared type)."""
    return {
        normalise_guid(v.get("guid")): (
            v.get("name") or "",
            variable_type(v.get("typeOfVariable")),
        )
        for v in root.iterfind(f"{ns}Variables/{ns}Variable")
    }


def typed_value(kind: VariableType, text: str) -> AttributeValue:
    """A value as Accord keeps it; text that does not fit its type stays text."""
    text = text.strip()
    if kind == "Boolean" and text.lower() in ("true", "1", "false", "0"):
        return text.lower() in ("true", "1")
    if kind == "Integer" and re.fullmatch(r"[+-]?\d+", text):
        return int(text)
    if kind == "Float" and _DECIMAL.match(text):
        number = float(text)
        if math.isfinite(number):
            return number
    return text


def read_values(
    element: ET.Element, ns: str, variables: dict[str, tuple[str, VariableType]]
) -> dict[str, tuple[AttributeValue, VariableType]]:
    """The ``<VariableValue>`` children of a source or case: name -> (value, type)."""
    values: dict[str, tuple[AttributeValue, VariableType]] = {}
    for item in element.findall(ns + "VariableValue"):
        ref = item.find(ns + "VariableRef")
        if ref is None:
            continue
        target = normalise_guid(ref.get("targetGUID"))
        name, declared = variables.get(target, (target, "Text"))
        for child in item:
            kind = _TYPE_OF_ELEMENT.get(child.tag.removeprefix(ns))
            if kind is not None:
                # The value's own element says what it is, whatever the declaration.
                values[name or target] = (typed_value(kind, child.text or ""), kind)
                break
        else:
            values.setdefault(name or target, ("", declared))
    return values


def _fits(kind: VariableType, value: AttributeValue) -> bool:
    if kind == "Boolean":
        return isinstance(value, bool)
    if kind == "Integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "Float":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind == "Date":
        return isinstance(value, str) and _is_date(value)
    if kind == "DateTime":
        return isinstance(value, str) and _is_datetime(value)
    return True


def _is_date(text: str) -> bool:
    if not _DATE.match(text):
        return False
    try:
        date.fromisoformat(text[:10])
    except ValueError:
        return False
    return True


def _is_datetime(text: str) -> bool:
    if not _DATETIME.match(text):
        return False
    try:
        datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def export_type(declared: VariableType | None, values: Iterable[AttributeValue]) -> VariableType:
    """The type a variable is written with: as declared when every value fits it, else
    the narrowest type every value fits, else Text."""
    present = list(values)
    if declared is not None and all(_fits(declared, v) for v in present):
        return declared
    if not present:
        return "Text"
    for kind in ("Boolean", "Integer", "Float", "Date", "DateTime"):
        if all(_fits(kind, v) for v in present):
            return kind
    return "Text"


def value_text(kind: VariableType, value: AttributeValue) -> str:
    """The text of a value element of ``kind`` (``_fits`` has been checked)."""
    if kind == "Boolean":
        return "true" if value else "false"
    if kind == "Float" and not isinstance(value, str):
        # xsd:decimal has no exponent: 1e+20 is written out in full.
        return format(Decimal(repr(float(value))), "f")
    if isinstance(value, str):
        return value
    return str(value)
