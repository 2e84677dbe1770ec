"""Tests for names a writer gives herself in a chat, in lower case ("its me joy", "sunt eu nela",
"em la tuan day"), for a first name alone after a chat sign-off ("bjs bianca"), and for
institutions named after a person, which the tagger's or the rules' names must not take
("Hospital José Joaquim Fernandes", "больница им. Боткина", "Liceo Andrés Bello")."""

from __future__ import annotations

import pytest

from nlp.redact import Redactor
from tests.nlp.conftest import FixedTagger, assert_redacted

# ---- A writer naming herself in a chat ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("[WhatsApp 22:14] hey its me joy from the nail salon", "joy"),
        ("hi auntie it's me, kemi, i got a new phone", "kemi"),
        ("c'est moi fanta\njsuis toujours a tunis chez la dame", "fanta"),
        ("oi mãe sou eu bianca, to com o celular de uma amiga", "bianca"),
        ("mama sunt eu nela de pe tel unei fete", "nela"),
        ("sè m se mwen tamara\nm nan santiago kounya", "tamara"),
        ("ate ako si jun, nasa barko pa rin kami", "jun"),
        ("chi oi em day, em la tuan day\nem dang o birmingham", "tuan"),
        ("thang cam dau ten la hung, so no la 07700 900 731", "hung"),
        ("Chào chị, tên em là thảo, em đang ở Osaka", "thảo"),
    ],
)
def test_a_name_given_in_a_chat_goes_in_lower_case(rules_redactor: Redactor, text: str, name: str) -> None:
    result = rules_redactor.redact(text).text
    assert name not in result.split() and f" {name}" not in result, result


@pytest.mark.parametrize(
    "text",
    [
        "its me again, sorry its late",
        "it's me hehe",
        "c'est moi qui ai appelé la police",
        "sunt eu bine, nu te îngrijora",  # "it is me, fine": the word after is no name
        "Em là sinh viên năm hai",  # "I am a second-year student": no closing "đây"
        "ako si nanay, nasa Dubai pa",
    ],
)
def test_what_follows_such_a_phrase_is_not_always_a_name(rules_redactor: Redactor, text: str) -> None:
    assert rules_redactor.redact(text).text == text


# ---- A first name alone after a chat sign-off ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("a advogada disse q posso pedir proteção pelo artigo 18\nbjs bianca", "bianca"),
        ("te aviso mañana\nbesos, yesi", "yesi"),
        ("call me when u can\nxoxo mimi", "mimi"),
    ],
)
def test_a_lower_case_name_after_a_chat_sign_off_goes(rules_redactor: Redactor, text: str, name: str) -> None:
    assert_redacted(rules_redactor, text, [f" {name}"], [])


def test_a_sign_off_not_followed_by_a_name_at_the_end_of_its_line_keeps_the_words(
        rules_redactor: Redactor) -> None:
    for text in ["ok besos\nmañana hablamos", "bjs\nte amo", "Ingat po"]:
        assert rules_redactor.redact(text).text == text


# ---- Institutions named after a person --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "tagged", "kept"),
    [
        ("Foi observado no Hospital José Joaquim Fernandes, em Beja.", "Joaquim Fernandes",
         "Hospital José Joaquim Fernandes"),
        ("yo sé que la niña estudia en el Liceo Andrés Bello de Maturín", "Liceo Andrés Bello",
         "Liceo Andrés Bello"),
        ("la dame de la PMI m'a dit d'aller à l'hôpital Édouard-Herriot", "Édouard-Herriot",
         "l'hôpital Édouard-Herriot"),
        ("9 апреля её госпитализировали в больницу им. Боткина.", "Боткина", "больницу им. Боткина"),
        ("в ГБУЗ «Городская клиническая больница имени С. П. Боткина»", "Боткина", "имени С. П. Боткина"),
        ("Kính gửi: Bệnh viện Trưng Vương, phòng công tác xã hội", "Trưng Vương", "Bệnh viện Trưng Vương"),
    ],
)
def test_an_institution_named_after_a_person_is_kept(redactor: Redactor, text: str, tagged: str,
                                                      kept: str) -> None:
    with_tagger = Redactor(redactor.pipeline, tagger=FixedTagger([(tagged, "PERSON")]))  # type: ignore[arg-type]
    assert kept in with_tagger.redact(text).text


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("La escuela de Pedro Gómez queda en Tijuana.", "Pedro Gómez"),  # a particle, lower case
        ("The hospital called Maria Lopez yesterday.", "Maria Lopez"),
        ("The Hospital called Maria Lopez yesterday.", "Maria Lopez"),  # a verb between
        ("Её вывез знакомый по имени Тимур Алиев.", "Тимур"),  # "by the name of", not "named after"
    ],
)
def test_a_person_near_an_institution_word_still_goes(redactor: Redactor, text: str, name: str) -> None:
    with_tagger = Redactor(redactor.pipeline, tagger=FixedTagger([(name, "PERSON")]))  # type: ignore[arg-type]
    assert name not in with_tagger.redact(text).text
