"""document.unitTable: the same units as document.units, as columns and without text."""

from __future__ import annotations

from tests.support import Api

TEXT = "Preamble.\n\nInterviewer: Hei 😊?\nP01: Ja, æøå.\n\nP01: Mer.\n"
BOTH = """query($d: ID!) { document(id: $d) {
  units(kind: SPEAKER_TURN) { start end speaker startTime }
  unitTable(kind: SPEAKER_TURN) { kind count starts ends speakers startTimes }
  paragraphs: unitTable(kind: PARAGRAPH) { count starts speakers } } }"""


async def test_unit_table_matches_units(api: Api) -> None:
    lead = await api.person("lead")
    project = await api.project(lead)
    doc = (await api.import_document(lead, project, TEXT))["id"]
    data = (await api.gql(BOTH, {"d": doc}, as_=lead))["document"]
    units, table = data["units"], data["unitTable"]
    assert table["kind"] == "SPEAKER_TURN" and table["count"] == len(units) == 3
    assert table["starts"] == [u["start"] for u in units]
    assert table["ends"] == [u["end"] for u in units]
    assert table["speakers"] == ["Interviewer", "P01", "P01"]
    assert table["startTimes"] == [None, None, None]
    assert TEXT[table["starts"][1] : table["ends"][1]] == "P01: Ja, æøå."
    assert data["paragraphs"]["count"] == 3 and data["paragraphs"]["speakers"] == [None] * 3
