"""The hulpwijzer at /assistent, driven like a person without JavaScript (plain forms,
post/redirect/get) and like htmx (fragments), on the known catalogue of web_catalogue."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import pytest
from accounts_support import csrf, engine_of, login, make_user
from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy import Engine

from etalage.conversation import COOKIE_NAME, Conversation, ConversationCookie, Step
from etalage.web.assistant import Hulpwijzer

Client = TestClient[Litestar]
AUTISM = "Mijn zoon van 12 heeft autisme en raakt snel overprikkeld."
CODE = re.compile(r"\b(?:[JW]\d|segment|arrangement|n_severe)\b|€|tarief", re.I)


# ---------------------------------------------------------------------------- helpers


class Doc(HTMLParser):
    """Tags with their attributes, and the text a person sees (no attribute values)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self._skip = 0
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)

    def all(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        return [
            a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())
        ]

    def by_id(self, id_: str) -> dict[str, str] | None:
        return next((a for _, a in self.tags if a.get("id") == id_), None)

    @property
    def plain(self) -> str:
        return " ".join(" ".join(self.text).split())


class Chat:
    """One visitor: a cookie jar and the page they see now."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.html = ""
        self.last: Any = None

    @property
    def doc(self) -> Doc:
        return Doc(self.html)

    def open(self, **headers: str) -> Any:
        r = self.client.get("/assistent", headers=headers)
        assert r.status_code == 200, r.text[:500]
        self.html = r.text
        return r

    def hidden(self, name: str) -> str:
        found = re.search(rf'name="{name}" value="([^"]*)"', self.html)
        assert found, f"no hidden field {name}"
        return found.group(1)

    @property
    def question(self) -> str | None:
        """The key of the question asked now (None: the hulpvraag or the advice)."""
        step = self.html.split('id="hulpwijzer-stap"', 1)[-1]
        found = re.search(
            r'name="vraag" value="([^"]+)"', step.split('id="hulpwijzer-antwoorden"')[0]
        )
        return found.group(1) if found else None

    def post(self, status: int = 303, htmx: bool = False, **fields: str) -> Any:
        data = {"_token": self.hidden("_token"), "gezien": self.hidden("gezien"), **fields}
        headers = {"HX-Request": "true"} if htmx else {}
        r = self.client.post("/assistent", data=data, headers=headers, follow_redirects=False)
        assert r.status_code == status, (fields, r.status_code, r.text[:800])
        self.last = r
        if r.status_code == 303:
            assert r.headers["location"].startswith("/assistent#")
            self.open()
        elif not htmx:
            self.html = r.text
        return r

    def tell(self, text: str, status: int = 303) -> Any:
        return self.post(status, actie="tekst", tekst=text)

    def answer(self, key: str, value: str, status: int = 303) -> Any:
        assert self.question == key, (self.question, key)
        return self.post(status, actie="antwoord", vraag=key, antwoord=value)

    def type(self, key: str, words: str, status: int = 303) -> Any:
        assert self.question == key, (self.question, key)
        return self.post(status, actie="antwoord", vraag=key, vrij=words)

    def domains(self, status: int = 303, **choices: str) -> Any:
        assert self.question == "life_domains", self.question
        fields = {f"domein_{k}": v for k, v in choices.items()}
        return self.post(status, actie="antwoord", vraag="life_domains", **fields)

    def change(self, key: str) -> Any:
        return self.post(actie="wijzig", vraag=key)

    def provider_links(self) -> list[str]:
        advice = self.html.split('id="advies-kop"', 1)[-1]
        return re.findall(r'href="/aanbieders/([a-z0-9-]+)"', advice)

    def advice_text(self) -> str:
        section = self.html.split('id="advies-kop"', 1)[-1].split('id="hulpwijzer-antwoorden"')[0]
        return Doc(section).plain

    def to_advice(self) -> None:
        """Answer the autism conversation of AUTISM up to the advice."""
        self.tell(AUTISM)
        self.domains(ontwikkeling="lukt_niet", school_dagbesteding="lukt_soms_niet")
        self.answer("previous_care_failed", "nee")
        self.answer("residential_care_needed", "nee")
        self.type("duration", "een paar maanden")
        self.type("postcode", "1621 ab")
        assert self.question is None and 'id="advies-kop"' in self.html


@pytest.fixture
def chat(page_client: Client) -> Iterator[Chat]:
    page_client.cookies.clear()
    yield Chat(page_client)
    page_client.cookies.clear()


def _set_cookies(r: Any) -> list[str]:
    return [v for k, v in r.headers.multi_items() if k.lower() == "set-cookie"]


def hulpwijzer(client: Client) -> Hulpwijzer:
    found: Hulpwijzer = client.app.state.hulpwijzer
    return found


# ---------------------------------------------------------------------------- the page


def test_greeting_is_a_full_accessible_page(chat: Chat) -> None:
    r = chat.open()
    doc = chat.doc
    assert '<html lang="nl">' in r.text and "komt binnenkort" not in r.text
    assert "HX-Request" in r.headers["vary"]
    assert r.headers["cache-control"] == "no-store"
    log = doc.by_id("gesprek")
    assert log is not None and log["aria-live"] == "polite" and log["role"] == "log"
    assert "Vertel in uw eigen woorden" in doc.plain
    textarea = doc.all("textarea")[0]
    assert textarea["id"] == "hw-tekst" and doc.all("label", **{"for": "hw-tekst"})
    assert "autofocus" not in r.text  # a full page does not jump the focus
    form = doc.all("form")[0]
    assert (form["method"], form["action"], form["hx-post"]) == ("post", "/assistent", "/assistent")
    assert doc.all("h1")[0] and [t for t, _ in doc.tags].count("h1") == 1


def test_cookie_flags(chat: Chat, page_client: Client) -> None:
    cookie = _set_cookies(chat.open())[0]
    assert cookie.startswith(f"{COOKIE_NAME}=v2.")
    flags = {part.strip().split("=")[0].lower(): part for part in cookie.split(";")[1:]}
    assert "httponly" in flags and "secure" not in flags
    assert flags["samesite"].strip().lower() == "samesite=lax"
    assert flags["path"].strip() == "Path=/assistent"
    assert flags["max-age"].strip() == "Max-Age=1800"
    with TestClient(page_client.app, base_url="https://testserver.local") as https:
        secure = _set_cookies(https.get("/assistent"))[0]
    assert "secure" in secure.lower()


def test_conversation_without_javascript_from_greeting_to_providers(
    chat: Chat, page_client: Client
) -> None:
    chat.open()
    r = chat.tell(AUTISM)
    assert r.headers["location"] == "/assistent#stap"
    assert AUTISM in chat.doc.plain  # the story is in the transcript
    # only the questions still needed: the age and the profile were read from the text
    assert chat.question == "life_domains"
    assert "Hoe een kind zich ontwikkelt" in chat.doc.plain and "Lukt soms niet" in chat.doc.plain
    chat.domains(ontwikkeling="lukt_niet", school_dagbesteding="lukt_soms_niet")
    chat.answer("previous_care_failed", "nee")
    chat.answer("residential_care_needed", "nee")
    chat.type("duration", "een paar maanden")
    chat.type("postcode", "1621 ab")

    advice = chat.advice_text()
    # citizens see the B1 names of the pack, not the formal ones
    assert "Hulp bij autisme en ontwikkeling" in advice
    assert "Regelmatig hulp" in advice and "Hulp voor een tijd" in advice
    assert "Autisme en ontwikkelingsstoornissen" not in advice and "Hersteltraject" not in advice
    assert "wijkteam" in advice  # what happens next for segment B
    assert chat.provider_links() == ["alfa-jeugdhulp"]  # J4 midden, serving Hoorn
    assert "heeft ervaring met autisme" in advice
    # the same as the API says for the same story and answers
    api = page_client.post(
        "/api/v1/assistant/advice",
        json={
            "text": AUTISM,
            "answers": {
                "life_domains": {"ontwikkeling": 2, "school_dagbesteding": 3},
                "previous_care_failed": False,
                "residential_care_needed": False,
                "duration": "temporary",
                "postcode": "1621AB",
            },
        },
    ).json()
    assert [p["slug"] for p in api["providers"]] == chat.provider_links()
    for line in api["explanation"]:
        assert line in advice
    # the given answers, each with "wijzig"
    answers = chat.html.split('id="antwoorden-kop"', 1)[1]
    for text in (
        "Uw hulpvraag",
        "Hoe een kind zich ontwikkelt: Lukt niet",
        "Voor een tijdje",
        "1621 AB",
    ):
        assert text in answers
    assert answers.count('name="actie" value="wijzig"') == 6


def test_crisis_comes_first_and_stays(chat: Chat) -> None:
    chat.open()
    r = chat.tell("Ik wil niet meer leven, ik zie het niet meer zitten.")
    assert r.headers["location"] == "/assistent#crisis-kop"
    html = chat.html
    assert html.index('id="crisis-kop"') < html.index('id="gesprek"')  # at the top
    for phone in ("tel:08000113", "tel:112", "tel:08002000"):
        assert f'href="{phone}"' in html
    assert 'role="alert"' in html.split('id="gesprek"')[0]
    assert chat.question is None and chat.provider_links() == []
    assert "Bel een van de nummers bovenaan" in chat.advice_text()
    # a crisis cannot be answered away, but after changing the story it stays in sight
    chat.change("tekst")
    assert 'id="hw-tekst"' in chat.html and "zie het niet meer zitten" in chat.html
    chat.tell(AUTISM)
    assert chat.question == "life_domains"
    assert "Toch gevaar? Bel direct" in chat.doc.plain
    assert 'href="tel:112"' in chat.html


def test_crisis_in_a_typed_answer_and_in_an_acute_domain(chat: Chat) -> None:
    chat.open()
    chat.tell("Mijn puber blowt en is agressief.")
    assert chat.question == "profile"
    chat.type("profile", "nee, hij slaat me en ik durf niet naar huis")
    assert 'id="crisis-kop"' in chat.html and "Hulp bij gevaar" in chat.doc.plain

    chat.post(actie="opnieuw")
    chat.tell(AUTISM)
    chat.domains(ontwikkeling="lukt_niet")
    chat.type("previous_care_failed", "mijn man bedreigt ons met een mes")  # no ja or nee
    # the contacts show; in a longer story the danger model may ask about safety first
    assert 'id="crisis-kop"' in chat.html and chat.question in (None, "acute_safety")

    chat.post(actie="opnieuw")
    chat.tell(AUTISM)
    chat.domains(ontwikkeling="acuut")
    assert chat.question == "acute_safety"  # an acute problem: first ask about safety
    chat.answer("acute_safety", "ja")
    assert chat.html.index('id="crisis-kop"') < chat.html.index('id="gesprek"')


def test_go_back_and_change_an_answer(chat: Chat) -> None:
    chat.open()
    chat.to_advice()
    assert "Hulp voor een tijd" in chat.advice_text()
    chat.change("duration")
    assert chat.question == "duration"
    assert "Dit was uw antwoord" in chat.doc.plain and "Niet wijzigen" in chat.doc.plain
    chat.answer("duration", "long_term")
    assert chat.question is None  # the other answers were kept: straight back to the advice
    assert "Hulp voor lange tijd" in chat.advice_text()  # the B1 name of "Duurzaam traject"
    assert "Blijvend" in chat.html.split('id="antwoorden-kop"', 1)[1]
    # change the story itself; cancel changing keeps everything
    chat.change("tekst")
    assert chat.doc.all("textarea")[0]["id"] == "hw-tekst" and AUTISM in chat.html
    chat.post(actie="annuleer")
    assert 'id="advies-kop"' in chat.html
    # an answer that does not fit is asked again, with what to do
    chat.change("postcode")
    chat.type("postcode", "ergens", status=400)
    assert "Vul een Nederlandse postcode in" in chat.doc.plain
    assert chat.doc.by_id("hw-postcode-vrij")["aria-invalid"] == "true"  # type: ignore[index]


def test_which_description_fits_is_asked_and_used(chat: Chat) -> None:
    chat.open()
    chat.tell("Mijn puber blowt en is agressief.")
    assert chat.question == "profile"
    labels = [a["for"] for a in chat.doc.all("label") if a.get("for", "").startswith("hw-profiel")]
    assert len(labels) == 7 and "Hulp bij verslaving" in chat.doc.plain
    assert not CODE.search(chat.doc.plain)  # inwoner: names, no codes
    chat.answer("profile", "J7")
    assert chat.question == "life_domains"
    chat.post(actie="antwoord", vraag="life_domains", antwoord="onbekend")
    while chat.question is not None:
        chat.answer(chat.question, "onbekend")
    assert "Hulp bij verslaving" in chat.advice_text()


def test_every_profile_can_be_chosen(page_client: Client) -> None:
    hw = hulpwijzer(page_client)
    from etalage.assistant import advise, parse_answers

    only_need = hw.config.special_cases.only_need_profiles  # never chosen beside other needs
    for profile in hw.pack.profiles:
        law = next(x for x in hw.pack.laws if x.code == profile.law)
        answers = parse_answers(hw.pack, {"age": 12 if law.age_min == 0 else 40})
        stories = ["Hulp gezocht."]
        if profile.code not in only_need:
            stories.append("Mijn kind blowt en is agressief, ook somber.")  # a three-way tie
        for story in stories:
            line = hw.profile_line(story, answers, profile.code)
            text = f"{story}\n{line}" if line else story
            chosen = advise(hw.pack, text, answers).profile
            assert chosen and chosen["code"] == profile.code, (profile.code, story)


# ---------------------------------------------------------------------------- modes


def test_inwoner_sees_no_codes_and_no_tariffs(chat: Chat) -> None:
    chat.open()
    chat.to_advice()
    assert not CODE.search(chat.doc.plain), CODE.search(chat.doc.plain)
    assert "hw-samenvatting" not in chat.html


def test_the_professional_view_is_for_logged_in_toegang_and_beheer_only(chat: Chat) -> None:
    chat.open()
    assert "Inloggen voor de weergave voor professionals" in chat.doc.plain
    chat.to_advice()
    chat.post(actie="modus", modus="professional")
    text = chat.advice_text()
    assert "voorbeeldbedrag" not in text and not CODE.search(chat.doc.plain)
    assert "Log in om hem te zien" in chat.doc.plain
    engine = engine_of(chat.client)
    login(chat.client, make_user(engine, "aanbieder", ["12345678"]))
    chat.open()
    chat.post(actie="modus", modus="professional")
    assert "voorbeeldbedrag" not in chat.advice_text()


def test_professional_view_has_codes_tariff_trace_and_summary(chat: Chat) -> None:
    login(chat.client, make_user(engine_of(chat.client), "toegang"))
    chat.open()
    chat.to_advice()
    chat.post(actie="modus", modus="professional")
    text = chat.advice_text()
    assert "J4" in text and "J4:midden" in text and "segment B" in text
    assert "voorbeeldbedrag" in text and "€" in text
    rows = re.findall(r'<th class="utrecht-table__header-cell" scope="row">(\d+)</th>', chat.html)
    assert rows == [str(n) for n in range(1, 11)]  # the full rule trace
    summary = chat.doc.by_id("hw-samenvatting")
    assert summary is not None and "readonly" in summary
    assert chat.doc.all("label", **{"for": "hw-samenvatting"})
    assert "Samenvatting voor het perspectiefplan" in chat.html and AUTISM in chat.html
    assert "Toon de weergave voor inwoners" in chat.doc.plain
    chat.post(actie="modus", modus="inwoner")
    assert not CODE.search(chat.doc.plain)
    # logged out, the conversation falls back to the citizen view
    chat.post(actie="modus", modus="professional")
    token = csrf(chat.client, "/account")
    assert chat.client.post("/uitloggen", data={"_csrf_token": token}).status_code == 200
    chat.open()
    assert "voorbeeldbedrag" not in chat.html and not CODE.search(chat.doc.plain)


# ---------------------------------------------------------------------------- htmx


def test_htmx_gets_fragments_and_focus_moves(chat: Chat) -> None:
    full = chat.open()
    frag = chat.client.get("/assistent", headers={"HX-Request": "true"})
    for r in (full, frag):
        assert "HX-Request" in r.headers["vary"]
    assert "<html" not in frag.text and frag.text.lstrip().startswith('<div id="hulpwijzer"')
    assert frag.text.count(" autofocus") == 1 and 'id="hw-tekst"' in frag.text

    # a step forward: only the new messages, plus the changed parts out of band
    r = chat.post(200, htmx=True, actie="tekst", tekst=AUTISM)
    assert "HX-Request" in r.headers["vary"]
    assert (r.headers["hx-retarget"], r.headers["hx-reswap"]) == ("#gesprek-berichten", "beforeend")
    body = r.text.lstrip()
    assert body.startswith('<li class="etalage-chat__item etalage-chat__item--user">')
    assert body.count('<li class="etalage-chat__item') == 2  # the story and the question
    assert 'id="hulpwijzer-stap" hx-swap-oob="true"' in body
    assert body.count(" autofocus") == 1 and "<html" not in body
    chat.open()
    assert chat.question == "life_domains"

    # going back replaces the whole panel
    r = chat.post(200, htmx=True, actie="wijzig", vraag="tekst")
    assert r.headers["hx-retarget"] == "#hulpwijzer" and r.headers["hx-reswap"] == "outerHTML"
    assert r.text.lstrip().startswith('<div id="hulpwijzer"')

    # an error is swapped in too (htmx is configured to swap 400s)
    chat.open()
    r = chat.post(400, htmx=True, actie="tekst", tekst="")
    assert "Vertel in een paar woorden" in r.text and r.headers["hx-retarget"] == "#hulpwijzer"


def test_crisis_appears_out_of_band_with_an_alert(chat: Chat) -> None:
    chat.open()
    r = chat.post(200, htmx=True, actie="tekst", tekst="Hij slaat me en ik ben bang.")
    assert 'id="hulpwijzer-crisis" hx-swap-oob="true"' in r.text
    assert 'role="alert"' in r.text and 'id="crisis-kop" tabindex="-1" autofocus' in r.text


# ---------------------------------------------------------------------------- session


def test_session_expires(chat: Chat, page_client: Client) -> None:
    secret = hulpwijzer(page_client).cookie.secret
    earlier = ConversationCookie(secret, now=lambda: time.time() - 31 * 60)
    old = Conversation.new().tell("Een oud verhaal over autisme.")
    page_client.cookies.set(COOKIE_NAME, earlier.dump(old), path="/assistent")
    chat.open()
    assert "Een oud verhaal" not in chat.html
    assert "langer dan 30 minuten stil" in chat.doc.plain
    chat.open()  # the notice is shown once
    assert "langer dan 30 minuten" not in chat.doc.plain


def test_cookie_is_encrypted_and_checked() -> None:
    now = [1_000_000.0]
    codec = ConversationCookie("geheim", now=lambda: now[0])
    conversation = Conversation.new().tell("tekst").answer("age", 12)
    value = codec.dump(conversation)
    assert codec.load(value).conversation == conversation
    assert "tekst" not in value  # the person's words cannot be read from the cookie
    version, payload = value.split(".")
    assert codec.load(f"{version}.{payload}x").conversation is None
    assert ConversationCookie("ander geheim").load(value).conversation is None
    assert codec.load("rommel").conversation is None and codec.load("").conversation is None
    now[0] += 30 * 60
    loaded = codec.load(value)
    assert loaded.conversation is None and loaded.expired
    assert conversation.step("age") == Step("age", 12)


def test_posts_need_the_token_of_this_conversation(chat: Chat, page_client: Client) -> None:
    chat.open()
    chat.tell(AUTISM)
    before = chat.html
    r = page_client.post(
        "/assistent",
        data={"actie": "opnieuw", "_token": "vervalst"},
        follow_redirects=False,
    )
    assert r.status_code == 400 and "niet meer actueel" in r.text
    chat.open()
    assert chat.question == "life_domains" and AUTISM in before and AUTISM in chat.html

    # no conversation at all (expired, or a post from another site): nothing is started,
    # and a story that was typed is kept in the field to send again
    page_client.cookies.clear()
    r = page_client.post(
        "/assistent",
        data={"actie": "tekst", "tekst": "Mijn moeder vergeet veel.", "_token": "x"},
        follow_redirects=False,
    )
    assert r.status_code == 400 and "verlopen" in r.text
    assert ">Mijn moeder vergeet veel.</textarea>" in r.text
    chat.html = r.text
    chat.tell("Mijn moeder vergeet veel.")  # with the new token it works
    assert "Mijn moeder vergeet veel." in chat.doc.plain


def test_bad_input_is_explained(chat: Chat) -> None:
    chat.open()
    chat.tell("   ", status=400)
    assert "Vertel in een paar woorden" in chat.doc.plain
    chat.tell("x" * 2001, status=400)
    assert "te lang" in chat.doc.plain
    # the engine's word limit, also on htmx's way (it once answered JSON into the log)
    r = chat.post(400, htmx=True, actie="tekst", tekst="ik wil dood " + "x" * 100)
    assert r.headers["content-type"].startswith("text/html"), r.text[:300]
    assert "Een woord in de tekst is te lang" in r.text and '"detail"' not in r.text
    chat.tell("Hulp gezocht voor mijn buurman, hij is erg eenzaam.")
    assert chat.question == "age"
    chat.type("age", "twaalf", status=400)
    assert "als getal" in chat.doc.plain
    chat.type("age", "130", status=400)
    chat.type("age", "-5", status=400)  # not read as 5
    assert "tussen 0 en" in chat.doc.plain
    chat.type("age", "hij is 81")
    chat.domains(status=400, financien="zeven")
    assert "Kies bij ‘Geld en schulden’" in chat.doc.plain
    chat.post(actie="vliegen", status=400)


def test_nothing_personal_is_logged(chat: Chat, caplog: pytest.LogCaptureFixture) -> None:
    secret_story = "Mijn dochter Zwanette van 9 heeft autisme"
    with caplog.at_level(logging.DEBUG):
        chat.open()
        chat.tell(secret_story)
        chat.domains(ontwikkeling="lukt_niet")
        chat.type("previous_care_failed", "nee, Zwanette kreeg nooit hulp")
        chat.client.post("/api/v1/assistant/advice", json={"text": secret_story})
    for record in caplog.records:
        assert "Zwanette" not in record.getMessage()


# ---------------------------------------------------------------------------- other regions


def test_a_region_without_assistant_says_so(app_for: Any, sqlite_engine: Engine) -> None:
    with TestClient(app_for(sqlite_engine, region="testregio")) as c:
        r = c.get("/assistent")
        assert r.status_code == 200 and "nog niet" in r.text
        api = c.post("/api/v1/assistant/advice", json={"text": "Hulp"})
        assert api.status_code == 404 and "hulpwijzer" in api.json()["detail"]


def test_a_story_too_big_for_the_cookie_is_refused_kindly(chat: Chat) -> None:
    import random

    rng = random.Random(7)
    # incompressible, in words of 19 letters (a longer word is refused before the cookie)
    story = "".join(" " if i % 20 == 19 else chr(rng.randint(0x4E00, 0x9FFF)) for i in range(1900))
    chat.open()
    chat.tell(story, status=400)
    assert "te lang om te bewaren" in chat.doc.plain
    chat.tell(AUTISM)  # the conversation itself is unharmed
    assert chat.question == "life_domains"


def test_a_control_character_in_an_answer_is_explained_on_the_page(chat: Chat) -> None:
    chat.open()
    chat.tell("Mijn dochter van 12 heeft het moeilijk.")
    for _ in range(10):
        if chat.question in ("profile", None):
            break
        chat.post(actie="antwoord", vraag=chat.question, antwoord="onbekend")
    assert chat.question == "profile"
    r = chat.type("profile", "hallo\x00", status=400)
    assert r.headers["content-type"].startswith("text/html")
    assert "ongeldig teken" in chat.doc.plain


def test_segment_a_shows_the_wijkteam_first_with_the_example_notice(chat: Chat) -> None:
    """Issue 9, point 6: voorliggend veld first, with the pack's example values marked."""
    chat.open()
    chat.tell("Ik ben 70 en voel me soms wat eenzaam sinds mijn vrouw is overleden.")
    for _ in range(10):
        key = chat.question
        if key is None:
            break
        if key == "life_domains":
            chat.domains(sociaal_netwerk="lukt_soms_niet")
        elif key == "network_support":
            chat.answer(key, "ja")
        elif key == "postcode":
            chat.type(key, "1601 AB")
        elif key == "duration":
            chat.answer(key, "temporary")
        else:
            chat.answer(key, "nee")
    advice = chat.advice_text()
    assert "Hulp zonder besluit van de gemeente" in advice
    assert "Wijkteam Enkhuizen" in advice and "voorbeeldgegevens" in advice


def test_an_old_cookie_cannot_bring_back_a_conversation_that_was_started_over(
    chat: Chat, page_client: Client
) -> None:
    chat.open()
    chat.tell(AUTISM)
    old = page_client.cookies.get(COOKIE_NAME)
    assert old and AUTISM not in old  # encrypted: the story cannot be read from it
    chat.post(actie="opnieuw")
    chat.open()
    assert AUTISM not in chat.html
    # A copy of the old cookie (another tab, the back button, someone else at the
    # same computer) finds nothing: that conversation has ended, on every process.
    page_client.cookies.clear()
    page_client.cookies.set(COOKIE_NAME, old, path="/assistent")
    r = page_client.get("/assistent")
    assert r.status_code == 200 and AUTISM not in r.text
