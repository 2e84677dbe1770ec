"""Nepali names in Devanagari: given names and family or caste names from lists, names after a
title ("श्री", "श्रीमती"), before "भन्ने" ("X भन्ने मान्छे") and before a kin word of address
("दिनेश दाइले", "कमला दिदीको"). A postposition glued to the last word ("थापाले") is left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from nlp.pii.common import PERSON, TIER_CUE, PatternMatch
from nlp.pii.wordlists import NEPALI_FAMILY_NAMES, NEPALI_GIVEN_NAMES

_WORD = re.compile(r"[\u0900-\u0963\u0971-\u097f\u200c\u200d]+")
_SURNAMES = NEPALI_FAMILY_NAMES
_GIVEN = NEPALI_GIVEN_NAMES
_POSTPOSITIONS = ("हरूलाई", "द्वारा", "बाट", "सँग", "संग", "लाई", "हरू", "ले", "को", "की", "का", "मा",
                  "कै", "नै")
_MIDDLE = frozenset("बहादुर कुमार कुमारी प्रसाद राज माया देवी नाथ लाल मान बिक्रम".split())
_TITLES = frozenset("श्री श्रीमती सुश्री श्रीमान श्रीमान्".split())
_KIN_AFTER = frozenset("दाइ दिदी बहिनी भाइ जी ज्यू साहु काका काकी मामा माइजु फुपू सर म्याडम".split())
# Words that are not names: pronouns, function words, and nouns that come before "अधिकारी"
# ("प्रहरी अधिकारी", an officer) or before a kin word ("मेरो दाइ").
_ORDINARY = frozenset(
    "म मेरो मेरा मेरी हामी हाम्रो तिमी तिम्रो तपाईं तपाईंको उनी उनको उनका उनकी उ उसको उहाँ उहाँको यो त्यो "
    "यस त्यस यी ती र पनि को का की ले लाई मा बाट हो छ छन् थियो थिए थिइन् हुन् हुन भएको गरेको नाम "
    "प्रहरी सरकारी जिल्ला मुख्य प्रमुख प्रशासकीय सहायक निर्वाचन कर वन स्वास्थ्य शिक्षा अध्यागमन श्रम "
    "सम्पर्क सुरक्षा कानुनी कानूनी सामाजिक कल्याण अधिकारी ठूलो सानो जेठो कान्छो माहिलो साइँलो ठूली सानी "
    "जेठी कान्छी माहिली एक दुई तीन एउटा कुनै सबै अरू अर्को आफ्नो आफ्नै नेपाल भारत कतार दुबई मलेसिया "
    "साउदी कुवेत अमेरिका न्युयोर्क काठमाडौं पोखरा ग्राहक सल्लाहकार केस नोट विवरण ठेगाना फोन उमेर "
    "वर्ष साथी श्रीमान श्रीमती दलाल एजेन्ट मालिक साहु छिमेकी वकिल छोरा छोरी आमा बुबा बुवा दाइ दिदी "
    "बहिनी भाइ बोलाउने भन्ने त्यहाँ यहाँ अहिले पहिले त्यसपछि के को कसले कहाँ किन कसरी".split()
)


def _bare(word: str) -> tuple[str, int]:
    """The word without a postposition glued to it, and the length of that postposition."""
    for ending in _POSTPOSITIONS:
        if word.endswith(ending) and len(word) - len(ending) >= 2:
            stem = word[: -len(ending)]
            if stem in _SURNAMES or stem in _GIVEN or stem in _KIN_AFTER or len(stem) >= 3:
                return stem, len(ending)
    return word, 0


def _joined(text: str, first: re.Match[str], second: re.Match[str]) -> bool:
    return not text[first.end() : second.start()].strip(" \t")


def find_nepali_names(text: str) -> Iterator[PatternMatch]:
    """Nepali names (see the module docstring)."""
    words = list(_WORD.finditer(text))
    for index, match in enumerate(words):
        word = match.group()
        bare, cut = _bare(word)
        previous = words[index - 1] if index > 0 and _joined(text, words[index - 1], match) else None
        following = (words[index + 1] if index + 1 < len(words) and _joined(text, match, words[index + 1])
                     else None)
        if bare in _SURNAMES and previous is not None:
            first = previous
            if previous.group() in _ORDINARY or previous.group() in _TITLES:
                if bare == "अधिकारी" or previous.group() not in _TITLES:
                    continue
            start = previous.start()
            # "हरि बहादुर थापा": a middle name and the given name before it go with the surname.
            if previous.group() in _MIDDLE and index > 1 and _joined(text, words[index - 2], previous):
                start = words[index - 2].start()
            elif (index > 1 and _joined(text, words[index - 2], previous)
                  and words[index - 2].group() in _GIVEN):
                start = words[index - 2].start()
            if first.group() in _TITLES:
                start = match.start()
            yield PatternMatch(PERSON, start, match.end() - cut, TIER_CUE)
            continue
        if word in _TITLES and following is not None and following.group() not in _ORDINARY:
            end_index = index + 1
            while end_index + 1 < len(words) and end_index - index < 3 and _joined(
                text, words[end_index], words[end_index + 1]
            ) and _bare(words[end_index + 1].group())[0] in _SURNAMES | _MIDDLE:
                end_index += 1
            last = words[end_index]
            yield PatternMatch(PERSON, following.start(), last.end() - _bare(last.group())[1], TIER_CUE)
            continue
        if following is not None and bare not in _ORDINARY and cut == 0:
            after, _ = _bare(following.group())
            if after in _KIN_AFTER or following.group() == "भन्ने":
                yield PatternMatch(PERSON, match.start(), match.end(), TIER_CUE)
                continue
        if bare in _GIVEN:
            yield PatternMatch(PERSON, match.start(), match.end() - cut, TIER_CUE)
