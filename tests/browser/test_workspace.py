"""The coder's workspace in Chromium against a real server: coding by keyboard and mouse
over an emoji, a memo, changes made offline and saved exactly once, submitting, blinding
before the reveal (in the DOM and in every response the page received) and the revealed
layer after it, axe on each state; and the whole flow by keyboard alone."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any

from playwright.async_api import BrowserContext, Page, Route, WebSocket, expect

from tests.browser.conftest import Live, assert_accessible, log_in
from tests.support import Api, Person

TEXT = (
    "Interviewer: Hvordan tok du kontakt?\n"
    "P01: 😊 Jeg ringte kollegaen min en kveld.\n"
    "Interviewer: Og hva skjedde?\n"
    "P01: Hun lyttet. Det hjalp å bli hørt 👨‍👩‍👧 av noen.\n"
    "Interviewer: Etterpå?\n"
    "P01: Lettelse. Jeg sover bedre nå.\n"
)
# The app's status line and its polite live region.
STATUS = "[data-testid=status-line]"
SAID = ".visually-hidden[aria-live=polite]"
SECRET_MEMO = "Coder B's private memo, never for A"

CODINGS = """query($d: ID!, $c: ID) { document(id: $d) { codings(coderId: $c, first: 100) {
  nodes { id start end text memo code { name } } } } }"""


@dataclass
class Study:
    lead: Person
    a: Person
    b: Person
    project: str
    doc: str
    codes: dict[str, str]
    b_codings: list[str]


async def _study(api: Api) -> Study:
    lead, a, b = (
        await api.person("lead"),
        await api.person("annecoder"),
        await api.person("bocoder"),
    )
    project = await api.project(lead, "Workspace study")
    for who in (a, b):
        await api.add_member(lead, project, who, "CODER")
    codes = {}
    for name in ("Seeking help", "Being heard", "Relief"):
        made = await api.gql(
            """mutation($p: ID!, $n: String!) { createCode(projectId: $p, input: {name: $n,
               definition: "Defined here"}) { ... on Code { id } } }""",
            {"p": project, "n": name},
            as_=lead,
        )
        codes[name] = made["createCode"]["id"]
    doc = (await api.import_document(lead, project, TEXT, "Interview A"))["id"]
    for who in (a, b):
        await api.gql(
            "mutation($d: ID!, $u: ID!) { assignDocument(documentId: $d, userId: $u) "
            "{ __typename } }",
            {"d": doc, "u": who.id},
            as_=lead,
        )
    b_codings = []
    start = TEXT.index("Hun lyttet")
    made = await api.gql(
        """mutation($i: ApplyCodeInput!) { applyCode(input: $i) { ... on Coding { id } } }""",
        {
            "i": {
                "documentId": doc,
                "codeId": codes["Being heard"],
                "start": start,
                "end": start + len("Hun lyttet"),
                "memo": SECRET_MEMO,
            }
        },
        as_=b,
    )
    b_codings.append(made["applyCode"]["id"])
    return Study(lead, a, b, project, doc, codes, b_codings)


class Watch:
    """Every response body and WebSocket frame the page receives."""

    def __init__(self, page: Page) -> None:
        self.bodies: list[str] = []
        page.on("response", self._response)
        page.on("websocket", self._socket)

    async def _response(self, response: Any) -> None:
        # An aborted request has no body.
        with contextlib.suppress(Exception):
            self.bodies.append(await response.text())

    def _socket(self, ws: WebSocket) -> None:
        ws.on("framereceived", lambda payload: self.bodies.append(str(payload)))

    def saw(self, needle: str) -> bool:
        return any(needle in body for body in self.bodies)


async def _open(page: Page, study: Study) -> None:
    await page.goto(f"/p/{study.project}/code/{study.doc}")
    await expect(page.locator(".workspace[data-drawn=yes]")).to_be_visible()


async def _codings(api: Api, study: Study, who: Person) -> list[dict[str, Any]]:
    data = await api.gql(CODINGS, {"d": study.doc, "c": who.id}, as_=study.lead)
    nodes: list[dict[str, Any]] = data["document"]["codings"]["nodes"]
    return nodes


async def _select_turn(page: Page, n: int) -> None:
    """Alt+↓ from the top: the n-th turn (1-based)."""
    await page.keyboard.press("Escape")
    await page.evaluate("window.scrollTo(0, 0)")
    await page.locator(".transcript").focus()
    await page.keyboard.press("Home")
    for _ in range(n):
        await page.keyboard.press("Alt+ArrowDown")


async def _apply_by_search(page: Page, name: str) -> None:
    await page.keyboard.press("/")
    box = page.get_by_role("combobox")
    await expect(box).to_be_focused()
    await page.keyboard.type(name)
    await page.keyboard.press("Enter")
    await expect(box).to_have_count(0)


async def test_coding_offline_submit_and_reveal(context: BrowserContext, live: Live) -> None:
    study = await _study(live.api)
    await log_in(context, study.a)
    page = await context.new_page()
    watch = Watch(page)
    await _open(page, study)
    await assert_accessible(page, "the coder's workspace, nothing coded")

    # By keyboard: the caret at the second turn's start, Shift+→ six times takes
    # "P01: 😊" (six graphemes, seven UTF-16 units), then the code search.
    await _select_turn(page, 2)
    await page.keyboard.press("ArrowLeft")
    for _ in range(6):
        await page.keyboard.press("Shift+ArrowRight")
    await _apply_by_search(page, "seeking")
    await expect(page.locator(STATUS)).to_contain_text("Saved")

    # By mouse, with words snapped: a drag over "kollegaen", then a palette button.
    await page.get_by_label("Snap to words").check()
    box = await page.evaluate(
        """() => { const p = document.querySelectorAll('.unit-text')[1];
             const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
             for (let n = walker.nextNode(); n; n = walker.nextNode()) {
               const i = n.data.indexOf('kollegaen');
               if (i < 0) continue;
               const r = document.createRange(); r.setStart(n, i + 1); r.setEnd(n, i + 8);
               const b = r.getBoundingClientRect();
               return {x: b.left, y: b.top + b.height / 2, w: b.width}; } }"""
    )
    await page.mouse.move(box["x"] + 1, box["y"])
    await page.mouse.down()
    await page.mouse.move(box["x"] + box["w"] - 1, box["y"], steps=5)
    await page.mouse.up()
    await page.get_by_role("button", name="Relief").first.click()
    await expect(page.locator(STATUS)).to_contain_text("Saved")

    mine = {c["text"]: c for c in await _codings(live.api, study, study.a)}
    assert set(mine) == {"P01: 😊", "kollegaen"}, mine
    emoji = mine["P01: 😊"]
    assert (emoji["start"], emoji["end"]) == (TEXT.index("P01: 😊"), TEXT.index(" Jeg ringte"))
    assert TEXT[emoji["start"] : emoji["end"]] == "P01: 😊"

    # A memo on the document.
    await page.get_by_label("Memo on this document").fill("Rich interview.")
    await page.get_by_role("button", name="Save", exact=True).click()
    await expect(page.get_by_text("Saved.", exact=True)).to_be_visible()
    await assert_accessible(page, "the coder's workspace with codings")

    # Offline: the first change reaches the server but its answer is lost; the second
    # never leaves. Both wait in the queue and are sent again once back online.
    calls = 0

    async def cut(route: Route) -> None:
        nonlocal calls
        calls += 1
        if calls == 1:
            await route.fetch()  # the server makes the change...
        await route.abort()  # ...and the page never hears of it

    await page.route("**/graphql", cut)
    await _select_turn(page, 4)
    await page.keyboard.press("2")
    await _select_turn(page, 6)
    await page.keyboard.press("3")
    await expect(page.locator(STATUS)).to_contain_text("2 changes waiting")
    await page.unroute("**/graphql")
    await expect(page.locator(STATUS)).to_contain_text("Saved", timeout=30_000)
    after = await _codings(live.api, study, study.a)
    assert len(after) == 4, after
    assert len({(c["start"], c["end"], c["code"]["name"]) for c in after}) == 4

    # Blinding: nothing of coder B's reached the page before the reveal.
    dom = await page.content()
    for secret in (*study.b_codings, SECRET_MEMO):
        assert secret not in dom
        assert not watch.saw(secret), secret

    # Submit with the checklist, and the layer is read-only.
    await page.get_by_role("button", name="Submit…").click()
    dialog = page.get_by_role("dialog")
    await expect(dialog.get_by_text("Turns left uncoded")).to_be_visible()
    await assert_accessible(page, "the submit dialog")
    await dialog.get_by_role("button", name="Submit", exact=True).click()
    await expect(page.get_by_text("You submitted this document.")).to_be_visible()
    await page.keyboard.press("1")
    await expect(page.locator(SAID)).to_contain_text("read-only")

    # B submits: the document is revealed, and A's open page shows it without a reload.
    await live.api.gql(
        "mutation($d: ID!) { submitAssignment(documentId: $d) { __typename } }",
        {"d": study.doc},
        as_=study.b,
    )
    toggle = page.get_by_label(study.b.name, exact=False)
    await expect(toggle).to_be_visible(timeout=15_000)
    await toggle.check()
    await expect(page.locator(".unit-codings").filter(has_text=f"({study.b.name})")).to_have_count(
        1
    )
    await page.keyboard.press("Escape")
    await page.evaluate("window.scrollTo(0, 0)")
    await page.locator(".transcript").focus()
    await page.keyboard.press("Home")
    found = False
    for _ in range(6):
        await page.keyboard.press("j")
        if await page.get_by_text("(another coder's, read-only)").count():
            found = True
            break
    assert found, "coder B's revealed coding is reachable with J and shown read-only"
    assert len(await _codings(live.api, study, study.b)) == 1


async def test_the_whole_flow_by_keyboard_alone(context: BrowserContext, live: Live) -> None:
    study = await _study(live.api)
    await log_in(context, study.a)
    page = await context.new_page()
    await _open(page, study)
    # "?" lists the workspace's keys with the app's own.
    await page.keyboard.press("?")
    keys = page.get_by_role("dialog")
    await expect(keys.get_by_text("Cycle the codings that overlap here")).to_be_visible()
    await page.keyboard.press("Escape")
    await expect(keys).to_have_count(0)
    # Tab from the top of the page to the transcript.
    for _ in range(60):
        await page.keyboard.press("Tab")
        if await page.evaluate("document.activeElement?.classList.contains('transcript')"):
            break
    else:
        raise AssertionError("Tab never reached the transcript")
    await page.keyboard.press("Alt+ArrowDown")
    await page.keyboard.press("Alt+ArrowDown")
    await page.keyboard.press("Enter")  # with a selection: the code search
    await expect(page.get_by_role("combobox")).to_be_focused()
    await assert_accessible(page, "the code search")
    await page.keyboard.type("relief")
    await page.keyboard.press("Enter")
    await page.keyboard.press(".")  # the same code again on the same span: no duplicate
    await page.keyboard.press("Alt+ArrowDown")
    await page.keyboard.press("Alt+ArrowDown")
    await page.keyboard.press("1")
    await page.keyboard.press("k")
    await page.keyboard.press("Delete")
    await expect(page.get_by_role("button", name="Undo")).to_be_visible()
    await page.keyboard.press("Control+z")
    await expect(page.locator(STATUS)).to_contain_text("Saved")
    codings = await _codings(live.api, study, study.a)
    assert sorted(c["code"]["name"] for c in codings) == ["Relief", "Seeking help"], codings
    assert {c["text"] for c in codings} == {
        "P01: 😊 Jeg ringte kollegaen min en kveld.",
        "P01: Hun lyttet. Det hjalp å bli hørt 👨‍👩‍👧 av noen.",
    }
    # Submit: Tab to the button, Enter, then the dialog's Submit.
    for _ in range(80):
        await page.keyboard.press("Shift+Tab")
        if await page.evaluate("document.activeElement?.textContent?.trim() === 'Submit…'"):
            break
    else:
        raise AssertionError("Shift+Tab never reached Submit…")
    await page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog")
    await expect(dialog).to_be_visible()
    await expect(dialog.get_by_role("button", name="Submit", exact=True)).to_be_focused()
    await page.keyboard.press("Enter")
    await expect(page.get_by_text("You submitted this document.")).to_be_visible()
    status = await live.api.gql(
        "query($d: ID!) { document(id: $d) { assignments { status } } }",
        {"d": study.doc},
        as_=study.a,
    )
    assert status["document"]["assignments"] == [{"status": "SUBMITTED"}]
