"""The web page in a real browser (Debian's Chromium driven by Playwright)."""

from __future__ import annotations

import datetime
import json
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn

from api.http.app import create_app
from api.services.accounts import create_user
from api.services.responders import category_inference, read_profiles, upsert_responders
from api.services.retraining import Retrainer, RetrainSources
from api.settings import Settings
from tests.support import MATCHING, free_port, wait_until_ready
from training.fit import TrainingConfig
from training.retrain import HELD_OUT_FILE, RetrainConfig

pytestmark = pytest.mark.slow  # a browser

REPOSITORY = Path(__file__).resolve().parents[2]
ARTIFACTS = REPOSITORY / "test-artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CATALOGUES = REPOSITORY / "api" / "http" / "web" / "i18n"
NARRATIVE = (
    "Houston. Rosa Elena Quintero (phone 713-555-0188) was trafficked by her husband Tomas Ruiz. "
    "She wants a divorce and custody of her two children, and she needs a T visa."
)
TODAY = datetime.datetime.now(datetime.UTC).date()
CONSENT = {"written": True, "obtained_on": TODAY.isoformat(),
           "expires_on": (TODAY + datetime.timedelta(days=90)).isoformat(),
           "scope": "De-identified summary, shared with responders of the network"}

@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is needed for the browser tests: apt-get install chromium")
    settings = Settings(data_dir=tmp_path_factory.mktemp("web") / "var")
    app = create_app(settings)
    port = free_port()
    uvicorn_server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                                   log_level="warning"))
    thread = threading.Thread(target=uvicorn_server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    assert wait_until_ready(base, "/healthz", seconds=60), "the test server did not start"
    services = app.state.services
    # Profiles without declared categories practise those inferred from their expertise.
    upsert_responders(services.sessions, read_profiles(MATCHING / "responders.jsonl"),
                      category_inference(services.model))
    keys = {
        "poster": create_user(services.sessions, "Web Shelter", "poster",
                              contact_email="intake@web-shelter.example.org")[1],
        # Immigration (r-001), family law (r-009) and wage claims (r-004), all in Texas.
        "responder": create_user(services.sessions, "Web Clinic", "responder", "r-001")[1],
        "family": create_user(services.sessions, "Reyna Family Law", "responder", "r-009")[1],
        "wages": create_user(services.sessions, "Labor Clinic", "responder", "r-004")[1],
        "admin": create_user(services.sessions, "Web Network", "admin")[1],
    }
    # Retraining on a small slice of the shipped postings, so that the admin test takes seconds.
    folder = settings.data_dir.parent
    small = folder / "small.jsonl"
    english = (REPOSITORY / "training" / "data" / "postings_en.jsonl").read_text().splitlines()
    small.write_text("".join(line + "\n" for line in english[:200]))
    held_out = folder / "held_out.jsonl"
    held_out.write_text("".join(line + "\n" for line in HELD_OUT_FILE.read_text().splitlines()[:60]))
    services.retrainer = Retrainer(
        services.sessions, services.registry,
        RetrainConfig(training=TrainingConfig(folds=3, threshold_objective="f1")),
        RetrainSources([small], held_out))
    yield base, keys
    uvicorn_server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield launched
        launched.close()


def _page(browser, request: pytest.FixtureRequest, locale: str = "en-US"):  # type: ignore[no-untyped-def]
    # A phone, whose browser asks for `locale` (navigator.languages).
    page = browser.new_context(viewport={"width": 390, "height": 844}, locale=locale).new_page()
    page.set_default_timeout(30_000)
    request.node.pages = getattr(request.node, "pages", []) + [page]
    # Whatever the page's Content-Security-Policy blocks is reported on the console.
    violations = getattr(request.node, "csp_violations", [])
    request.node.csp_violations = violations
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    return page


@pytest.fixture(autouse=True)
def screenshot_on_failure(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    # Every flow works under the page's Content-Security-Policy: nothing was blocked.
    assert getattr(request.node, "csp_violations", []) == []
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        for number, page in enumerate(getattr(request.node, "pages", [])):
            page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-{number}.png"), full_page=True)


def _sign_in(page, base: str, key: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(base + "/")
    page.get_by_label("API key").fill(key)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector("#whoami:has-text('Signed in')")


def _preview(page, text: str) -> None:  # type: ignore[no-untyped-def]
    """Fill the case summary and wait for its preview."""
    page.get_by_label("Case summary", exact=False).fill(text)
    page.get_by_role("button", name="Preview redaction and categories").click()
    page.wait_for_selector("#preview:not([hidden])")


def _auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def _post_case(base: str, key: str, text: str, categories: list[str] | None = None) -> dict:  # type: ignore[type-arg]
    """Publish a case through the API, with the survivor's consent."""
    body: dict[str, object] = {"text": text, "jurisdiction": "US-TX", "language": "en", "consent": CONSENT}
    if categories is not None:
        body["categories"] = categories
    response = httpx.post(f"{base}/v1/cases", headers=_auth(key), json=body, timeout=60)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def _consent(page) -> None:  # type: ignore[no-untyped-def]
    """Record the survivor's written consent (the dates and scope keep their defaults)."""
    page.get_by_label("The survivor gave written, signed consent", exact=False).check()


def _publish(page) -> None:  # type: ignore[no-untyped-def]
    """Give consent, publish, and wait for the published case's needs."""
    _consent(page)
    page.get_by_role("button", name="Publish the case").click()
    page.wait_for_selector("#published:not([hidden]) #case-needs .need")


def _case_in_dashboard(page, case_id: str):  # type: ignore[no-untyped-def]
    page.wait_for_selector(f"#my-cases li[data-case='{case_id}']")
    return page.locator(f"#my-cases li[data-case='{case_id}']")


def test_advocate_flow_end_to_end(server, browser, request: pytest.FixtureRequest) -> None:  # type: ignore[no-untyped-def]
    base, keys = server
    advocate = _page(browser, request)
    _sign_in(advocate, base, keys["poster"])
    _preview(advocate, NARRATIVE)
    assert advocate.locator("#highlighted mark").count() >= 3
    redacted = advocate.locator("#redacted").input_value()
    for secret in ("Rosa Elena Quintero", "713-555-0188", "Tomas Ruiz"):
        assert secret not in redacted
    # The review: each proposed category checked, named (not its id), with its evidence.
    family_law = advocate.locator("#categories li[data-category='family_law']")
    assert "Divorce, custody and protection" in family_law.inner_text()
    assert family_law.get_by_role("checkbox").is_checked()
    assert "She wants a divorce" in family_law.locator(".evidence").first.inner_text()
    assert advocate.locator("#language-warning").is_hidden()  # English: measured
    advocate.get_by_label("Survivor's languages").fill("es")  # an English summary, a Spanish speaker
    _publish(advocate)
    immigration = advocate.locator("#case-needs .need[data-category='immigration_relief']")
    immigration.locator("ol li").first.wait_for()
    suggestions = immigration.inner_text()
    assert "Immigration status and relief" in suggestions
    assert "Categories in common" in suggestions and "Score parts" in suggestions
    assert "Spanish" in suggestions and "Speaks English" not in suggestions
    heading = immigration.locator("ol li strong").first.inner_text()
    names = {json.loads(line)["name"] for line in (MATCHING / "responders.jsonl").open()}
    assert any(name in heading for name in names) and "r-0" not in heading  # a name, not an id
    assert advocate.locator("#narrative").input_value() == ""
    assert advocate.locator("#publish-button").is_disabled()
    case_id = advocate.locator("#published").get_attribute("data-case-id")
    # In the dashboard, the advocate looks at another need's suggested responders.
    case = _case_in_dashboard(advocate, case_id)
    case.locator("li.need[data-category='family_law']").get_by_role(
        "button", name="Show suggested responders").click()
    case.locator("li.need[data-category='family_law'] ol li").first.wait_for()

    responder = _page(browser, request)
    responder.on("dialog", lambda dialog: dialog.accept())
    _sign_in(responder, base, keys["responder"])
    responder.get_by_label("Describe what you can take").fill("T visa Houston")
    responder.get_by_role("button", name="Search").click()
    result = responder.locator("#results li[data-category='immigration_relief']").first
    result.wait_for()
    assert "Immigration status and relief" in result.inner_text() and "US-TX" in result.inner_text()
    assert responder.locator("#results mark").count() >= 1
    result.get_by_role("button", name="Offer help").click()
    responder.wait_for_selector("#results button:has-text('Offered')")
    responder.wait_for_selector("#my-offers li[data-status='pending']")

    # The offer arrives live in the advocate's dashboard, named; accepting it reveals the contact.
    case = _case_in_dashboard(advocate, case_id)
    need = case.locator("li.need[data-category='immigration_relief']")
    need.locator("li[data-status='pending']").wait_for()
    assert "Marisol Treviño-Ayala" in need.inner_text()
    # The live offer redrew that need alone: what the advocate opened stays open.
    assert case.locator("li.need[data-category='family_law'] ol li").count() >= 1
    need.get_by_role("button", name="Accept").click()
    need.locator("li[data-status='accepted']").wait_for()
    assert "Contact:" in need.inner_text()

    # After a reload the case is still there, with its offers.
    advocate.reload()
    case = _case_in_dashboard(advocate, case_id)
    assert "Contact:" in case.locator("li.need[data-category='immigration_relief']").inner_text()
    assert case.locator("li.need[data-category='family_law']").get_attribute("data-status") == "open"
    # A new preview leaves nothing of that case on screen, and asks for consent again.
    _preview(advocate, NARRATIVE)
    assert advocate.locator("#published").is_hidden()
    assert advocate.locator("#case-needs .need").count() == 0
    assert not advocate.locator("#consent-written").is_checked()
    assert advocate.locator("#publish-button").is_disabled()


def test_a_case_with_three_needs_is_matched_need_by_need(  # type: ignore[no-untyped-def]
        server, browser, request: pytest.FixtureRequest) -> None:
    base, keys = server
    advocate = _page(browser, request)
    _sign_in(advocate, base, keys["poster"])
    _preview(advocate, NARRATIVE)
    proposed = set(advocate.locator("#categories li[data-category]").evaluate_all(
        "items => items.map(item => item.dataset.category)"))
    assert {"family_law", "immigration_relief"} <= proposed and "wage_claims" not in proposed
    # The advocate adds a need the classifier did not see, by its name.
    advocate.get_by_label("Add a category the classifier missed").select_option(label="Lost and unpaid wages")
    advocate.get_by_role("button", name="Add", exact=True).click()
    wages = advocate.locator("#categories li[data-category='wage_claims']")
    assert "added by you" in wages.inner_text() and wages.get_by_role("checkbox").is_checked()
    assert advocate.locator("#add-category option[value='wage_claims']").count() == 0
    # Anything else proposed is unchecked: three needs exactly.
    for other in proposed - {"family_law", "immigration_relief"}:
        advocate.locator(f"#categories li[data-category='{other}']").get_by_role("checkbox").uncheck()
    advocate.get_by_label("Survivor's languages").fill("es")
    _publish(advocate)

    sections = advocate.locator("#case-needs .need")
    assert sections.count() == 3
    assert set(sections.evaluate_all("items => items.map(item => item.dataset.category)")) == {
        "family_law", "immigration_relief", "wage_claims"}
    for category, label in (("family_law", "Divorce, custody"), ("immigration_relief", "Immigration status"),
                            ("wage_claims", "Lost and unpaid wages")):
        section = advocate.locator(f"#case-needs .need[data-category='{category}']")
        assert label in section.locator("h4").inner_text() and "open" in section.locator("h4").inner_text()
        assert section.locator("ol li").count() >= 1
    family = advocate.locator("#case-needs .need[data-category='family_law']")
    assert family.locator("li[data-responder='r-009']").count() == 1  # Reyna Family Law, Houston
    # Invite a suggested responder on one need: the button says so and cannot be used again.
    immigration = advocate.locator("#case-needs .need[data-category='immigration_relief']")
    invite = immigration.locator("li[data-responder='r-001']").get_by_role(
        "button", name="Invite", exact=False)
    invite.click()
    immigration.locator("li[data-responder='r-001'] button.done").wait_for()
    assert invite.is_disabled() and invite.inner_text() == "Invited"
    case_id = advocate.locator("#published").get_attribute("data-case-id")
    stored = httpx.get(f"{base}/v1/cases/{case_id}", headers=_auth(keys["poster"]), timeout=30).json()
    need_ids = {need["category"]: need["id"] for need in stored["needs"]}
    assert stored["consent"]["scope"] == CONSENT["scope"] and stored["urgency"] == "normal"
    invitations = httpx.get(f"{base}/v1/invitations", headers=_auth(keys["responder"]), timeout=30).json()
    assert need_ids["immigration_relief"] in {item["need_id"] for item in invitations["invitations"]}

    # Two responders offer on two different needs (attested).
    for key, category in (("responder", "immigration_relief"), ("family", "family_law")):
        offered = httpx.post(f"{base}/v1/needs/{need_ids[category]}/offers", headers=_auth(keys[key]),
                             json={"no_conflict_attested": True}, timeout=30)
        assert offered.status_code == 201, offered.text

    # After a reload the advocate accepts both in her dashboard, each offer named.
    advocate.reload()
    case = _case_in_dashboard(advocate, case_id)
    assert "Guadalupe Reyna" in case.locator("li.need[data-category='family_law']").inner_text()
    for category in ("immigration_relief", "family_law"):
        need = case.locator(f"li.need[data-category='{category}']")
        need.locator("li[data-status='pending']").get_by_role("button", name="Accept").click()
        need.locator("li[data-status='accepted']").wait_for()
        assert "Contact:" in need.inner_text()

    # The third need stays open: a responder finds it; the matched ones are no longer found.
    found = httpx.get(f"{base}/v1/needs/search", headers=_auth(keys["wages"]), timeout=60,
                      params={"q": "divorce custody T visa wages Houston", "k": 50}).json()["results"]
    found_ids = {result["need_id"] for result in found}
    assert need_ids["wage_claims"] in found_ids
    assert need_ids["family_law"] not in found_ids and need_ids["immigration_relief"] not in found_ids

    advocate.reload()
    case = _case_in_dashboard(advocate, case_id)
    statuses = {category: case.locator(f"li.need[data-category='{category}']").get_attribute("data-status")
                for category in need_ids}
    assert statuses == {"family_law": "matched", "immigration_relief": "matched", "wage_claims": "open"}
    assert case.get_attribute("data-status") == "open"
    assert case.locator("li[data-status='accepted']").count() == 2


def test_publish_waits_for_the_survivors_consent(server, browser,  # type: ignore[no-untyped-def]
                                                 request: pytest.FixtureRequest) -> None:
    base, keys = server
    advocate = _page(browser, request)
    _sign_in(advocate, base, keys["poster"])
    _preview(advocate, "Austin. She was never paid for eight months of restaurant work and wants her wages.")
    publish = advocate.get_by_role("button", name="Publish the case")
    assert publish.is_disabled() and advocate.locator("#publish-hint").is_visible()
    # Defaults: obtained today (never after the server's today), expiring 90 days later.
    obtained = datetime.date.fromisoformat(advocate.get_by_label("Consent obtained on").input_value())
    expires = datetime.date.fromisoformat(advocate.get_by_label("Consent expires on").input_value())
    assert obtained <= TODAY and expires - obtained == datetime.timedelta(days=90)
    scope = advocate.get_by_label("What the consent covers")
    assert scope.input_value() == "De-identified summary, shared with responders of the network"
    assert advocate.locator("#urgency").input_value() == ""  # automatic, from the deadlines
    _consent(advocate)
    assert publish.is_enabled() and advocate.locator("#publish-hint").is_hidden()
    scope.fill(" ")
    assert publish.is_disabled()
    scope.fill("Summary only, to the network's lawyers")
    advocate.locator("#consent-written").uncheck()
    assert publish.is_disabled()
    _publish(advocate)
    case_id = advocate.locator("#published").get_attribute("data-case-id")
    stored = httpx.get(f"{base}/v1/cases/{case_id}", headers=_auth(keys["poster"]), timeout=30).json()
    assert stored["consent"] == {"obtained_on": obtained.isoformat(), "expires_on": expires.isoformat(),
                                 "scope": "Summary only, to the network's lawyers"}
    # The API refuses a case without it, whatever the page does.
    refused = httpx.post(f"{base}/v1/cases", headers=_auth(keys["poster"]), timeout=60,
                         json={"text": "She was never paid.", "jurisdiction": "US-TX"})
    assert refused.status_code == 422


def test_publishing_twice_makes_one_case(server, browser,  # type: ignore[no-untyped-def]
                                         request: pytest.FixtureRequest) -> None:
    base, keys = server

    def cases() -> int:
        return int(httpx.get(f"{base}/v1/cases?limit=1", headers=_auth(keys["poster"]),
                             timeout=30).json()["total"])

    before = cases()
    advocate = _page(browser, request)
    _sign_in(advocate, base, keys["poster"])
    _preview(advocate,
        "El Paso. A farmworker was never paid for two seasons and wants his wages.")
    _consent(advocate)
    advocate.get_by_role("button", name="Publish the case").dblclick()
    advocate.wait_for_selector("#case-needs .need")
    advocate.wait_for_selector("#publish-button[disabled]")
    assert cases() == before + 1


def test_a_need_nobody_can_take_says_why(server, browser,  # type: ignore[no-untyped-def]
                                         request: pytest.FixtureRequest) -> None:
    base, keys = server
    advocate = _page(browser, request)
    _sign_in(advocate, base, keys["poster"])
    advocate.get_by_label("Case summary", exact=False).fill(
        "She wants a divorce from her husband and custody of their two children.")
    advocate.locator("#jurisdiction").fill("NP")
    advocate.get_by_role("button", name="Preview redaction and categories").click()
    advocate.wait_for_selector("#preview:not([hidden])")
    _publish(advocate)
    family = advocate.locator("#case-needs .need[data-category='family_law']")
    family.locator("li.explain").wait_for()
    text = family.inner_text()
    assert "No eligible responder yet." in text
    assert "Divorce, custody and protection" in text and "none where this need is" in text


def test_cancelling_the_attestation_sends_no_offer(server, browser,  # type: ignore[no-untyped-def]
                                                   request: pytest.FixtureRequest) -> None:
    base, keys = server
    case = _post_case(base, keys["poster"],
                      "Austin. A cook was never paid for a year and wants her wages back.")
    responder = _page(browser, request)
    responder.on("dialog", lambda dialog: dialog.dismiss())
    _sign_in(responder, base, keys["responder"])
    responder.get_by_label("Describe what you can take").fill("cook never paid wages Austin")
    responder.get_by_role("button", name="Search").click()
    responder.wait_for_selector("#results li:has-text('never paid')")
    responder.locator("#results li", has_text="never paid").first.get_by_role(
        "button", name="Offer help").click()
    responder.wait_for_selector("#search-status:has-text('No offer sent')")
    for need in case["needs"]:
        offers = httpx.get(f"{base}/v1/needs/{need['id']}/offers", headers=_auth(keys["poster"]),
                           timeout=30).json()
        assert offers["offers"] == []


def test_the_responders_filters_and_offers(server, browser,  # type: ignore[no-untyped-def]
                                           request: pytest.FixtureRequest) -> None:
    base, keys = server
    # An offer of the wage-claims clinic, accepted by the advocate.
    accepted_case = _post_case(base, keys["poster"],
        "Dallas. A cleaner was never paid for six months of work and wants her wages back.", ["wage_claims"])
    offer = httpx.post(f"{base}/v1/needs/{accepted_case['needs'][0]['id']}/offers",
                       headers=_auth(keys["wages"]), json={"no_conflict_attested": True},
                       timeout=30).json()
    assert httpx.post(f"{base}/v1/offers/{offer['id']}/accept", headers=_auth(keys["poster"]),
                      timeout=30).status_code == 200
    open_case = _post_case(base, keys["poster"],
        "Fort Worth. A dishwasher was never paid for four months and wants his wages.", ["wage_claims"])
    need_id = open_case["needs"][0]["id"]

    responder = _page(browser, request)
    _sign_in(responder, base, keys["wages"])
    # My offers: the accepted one, with the advocate's contact and the case.
    mine = responder.locator(f"#my-offers li[data-offer='{offer['id']}']")
    mine.wait_for()
    text = mine.inner_text()
    assert "accepted" in text and "Lost and unpaid wages" in text and "US-TX" in text
    assert "Web Shelter" in text and "intake@web-shelter.example.org" in text
    assert "never paid for six months" in text

    def search(category: str = "", urgency: str = "") -> None:
        responder.get_by_label("Describe what you can take").fill("dishwasher never paid wages")
        responder.locator("#filter-category").select_option(category)
        responder.locator("#filter-urgency").select_option(urgency)
        responder.locator("#results").evaluate("list => list.replaceChildren()")
        responder.get_by_role("button", name="Search").click()
        responder.wait_for_selector("#results li")

    # A category the case does not have: nothing.
    search("housing")
    assert responder.locator("#results li").inner_text() == "No open need matches."
    # An urgency it does not have: nothing.
    search("wage_claims", "high")
    assert responder.locator("#results li").inner_text() == "No open need matches."
    # Its own category: found, with its category, place, languages and urgency.
    search("wage_claims")
    result = responder.locator(f"#results li[data-need='{need_id}']")
    result.wait_for()
    text = result.inner_text()
    assert "Lost and unpaid wages" in text and "US-TX" in text
    assert "Languages: English" in text and "urgency: Normal" in text
    assert responder.locator("#results li[data-category]").evaluate_all(
        "items => items.every(item => item.dataset.category === 'wage_claims')")
    # The category select names categories, by their labels.
    assert responder.locator("#filter-category option[value='family_law']").inner_text().startswith("Divorce")


def test_an_invitation_reaches_the_responder(server, browser,  # type: ignore[no-untyped-def]
                                             request: pytest.FixtureRequest) -> None:
    base, keys = server
    case = _post_case(base, keys["poster"],
        "Houston. She needs a divorce and custody of her daughter.", ["family_law"])
    need_id = case["needs"][0]["id"]
    responder = _page(browser, request)
    responder.on("dialog", lambda dialog: dialog.accept())
    _sign_in(responder, base, keys["family"])
    assert httpx.post(f"{base}/v1/needs/{need_id}/invitations", headers=_auth(keys["poster"]),
                      json={"responder_id": "r-009"}, timeout=30).status_code == 201
    # Live, on the stream, and in the list of invitations.
    responder.wait_for_selector(f"#feed li[data-need='{need_id}']")
    invitation = responder.locator(f"#invitations li[data-need='{need_id}']")
    invitation.wait_for()
    assert "Divorce, custody" in invitation.inner_text()
    invitation.get_by_role("button", name="Offer help").click()
    invitation.locator("button:has-text('Offered')").wait_for()
    responder.wait_for_selector("#my-offers li[data-status='pending']:has-text('Divorce')")
    offers = httpx.get(f"{base}/v1/needs/{need_id}/offers", headers=_auth(keys["poster"]), timeout=30).json()
    assert [(o["responder_id"], o["no_conflict_attested"]) for o in offers["offers"]] == [("r-009", True)]


def test_a_case_held_for_review_is_opened_from_the_dashboard(  # type: ignore[no-untyped-def]
        server, browser, request: pytest.FixtureRequest) -> None:
    base, keys = server
    held = _post_case(base, keys["poster"], "She asked us for help last week.", [])
    assert held["status"] == "review"
    advocate = _page(browser, request)
    _sign_in(advocate, base, keys["poster"])
    case = _case_in_dashboard(advocate, held["id"])
    assert "Held for review" in case.inner_text()
    case.get_by_role("button", name="Open it", exact=True).click()
    advocate.wait_for_selector(f"#my-cases li[data-case='{held['id']}'][data-status='open']")
    stored = httpx.get(f"{base}/v1/cases/{held['id']}", headers=_auth(keys["poster"]), timeout=30).json()
    assert stored["status"] == "open"
    # Who read it: nobody outside the organisation yet.
    case = _case_in_dashboard(advocate, held["id"])
    case.get_by_role("button", name="Who read this case").click()
    case.locator("li:has-text('Nobody outside')").wait_for()


def test_a_summary_in_an_untried_language_is_held_until_the_advocate_opens_it(  # type: ignore[no-untyped-def]
        server, browser, request: pytest.FixtureRequest) -> None:
    base, keys = server
    words = _catalogue("es")
    advocate = _page(browser, request, locale="es-MX")
    advocate.goto(base + "/")
    advocate.locator("#api-key").fill(keys["poster"])
    advocate.locator("#signin-form button[type=submit]").click()
    advocate.wait_for_selector("#advocate:not([hidden])")
    advocate.locator("#narrative").fill(
        "Sie wurde zwei Jahre lang in einem Restaurant in Berlin zur Arbeit gezwungen und nie "
        "bezahlt. Jetzt möchte sie ihren Lohn einklagen.")
    advocate.locator("#preview-form button[type=submit]").click()
    advocate.wait_for_selector("#language-warning:not([hidden])")
    assert "alemán" in advocate.locator("#language-warning").inner_text()  # named in Spanish
    assert advocate.locator("#consent-scope").input_value() == words["consent.scope_default"]
    advocate.get_by_label(words["consent.written"]).check()
    advocate.locator("#publish-button").click()
    advocate.wait_for_selector("#review-notice:not([hidden])")
    assert "Retenido para revisión" in advocate.locator("#review-notice").inner_text()
    # Held: its needs take no invitation until it is opened.
    assert all(button.is_disabled() for button in advocate.locator("#case-needs .invite").all())
    advocate.locator("#open-case").click()
    advocate.wait_for_selector("#review-notice:has-text('Abierto')")
    assert advocate.locator("#open-case").is_hidden()
    headings = advocate.locator("#case-needs .need h4")
    assert all("abierta" in heading for heading in headings.all_inner_texts())


def test_the_advocate_corrects_the_redaction_and_only_context_is_kept(  # type: ignore[no-untyped-def]
        server, browser, request: pytest.FixtureRequest) -> None:
    base, keys = server
    advocate = _page(browser, request)
    _sign_in(advocate, base, keys["poster"])
    _preview(advocate,
        "Rosa Elena Quintero was brought to Houston by a recruiter. She sleeps in the green trailer "
        "behind the laundromat. She needs a T visa.")
    # The removed name is shown beside its placeholder, in the page only.
    first = advocate.locator("#highlighted .removed").first
    assert "Rosa Elena Quintero" in first.locator("del").inner_text()
    box = advocate.locator("#redacted")
    assert "Rosa Elena Quintero" not in box.input_value()
    # A detail the redactor could not know: select it in the redacted text and remove it.
    value = box.input_value()
    start = value.index("green trailer")
    box.evaluate(f"(node) => node.setSelectionRange({start}, {start + len('green trailer')})")
    advocate.locator("#mark-type").select_option("ADDRESS")
    advocate.get_by_role("button", name="Remove the selected words").click()
    advocate.wait_for_selector("#mark-status:has-text('Removed')")
    assert "green trailer" not in box.input_value() and "the [ADDRESS] behind" in box.input_value()
    # A wrong removal put back: the original returns to the text.
    first.get_by_role("button", name="Identifies nobody: put it back").click()
    advocate.wait_for_selector("#highlighted .removed button.undo[disabled]")
    assert "Rosa Elena Quintero" in box.input_value()
    kept = [row["context"] for row in httpx.get(
        f"{base}/v1/admin/redaction-feedback", headers={"Authorization": f"Bearer {keys['admin']}"},
        timeout=30).json()["feedback"]]
    assert any("sleeps in the [MARKED] behind the laundromat" in context for context in kept)
    assert all("green trailer" not in context and "Rosa Elena Quintero" not in context
               for context in kept)


def test_responder_search_and_keyboard_use(server, browser, request: pytest.FixtureRequest) -> None:  # type: ignore[no-untyped-def]
    base, keys = server
    page = _page(browser, request)
    page.goto(base + "/")
    page.wait_for_selector("#signin-title:has-text('Sign in')")
    page.keyboard.press("Tab")  # the language switch comes first, in the header
    assert page.evaluate("document.activeElement.id") == "ui-language"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "api-key"
    page.keyboard.type(keys["responder"])
    page.keyboard.press("Enter")
    page.wait_for_selector("#responder:not([hidden])")
    assert page.locator("#advocate").is_hidden()
    for field in ("query", "filter-jurisdiction", "filter-category", "filter-language", "filter-urgency",
                  "profile-expertise", "profile-capacity"):
        assert page.locator(f"label[for='{field}']").count() == 1
    page.get_by_label("Describe what you can take").fill("divorce and custody in Texas")
    page.keyboard.press("Enter")
    page.wait_for_selector("#results li")
    page.get_by_label("Cases you can take now").fill("4")
    page.get_by_role("button", name="Save profile").click()
    page.wait_for_selector("#profile-status:has-text('Saved')")


def test_wrong_key_shows_a_clear_error(server, browser, request: pytest.FixtureRequest) -> None:  # type: ignore[no-untyped-def]
    base, _ = server
    page = _page(browser, request)
    page.goto(base + "/")
    page.get_by_label("API key").fill("nm_not-a-key")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector("#error:has-text('unknown API key')")


def test_admin_labels_retrains_and_the_gate_decides(server, browser, request: pytest.FixtureRequest) -> None:  # type: ignore[no-untyped-def]
    base, keys = server
    # The advocate added housing to what the classifier proposed: a label from the field.
    posted = _post_case(base, keys["poster"], "She needs a divorce and her passport back.",
                        ["family_law", "identity_documents", "housing"])
    page = _page(browser, request)
    _sign_in(page, base, keys["admin"])
    field = page.locator(f"#field-labels li[data-category='housing']:has-text('{posted['text'][:20]}')").first
    field.wait_for()
    assert "Housing added by an advocate" in field.inner_text()
    field.get_by_role("button", name="Confirm").click()
    field.locator("span:has-text('Confirmed.')").wait_for()
    assert field.get_by_role("button", name="Confirm").is_disabled()
    assert field.get_by_role("button", name="Reject").is_disabled()
    confirmed = httpx.get(f"{base}/v1/admin/field-labels?pending=false", headers=_auth(keys["admin"]),
                          timeout=30).json()["labels"]
    assert any(label["case_id"] == posted["id"] and label["category"] == "housing" and label["confirmed"]
               for label in confirmed)
    page.wait_for_selector("#models tbody tr")
    versions = page.locator("#models tbody tr").count()
    shipped = page.locator("#models tbody tr", has_text="yes").first.locator("td").first.inner_text()

    page.get_by_label("New category id", exact=False).fill("tax_relief")
    page.get_by_label("Name").fill("Tax problems caused by trafficking")
    page.get_by_label("What falls in it").fill("Returns filed or taxes owed in her name.")
    page.get_by_role("button", name="Add category").click()
    page.wait_for_selector("#category-list li:has-text('tax_relief')")
    assert "collecting examples: 0 of 20" in page.locator("#category-list").inner_text()

    page.wait_for_selector("#suggested li button")
    page.locator("#suggested li").first.get_by_role("button", name="Save labels").click()
    page.wait_for_selector("#suggested li span:has-text('Saved')")

    page.get_by_role("button", name="Retrain now").click()
    page.wait_for_selector("#retrain-status:not([hidden])")
    assert page.locator("#retrain-progress").count() == 1
    page.wait_for_selector("#retrain-stage:has-text('refused')", timeout=600_000)
    # 200 postings cannot beat the shipped model: the gate keeps the shipped one live.
    assert "refused by the gate" in page.locator("#retrain-message").inner_text()
    assert page.locator("#retrain-scores tbody tr").count() >= 13
    assert page.evaluate("document.getElementById('retrain-progress').value") == page.evaluate(
        "document.getElementById('retrain-progress').max")
    page.wait_for_selector(f"#models tbody tr:nth-child({versions + 1})")
    refused = page.locator("#models tbody tr", has_text="refused").first
    version = refused.locator("td").first.inner_text()
    refused.get_by_role("button", name="Chart").click()
    # Polled from the test: the page's Content-Security-Policy forbids evaluating strings in it.
    chart, deadline = page.locator("#chart"), time.monotonic() + 60
    while chart.evaluate("image => image.naturalWidth") <= 100:
        assert time.monotonic() < deadline, "the held-out chart was not shown"
        page.wait_for_timeout(100)

    # Making the refused version live needs a reason; the service swaps without a restart.
    page.once("dialog", lambda dialog: dialog.accept("checking the forced path"))
    refused.get_by_role("button", name=f"Make {version} live").click()
    page.wait_for_selector(f"#serving:has-text('Serving now: {version}')")
    page.get_by_role("button", name="Roll back to the previous live version").click()
    page.wait_for_selector(f"#serving:has-text('Serving now: {shipped}')")
    page.get_by_role("button", name="Re-classify stored cases", exact=False).click()
    page.wait_for_selector(f"#reclassify-status:has-text('re-classified with {shipped}')")


def test_a_summary_where_the_redactor_misses_names_is_flagged_at_preview(  # type: ignore[no-untyped-def]
        server, browser, request: pytest.FixtureRequest) -> None:
    base, keys = server
    advocate = _page(browser, request)
    _sign_in(advocate, base, keys["poster"])
    _preview(advocate,
        "Clienta a fost obligată să muncească fără plată într-o fermă din Spania timp de doi ani "
        "și vrea să-și recupereze salariile.")
    warning = advocate.locator("#language-warning")
    # Romanian is supported, but the redactor misses many names in it on fresh text.
    assert warning.is_visible() and "check every name" in warning.inner_text()


# ---- the page in the user's language -----------------------------------------------------------
def _catalogue(language: str) -> dict[str, str]:
    return json.loads((CATALOGUES / f"{language}.json").read_text(encoding="utf-8"))


LOCALES = {"en": "en-GB", "es": "es-MX", "fr": "fr-CA", "pt": "pt-BR"}
SWITCH_TO = {"en": "fr", "es": "pt", "fr": "es", "pt": "en"}


@pytest.mark.parametrize("language", sorted(LOCALES))
def test_the_page_speaks_the_browsers_language_and_switches(server, browser, language: str,  # type: ignore[no-untyped-def]
                                                             request: pytest.FixtureRequest) -> None:
    from playwright.sync_api import expect

    base, keys = server
    words, other = _catalogue(language), _catalogue(SWITCH_TO[language])
    page = _page(browser, request, locale=LOCALES[language])
    page.goto(base + "/")
    expect(page.locator("#signin-title")).to_have_text(words["signin.title"])  # once it has loaded
    assert page.evaluate("document.documentElement.lang") == language
    assert page.locator(".tagline").inner_text() == words["app.tagline"]
    assert page.locator("#ui-language").input_value() == language
    page.get_by_label(words["signin.api_key"], exact=True).fill(keys["poster"])
    page.get_by_role("button", name=words["signin.submit"], exact=True).click()
    page.wait_for_selector("#advocate:not([hidden])")
    assert page.locator("#advocate-title").inner_text() == words["advocate.title"]
    page.get_by_label(words["advocate.narrative"]).fill(NARRATIVE)
    page.get_by_role("button", name=words["advocate.preview"]).click()
    page.wait_for_selector("#preview:not([hidden])")
    category = page.locator("#categories li[data-category='family_law'] label")
    assert words["category.family_law.label"] in category.inner_text()
    assert page.locator("#preview h3").first.inner_text() == words["preview.removed_title"]

    # Switching redraws what is on the page, including what was built from the API's answer.
    page.locator("#ui-language").select_option(SWITCH_TO[language])
    page.wait_for_selector(f"html[lang='{SWITCH_TO[language]}']")
    assert page.locator("#advocate-title").inner_text() == other["advocate.title"]
    assert other["category.family_law.label"] in category.inner_text()
    assert page.locator("#advocate-title").inner_text() != words["advocate.title"]
    # ... and the choice is remembered: it wins over the browser's language after a reload.
    page.reload()
    page.wait_for_selector("#advocate:not([hidden])")  # the key lives in sessionStorage
    assert page.evaluate("document.documentElement.lang") == SWITCH_TO[language]
    assert page.locator("#advocate-title").inner_text() == other["advocate.title"]
    assert page.locator("#ui-language").input_value() == SWITCH_TO[language]


def test_match_explanations_are_said_in_the_pages_language(server, browser,  # type: ignore[no-untyped-def]
                                                          request: pytest.FixtureRequest) -> None:
    base, keys = server
    words = _catalogue("es")
    page = _page(browser, request, locale="es-419")
    page.goto(base + "/")
    page.get_by_label(words["signin.api_key"], exact=True).fill(keys["poster"])
    page.get_by_role("button", name=words["signin.submit"], exact=True).click()
    page.get_by_label(words["advocate.narrative"]).fill(NARRATIVE)
    page.get_by_role("button", name=words["advocate.preview"]).click()
    page.get_by_label(words["consent.written"]).check()
    page.get_by_role("button", name=words["preview.publish"]).click()
    page.wait_for_selector("#case-needs .need ol li")
    suggestions = page.locator("#case-needs").inner_text()
    assert words["match.categories"].split("{")[0].strip() in suggestions
    assert words["match.score_parts"].split("{")[0].strip() in suggestions
    assert "Habla inglés" in suggestions  # a language code said as a name, in Spanish
    assert "Categories in common" not in suggestions and "Score parts" not in suggestions


def test_an_unsupported_language_falls_back_to_english(server, browser,  # type: ignore[no-untyped-def]
                                                      request: pytest.FixtureRequest) -> None:
    base, _ = server
    page = _page(browser, request, locale="de-DE")
    page.goto(base + "/")
    page.wait_for_selector("#signin-title:has-text('Sign in')")
    assert page.evaluate("document.documentElement.lang") == "en"


def test_a_key_missing_from_a_catalogue_is_shown_in_english(server, browser,  # type: ignore[no-untyped-def]
                                                           request: pytest.FixtureRequest) -> None:
    base, _ = server
    french = _catalogue("fr")
    del french["signin.title"]
    page = _page(browser, request, locale="fr-FR")
    page.route("**/static/i18n/fr.json", lambda route: route.fulfill(
        status=200, content_type="application/json", body=json.dumps(french)))
    page.goto(base + "/")
    page.wait_for_selector("html[lang='fr']")
    assert page.locator(".tagline").inner_text() == french["app.tagline"]
    assert page.locator("#signin-title").inner_text() == _catalogue("en")["signin.title"]


def test_the_feed_puts_urgent_needs_first(server, browser,  # type: ignore[no-untyped-def]
                                          request: pytest.FixtureRequest) -> None:
    base, keys = server
    responder = _page(browser, request)
    _sign_in(responder, base, keys["family"])
    body = {"jurisdiction": "US-TX", "language": "en", "consent": CONSENT, "categories": ["family_law"]}
    urgent = httpx.post(f"{base}/v1/cases", headers=_auth(keys["poster"]), timeout=60, json={
        **body, "urgency": "high", "text": "Houston. Her custody hearing is soon; she needs a lawyer."})
    later = httpx.post(f"{base}/v1/cases", headers=_auth(keys["poster"]), timeout=60, json={
        **body, "urgency": "low", "text": "Houston. She would like a divorce at some point."})
    urgent_id, later_id = urgent.json()["needs"][0]["id"], later.json()["needs"][0]["id"]
    invite = {"responder_id": "r-009"}  # the invitations reach the feed whatever the scores
    for need_id in (urgent_id, later_id):  # the urgent one first, so arrival order would put it last
        assert httpx.post(f"{base}/v1/needs/{need_id}/invitations", headers=_auth(keys["poster"]),
                          json=invite, timeout=30).status_code == 201
    responder.wait_for_selector(f"#feed li[data-need='{later_id}']")
    order = responder.eval_on_selector_all(
        "#feed li[data-need]", "items => items.map(item => item.dataset.need)")
    assert order.index(urgent_id) < order.index(later_id)
