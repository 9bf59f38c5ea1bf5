from __future__ import annotations

import pytest

from accord.interop.errors import FormatError
from accord.interop.qdpx_reader import read_qdpx
from tests.interop.builders import make_qdpx

XXE = """<?xml version="1.0"?>
<!DOCTYPE Project [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&secret;"/>"""

LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&lol3;"/>"""

ENTITY_NO_DTD_NAME = """<?xml version="1.0"?>
<!DOCTYPE Project SYSTEM "http://example.org/evil.dtd">
<Project xmlns="urn:QDA-XML:project:1.0" name="x"/>"""


@pytest.mark.parametrize("qde", [XXE, LAUGHS, ENTITY_NO_DTD_NAME])
def test_dtds_and_entities_refused(qde: str) -> None:
    with pytest.raises(FormatError, match="refuses"):
        read_qdpx(make_qdpx(qde))


def test_malformed_xml_names_file_line_and_column() -> None:
    qde = '<?xml version="1.0"?>\n<Project name="x">\n  <Users>\n</Project>'
    with pytest.raises(FormatError) as caught:
        read_qdpx(make_qdpx(qde, qde_name="Study.qde"))
    message = str(caught.value)
    assert "Study.qde" in message
    assert "line 4" in message
    assert "column" in message


def test_wrong_root_element_refused() -> None:
    with pytest.raises(FormatError, match="not a REFI-QDA project"):
        read_qdpx(make_qdpx("<CodeBook/>"))
