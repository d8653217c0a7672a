"""The hulpwijzer in headless Chromium, by keyboard only (Tab, Enter, Space, arrow keys
and typing; no mouse), with zero axe-core violations in every state: the greeting, each
question, the advice with providers, the professional view and a crisis."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from browsing import Axe, PageEvents

from etalage.accounts.users import create_user
from etalage.db.session import make_engine

PASSWORD = "Paars-Olifant-Regent-42"

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

AUTISM = "Mijn zoon van 12 heeft autisme en raakt snel overprikkeld."


def focused(page: Any) -> str:
    """The focused element as `tag#id` or `tag:text`."""
    result: str = page.evaluate(
        """() => {
            const e = document.activeElement;
            if (!e) return '';
            return e.id ? `${e.tagName.toLowerCase()}#${e.id}`
                        : `${e.tagName.toLowerCase()}:${(e.textContent || '').trim()}`;
        }"""
    )
    return result


def tab_to(page: Any, target: str, key: str = "Tab", limit: int = 80) -> None:
    """Press Tab until the element `target` (as `focused` names it) has the focus."""
    for _ in range(limit):
        if focused(page) == target:
            return
        page.keyboard.press(key)
    raise AssertionError(f"{target} never got the focus; last: {focused(page)}")


def question(page: Any) -> str | None:
    key: str | None = page.evaluate(
        "() => { const e = document.querySelector('#hulpwijzer-stap input[name=vraag]');"
        " return e ? e.value : null; }"
    )
    return key


def wait_for_question(page: Any, key: str | None) -> None:
    page.wait_for_function(
        """(key) => {
            const e = document.querySelector('#hulpwijzer-stap input[name=vraag]');
            return key === null ? !e && document.querySelector('#advies-kop')
                                : e && e.value === key;
        }""",
        arg=key,
    )
    page.wait_for_load_state("networkidle")
    # htmx moves the focus (autofocus) when the swap has settled
    page.wait_for_function("() => document.activeElement !== document.body")


def test_a_conversation_by_keyboard_with_no_axe_violations(
    page: Any, page_events: PageEvents, axe: Axe, live_server: str, live_database: str
) -> None:
    page.goto(live_server + "/assistent")
    page.wait_for_function("() => typeof window.htmx === 'object'")
    page.evaluate("() => { window.__noFullLoad = 'still here'; }")
    axe.assert_clean(page)  # the greeting

    # the hulpvraag in their own words
    tab_to(page, "textarea#hw-tekst")
    page.keyboard.type(AUTISM)
    page.keyboard.press("Tab")
    assert focused(page) == "button:Verstuur"
    page.keyboard.press("Enter")
    wait_for_question(page, "life_domains")
    assert focused(page).startswith("input#hw-d-"), "the focus moves to the first choice"
    log = page.locator("#gesprek")
    assert log.get_attribute("aria-live") == "polite"
    assert AUTISM in log.inner_text() and "Hoe gaat het op deze onderwerpen?" in log.inner_text()
    axe.assert_clean(page)

    # life domains: ontwikkeling "lukt niet" (two arrows right from "gaat goed")
    tab_to(page, "input#hw-d-ontwikkeling-0")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert page.is_checked("#hw-d-ontwikkeling-2")
    tab_to(page, "button:Verder")
    page.keyboard.press("Enter")

    # yes/no quick replies: the focus is on "Ja"; Tab to "Nee"
    for key in ("previous_care_failed", "residential_care_needed"):
        wait_for_question(page, key)
        assert focused(page) == f"button#hw-{key}-0"
        axe.assert_clean(page)
        page.keyboard.press("Tab")
        assert focused(page) == f"button#hw-{key}-1"
        page.keyboard.press("Space")

    # the duration in their own words
    wait_for_question(page, "duration")
    axe.assert_clean(page)
    tab_to(page, "input#hw-duration-vrij")
    page.keyboard.type("voor een paar maanden")
    page.keyboard.press("Enter")

    wait_for_question(page, "postcode")
    assert focused(page) == "input#hw-postcode-vrij"
    axe.assert_clean(page)
    page.keyboard.type("1621 AB")
    page.keyboard.press("Enter")

    # the advice, with providers linked to their pages
    wait_for_question(page, None)
    assert focused(page) == "h2#advies-kop"
    advice = page.locator("#stap").inner_text()
    assert "Hulp bij autisme en ontwikkeling" in advice and "wijkteam" in advice
    links = page.locator("#stap a[href^='/aanbieders/']")
    assert links.count() >= 1
    assert not re.search(r"\b[JW]\d\b|€", page.locator("main").inner_text())
    axe.assert_clean(page)
    assert page.evaluate("() => window.__noFullLoad") == "still here", "htmx, no reloads"

    # the professional view is for logged-in toegang staff: log in, then come back
    assert page.locator("a:has-text('Inloggen voor de weergave voor professionals')").count() == 1
    email = f"toegang-{uuid.uuid4().hex[:8]}@example.nl"
    create_user(make_engine(live_database), email, "toegang", PASSWORD)
    page.goto(live_server + "/inloggen?volgende=/assistent")
    page.fill("#veld-email", email)
    page.fill("#veld-wachtwoord", PASSWORD)
    with page.expect_navigation():
        page.click("button:has-text('Inloggen')")
    assert page.url.endswith("/assistent")
    page.wait_for_function("() => typeof window.htmx === 'object'")
    page.evaluate("() => { window.__noFullLoad = 'still here'; }")

    # the professional view: codes, the example tariff, the rule trace and the summary
    tab_to(page, "button:Toon de weergave voor professionals")
    page.keyboard.press("Enter")
    page.wait_for_selector("#hw-samenvatting")
    assert "voorbeeldbedrag" in page.locator("#stap").inner_text()
    axe.assert_clean(page)

    # change an answer: back to the question, then straight back to the advice
    tab_to(page, "button:Wijzig: Is de hulp voor een tijdje nodig, of blijvend?")
    page.keyboard.press("Enter")
    wait_for_question(page, "duration")
    assert focused(page) == "button#hw-duration-0"
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # blijvend
    wait_for_question(page, None)
    assert "duurzaam" in page.locator("#stap").inner_text()

    # a provider page opens from the advice by keyboard
    first = links.first.get_attribute("href")
    tab_to(page, "h2#advies-kop")
    tab_to(page, f"a:{links.first.inner_text().strip()}")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(first) + "$"))
    assert not page_events.problems(), "\n".join(page_events.problems())


def test_crisis_by_keyboard_is_first_and_clean(page: Any, axe: Axe, live_server: str) -> None:
    page.goto(live_server + "/assistent")
    page.wait_for_function("() => typeof window.htmx === 'object'")
    tab_to(page, "textarea#hw-tekst")
    page.keyboard.type("Mijn vriend slaat me en ik durf niet naar huis.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_selector("#crisis-kop")
    page.wait_for_load_state("networkidle")
    page.wait_for_function("() => document.activeElement !== document.body")
    assert focused(page) == "h2#crisis-kop"
    crisis = page.locator("#crisis-kop").bounding_box()
    log = page.locator("#gesprek").bounding_box()
    assert crisis is not None and log is not None and crisis["y"] < log["y"]  # at the top
    assert page.locator("#hulpwijzer-crisis a[href='tel:08002000']").count() == 1
    axe.assert_clean(page)

    # change the story: the contacts stay in sight
    tab_to(page, "button:Wijzig: Uw hulpvraag")
    page.keyboard.press("Enter")
    page.wait_for_selector("#hw-tekst")
    # htmx moves the focus once the swap has settled: wait for it (a timeout fails).
    page.wait_for_function("() => document.activeElement?.id === 'hw-tekst'")
    assert focused(page) == "textarea#hw-tekst"
    page.keyboard.press("Control+A")
    page.keyboard.type(AUTISM)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    wait_for_question(page, "life_domains")
    assert "Toch gevaar? Bel direct" in page.locator("#hulpwijzer-crisis").inner_text()
    axe.assert_clean(page)


# ---------------------------------------------------------------------------- every screen

_OVERFLOW = """() => {
    const width = document.documentElement.clientWidth;
    const round = (box) => `${Math.round(box.left)}..${Math.round(box.right)}`;
    const wide = [];
    const all = '#hulpwijzer, #hulpwijzer *, .etalage-crisis, .etalage-crisis *';
    for (const e of document.querySelectorAll(all)) {
        const box = e.getBoundingClientRect();
        if (box.width > 0 && (box.right > width + 0.5 || box.left < -0.5)) {
            const text = (e.textContent || '').trim().slice(0, 40);
            const up = e.parentElement;
            wide.push(`${e.tagName.toLowerCase()}.${e.className} "${text}": ${round(box)}`
                      + ` in ${up.tagName.toLowerCase()} ${round(up.getBoundingClientRect())}`);
        }
    }
    return {scroll: document.documentElement.scrollWidth, width, wide: wide.slice(0, 5)};
}"""


def _fits(page: Any, state: str) -> None:
    page.wait_for_load_state("networkidle")
    found = page.evaluate(_OVERFLOW)
    assert found["scroll"] <= found["width"] and not found["wide"], (state, found)


def _tell(page: Any, text: str) -> None:
    page.fill("#hw-tekst", text)
    page.click("#hulpwijzer-stap button[type=submit]:has-text('Verstuur')")


@pytest.mark.parametrize("width", [320, 390, 1366])
def test_nothing_overflows_on_any_screen(
    browser: Any, axe: Axe, live_server: str, width: int
) -> None:
    """Issue 9: on a 390 px phone the crisis box was 417 px wide ("bel 0800-01…" cut off).
    In every state of the hulpwijzer nothing may stick out of the viewport, and the phone
    numbers are tap-to-call links."""

    def fresh() -> Any:
        context = browser.new_context(locale="nl-NL", viewport={"width": width, "height": 800})
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.goto(live_server + "/assistent")
        page.wait_for_function("() => typeof window.htmx === 'object'")
        return page

    contexts: list[Any] = []
    try:
        page = fresh()
        _fits(page, "greeting")
        _tell(page, AUTISM)
        wait_for_question(page, "life_domains")
        _fits(page, "question")

        page = fresh()  # a danger word dismissed by both models; a list of choices next
        _tell(
            page,
            "Vorig jaar hadden we een gaslek maar dat is helemaal gemaakt. Nu wil ik een"
            " koolmonoxidemelder. Mijn moeder van 82 woont bij ons en heeft hulp nodig bij"
            " het douchen.",
        )
        page.wait_for_selector("#hulpwijzer-stap fieldset")
        assert page.locator("#crisis-kop").count() == 0
        _fits(page, "choices with a hidden legend")

        page = fresh()
        _tell(page, "Ik ben bang dat het thuis uit de hand loopt met mijn man.")
        page.wait_for_selector("#crisis-kop")
        wait_for_question(page, "acute_safety")  # the safety question comes first
        _fits(page, "doubt: the contacts and the safety question")
        axe.assert_clean(page)

        page = fresh()  # no phrase found, the danger model asks (and quotes its words)
        _tell(page, "snijden helpt niet meer, ik wil dieper")
        page.wait_for_selector("#crisis-kop")
        wait_for_question(page, "acute_safety")
        _fits(page, "model: the contacts and the safety question")

        page = fresh()
        _tell(page, "Mijn vriend slaat me en ik durf niet naar huis.")
        page.wait_for_selector("#crisis-kop")
        page.wait_for_load_state("networkidle")
        _fits(page, "crisis")
        links = page.eval_on_selector_all(
            ".etalage-crisis a[href^='tel:']", "els => els.map(e => e.getAttribute('href'))"
        )
        assert {"tel:112", "tel:08000113", "tel:08002000"} <= set(links), links
        axe.assert_clean(page)
        page.screenshot(path=f"/tmp/etalage-crisis-{width}.png", full_page=True)
    finally:
        for context in contexts:
            context.close()
