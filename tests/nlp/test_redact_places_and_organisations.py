"""What the tagger calls a name stays when the words around it say place or organisation: a unit
of administration or a state after it, an acronym in brackets, quotes after an organisation's word;
the people beside them go."""

from __future__ import annotations

import pytest

from nlp.redact import Redactor
from tests.nlp.conftest import FixedTagger, assert_redacted


def _with(redactor: Redactor, *names: str) -> Redactor:
    return Redactor(redactor.pipeline, tagger=FixedTagger(  # type: ignore[arg-type]
        [(name, "PERSON") for name in names]))


@pytest.mark.parametrize(("text", "place", "person"), [
    # a state after a comma
    ("She rents a room in Hialeah, FL now and Dayanelis drives her to work.", "Hialeah", "Dayanelis"),
    # a unit of administration before it (Spanish, Russian, Ukrainian, Arabic)
    ("La tenían en un cuarto de la alcaldía Iztapalapa; la reclutó Yuleisy.", "Iztapalapa", "Yuleisy"),
    ("Её держали на квартире в городе Балашиха; вербовщица Снежана.", "Балашиха", "Снежана"),
    ("Її тримали у м. Бровари, вербувала Мирослава.", "Бровари", "Мирослава"),
    ("عملت في منزل في مدينة الزرقاء لدى سيدة اسمها رغدة.", "الزرقاء", "رغدة"),
    # a preposition used only before places
    ("Nakatira siya sa Marikina pero taga-Sorsogon siya, sabi ni Lorelie.", "Sorsogon", "Lorelie"),
])
def test_a_place_the_tagger_calls_a_name_stays(redactor: Redactor, text: str, place: str,
                                               person: str) -> None:
    assert_redacted(_with(redactor, place, person), text, removed=[person], kept=[place])


def test_a_name_after_a_preposition_that_also_precedes_people_still_goes(redactor: Redactor) -> None:
    text = "Every Friday she had to hand the money to Kiarely at the laundromat."
    assert_redacted(_with(redactor, "Kiarely"), text, removed=["Kiarely"], kept=["Friday"])


@pytest.mark.parametrize(("text", "organisation", "person"), [
    ("Li te jwenn èd nan Sant Pwoteksyon Fanm (SPF) epi manman l, Rozlò, te rele.",
     "Sant Pwoteksyon Fanm", "Rozlò"),
    ("Referred by the Illinois Office for Survivor Support (IOSS); her cousin Tavia Wren called.",
     "Survivor Support", "Tavia Wren"),
    ("Ajans lan, RNDDH (Rezo Nasyonal Defans Dwa Moun), te pale ak Jinette.",
     "Rezo Nasyonal", "Jinette"),
    ("그녀는 이주여성상담센터(MWCC)의 도움을 받았고, 친구 Hyejin도 함께 왔다.", "MWCC", "Hyejin"),
])
def test_an_organisation_beside_its_acronym_stays(redactor: Redactor, text: str,
                                                  organisation: str, person: str) -> None:
    assert_redacted(_with(redactor, organisation, person), text, removed=[person],
                    kept=[organisation])


def test_a_person_beside_her_organisations_acronym_still_goes(redactor: Redactor) -> None:
    text = "Please call the caseworker, Odalys Vantreese (CAST), before Monday."
    assert_redacted(_with(redactor, "Odalys Vantreese"), text, removed=["Odalys", "Vantreese"],
                    kept=["CAST", "Monday"])


@pytest.mark.parametrize(("text", "organisation"), [
    ("Это Галина из «Надежды», пишу по поводу девушки.", "Надежды"),
    ("Её приняли в кризисный центр «Береника» в Казани.", "Береника"),
    ("Я з «Крилами», ми допомагаємо постраждалим.", "Крилами"),
    # After an agency's acronym and its place, and a part of a name of several words.
    ("Обратилась в МУ МВД России «Подольское», заявление приняли.", "Подольское"),
    ("Мы говорили в Комитете «Гражданское содействие» на прошлой неделе.", "Гражданское"),
])
def test_an_organisation_in_quotes_stays(redactor: Redactor, text: str, organisation: str) -> None:
    assert_redacted(_with(redactor, organisation), text, removed=[], kept=[organisation])


def test_a_company_in_quotes_named_after_a_person_still_goes(redactor: Redactor) -> None:
    text = "Вона працювала в ТОВ «Марія Коваленко» на складі."
    assert_redacted(_with(redactor, "Марія Коваленко"), text, removed=["Марія", "Коваленко"],
                    kept=["ТОВ"])


def test_a_nickname_in_quotes_still_goes(redactor: Redactor) -> None:
    text = "Сутенёр по кличке «Зубр» забирал все деньги."
    assert_redacted(_with(redactor, "Зубр"), text, removed=["Зубр"], kept=["кличке"])


def test_a_name_in_quotes_after_the_label_of_a_name_still_goes(redactor: Redactor) -> None:
    text = "ФИО «Петя», возраст 25, работал на стройке."
    assert_redacted(_with(redactor, "Петя"), text, removed=["Петя"], kept=["стройке"])
