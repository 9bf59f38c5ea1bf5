"""The agreement query's intervals: every interval names its method, standard errors,
the continuum's cluster bootstrap, and character κ per document (issue #15, 8–12)."""

from __future__ import annotations

from typing import Any

from tests.support import Api
from tests.test_agreement_report import TEXT, _code_both, _study
from tests.test_coding_flow import apply

COEFFICIENT = """name value standardError noIntervalReason scope ciLow ciHigh
  interval { low high confidence method description resamples seed population }"""
REPORT = f"""query($p: ID!, $i: AgreementInput) {{ agreement(projectId: $p, input: $i) {{
  parameters {{ bootstrap {{ method }} population }} coefficients {{ {COEFFICIENT} }}
  perCode {{ label coefficients {{ {COEFFICIENT} }} }}
  perDocument {{ label coefficients {{ {COEFFICIENT} }} }}
  characterKappaPerDocument {{ code codeId documentId document
    cohenKappa {{ {COEFFICIENT} }} percentAgreement {{ value }} }} }} }}"""


def _by_name(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    # The API names coefficients in capitals (CoefficientName); the engine's ids are lower.
    return {c["name"].lower(): c for c in items}


async def test_one_document_continuum_says_why_there_is_no_interval(api: Api) -> None:
    lead, b, c, project, doc, ids = await _study(api)
    await _code_both(api, b, c, doc, ids)
    data = await api.gql(
        REPORT, {"p": project, "i": {"bootstrap": {"resamples": 100, "seed": 3}}}, as_=lead
    )
    report = data["agreement"]
    assert report["parameters"]["bootstrap"]["method"] == "BOOTSTRAP_DOCUMENTS"
    for c in report["coefficients"]:
        if c["value"] is not None:
            assert c["interval"] is None, c
            assert "only one document was compared" in c["noIntervalReason"], c


async def test_two_documents_get_a_cluster_bootstrap(api: Api) -> None:
    lead, b, c, project, doc, ids = await _study(api)
    await _code_both(api, b, c, doc, ids)
    second = (await api.import_document(lead, project, TEXT))["id"]
    for who in (b, c):
        await api.gql(
            """mutation($d: ID!, $u: ID!) {
                 assignDocument(documentId: $d, userId: $u) { __typename } }""",
            {"d": second, "u": who.id},
            as_=lead,
        )
    start = TEXT.index("I felt relieved")
    await apply(api, b, second, ids["phone"], start, start + 20)
    await apply(api, c, second, ids["phone"], start + 2, start + 20)
    data = await api.gql(
        REPORT, {"p": project, "i": {"bootstrap": {"resamples": 200, "seed": 3}}}, as_=lead
    )
    overall = _by_name(data["agreement"]["coefficients"])
    u = overall["u_alpha"]
    assert u["interval"]["method"] == "BOOTSTRAP_DOCUMENTS"
    assert u["interval"]["resamples"] == 200 and u["interval"]["seed"] == 3
    assert "cluster bootstrap over documents" in u["interval"]["description"]
    assert (u["ciLow"], u["ciHigh"]) == (u["interval"]["low"], u["interval"]["high"])
    for code in data["agreement"]["perCode"]:
        for c in code["coefficients"]:
            assert c["interval"] is not None or c["noIntervalReason"] or c["value"] is None
    # Each per-document breakdown has one document: it says so instead of an empty cell.
    for document in data["agreement"]["perDocument"]:
        u_doc = _by_name(document["coefficients"])["u_alpha"]
        assert u_doc["interval"] is None and "one document" in u_doc["noIntervalReason"]


async def test_units_mode_standard_errors_and_bootstrap_method(api: Api) -> None:
    lead, b, c, project, doc, ids = await _study(api)
    await _code_both(api, b, c, doc, ids)
    data = await api.gql(
        REPORT,
        {
            "p": project,
            "i": {
                "unitMode": "UNITS",
                "unitKind": "SPEAKER_TURN",
                "population": 50,
                "bootstrap": {"resamples": 200, "seed": 1, "method": "UNITS"},
            },
        },
        as_=lead,
    )
    report = data["agreement"]
    assert report["parameters"]["bootstrap"]["method"] == "BOOTSTRAP_UNITS"
    assert report["parameters"]["population"] == 50
    masi = _by_name(report["coefficients"])["units_masi_alpha"]
    if masi["value"] is not None and masi["interval"] is not None:
        assert masi["interval"]["method"] == "BOOTSTRAP_UNITS"
    seen_gwet = False
    for code in report["perCode"]:
        for c in code["coefficients"]:
            if c["interval"] is not None and c["interval"]["method"] == "GWET_VARIANCE":
                seen_gwet = True
                assert c["standardError"] is not None
                assert c["interval"]["population"] == 50
            elif c["value"] is not None and c["interval"] is None:
                assert c["noIntervalReason"] or c["name"] == "KRIPPENDORFF_ALPHA", c
    assert seen_gwet


async def test_character_kappa_per_document_and_pooled_label(api: Api) -> None:
    lead, b, c, project, doc, ids = await _study(api)
    await _code_both(api, b, c, doc, ids)
    data = await api.gql(REPORT, {"p": project, "i": {"unitMode": "CHARACTER"}}, as_=lead)
    report = data["agreement"]
    rows = report["characterKappaPerDocument"]
    assert {r["documentId"] for r in rows} == {doc}
    assert {r["codeId"] for r in rows} == {ids["phone"], ids["colleague"]}
    for code in report["perCode"]:
        kappa = _by_name(code["coefficients"])["cohen_kappa"]
        if kappa["value"] is not None:
            assert kappa["scope"].startswith("pooled over 1 document and 1 coder pair")
    by_code = {r["code"]: r for r in rows}
    per_code = {p["label"]: _by_name(p["coefficients"])["cohen_kappa"] for p in report["perCode"]}
    for label, pooled in per_code.items():
        # One document: the per-document κ is the pooled one.
        assert by_code[label]["cohenKappa"]["value"] == pooled["value"]


async def test_bad_population_is_refused(api: Api) -> None:
    lead, b, c, project, doc, ids = await _study(api)
    await _code_both(api, b, c, doc, ids)
    answer = await api.raw(
        REPORT, {"p": project, "i": {"unitMode": "UNITS", "population": 0}}, as_=lead
    )
    error = answer["errors"][0]
    assert error["extensions"]["code"] == "INVALID_INPUT"
    assert "population" in error["message"]
