"""The region's assistant as the conversation uses it: the engine with the providers.

`Guide` runs the engine (`advise`) over the provider index of a `ProviderSource`, any
object with `current() -> ProviderIndex` and `has_demo`. The engine has no answer for
"which description fits": when the person picks a profile, the conversation adds a line
to the story it sends ("Gekozen beschrijving: <name> (<signals only that profile
has>)"), checked with the engine, so rule 7 decides on it (`profile_line`).
"""

from __future__ import annotations

from typing import Protocol

from etalage.assistant import Advice, Answers, ProviderIndex, advise, assistant_for
from etalage.assistant.lexicon import DOMAIN, EXPERTISE, SIGNAL
from etalage.assistant.text import phrase_key
from etalage.conversation.state import Mode
from etalage.region.model import RegionPack


class ProviderSource(Protocol):
    """Where the providers come from (the catalogue, kept up to date elsewhere)."""

    @property
    def has_demo(self) -> bool: ...

    def current(self) -> ProviderIndex: ...


class Guide:
    """The assistant of a region pack that has one (a broken assistant.yaml fails here)."""

    def __init__(self, pack: RegionPack, providers: ProviderSource | None = None) -> None:
        self.pack = pack
        self.assistant = assistant_for(pack)
        self.config = self.assistant.config
        self.providers = providers
        self._choices = self._profile_phrases()

    @property
    def has_demo(self) -> bool:
        return self.providers is not None and self.providers.has_demo

    def advise(self, text: str, answers: Answers, mode: Mode = "inwoner") -> Advice:
        index = self.providers.current() if self.providers is not None else None
        return advise(self.pack, text, answers, providers=index, mode=mode)

    # ---- "which description fits" ----------------------------------------------------

    def _profile_phrases(self) -> dict[str, tuple[str, ...]]:
        """Per profile: signals no other profile of its law has, that read as nothing
        but a profile signal (no crisis, duration, law or residential hint)."""
        out: dict[str, tuple[str, ...]] = {}
        for profile in self.pack.profiles:
            others = {
                phrase_key(signal)
                for other in self.pack.profiles_for_law(profile.law)
                if other.code != profile.code
                for signal in (*other.specialist_signals, *other.other_signals)
            }
            found: list[str] = []
            seen: set[str] = set()  # one phrase per signal ("autisme" = "autistisch")
            for phrase in (*profile.other_signals, *profile.specialist_signals):
                if phrase_key(phrase) in others:
                    continue
                hits = self.assistant.read(phrase).hits
                signals = {h.value for h in hits if h.kind == SIGNAL}
                clean = all(h.kind in (SIGNAL, EXPERTISE, DOMAIN) for h in hits)
                if signals and clean and not signals & seen:
                    found.append(phrase)
                    seen |= signals
            out[profile.code] = tuple(found)
        return out

    def profile_line(self, story: str, answers: Answers, code: str) -> str:
        """A line for the story that makes rule 7 choose profile `code` ("" when the
        story alone does): the chosen description's name with signals only that profile
        has, added one at a time until the rules pick it."""
        if _profile_of(advise(self.pack, story, answers)) == code:
            return ""
        profile = self.pack.profile(code)
        phrases: list[str] = []
        for phrase in self._choices.get(code, ()):
            phrases.append(phrase)
            line = (
                f"Gekozen beschrijving: {profile.name if profile else code} ({', '.join(phrases)})."
            )
            if _profile_of(advise(self.pack, f"{story}\n{line}", answers)) == code:
                return line
        return ""


def _profile_of(advice: Advice) -> str | None:
    return advice.profile["code"] if advice.profile else None


__all__ = ["Guide", "ProviderSource"]
