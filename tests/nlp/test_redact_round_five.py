"""Tests for the rules of the fifth round: birth dates across a question and its answer or a few
words, beside a name, and in a second calendar; Chinese streets named in Latin letters or numbers and
phones in full-width brackets; Chinese elder-kin nicknames; lower-case names after Romanian and
Portuguese naming verbs; Romanian identity cards; and that the places and agencies beside them stay."""

from __future__ import annotations

import pytest

from nlp.pii.dates import find_birth_dates
from nlp.redact import Redactor
from tests.nlp.conftest import assert_redacted as _check


def _birth_dates(text: str) -> list[str]:
    return [text[match.start : match.end] for match in find_birth_dates(text)]



@pytest.mark.parametrize(
    ("text", "birth_dates"),
    [
        # The answer to a birth question in an interview.
        ("P: Data de nascimento? R: 3 de Abril de 1989. Nasci em Luanda.", ["3 de Abril de 1989"]),
        ("Î: Data nașterii? R: În acte scrie 11/04/1992. Sunt din Bacău.", ["11/04/1992"]),
        ("问：出生日期？ 答：一九八五年六月九号，湖南长沙人。", ["一九八五年六月九号"]),
        ("В: Дата рождения? О: 2 марта 1991 года, Кишинёв.", ["2 марта 1991 года"]),
        ("प्रश्न: जन्म मिति? उत्तर: नागरिकतामा २०४५ असार ७ छ।", ["२०४५ असार ७"]),
        ("س: تاريخ الميلاد؟ ج: 3 مارس 1994، في الخرطوم.", ["3 مارس 1994"]),
        # A few words between a cue that names the date and the date.
        ("su fecha de nacimiento es el dos de mayo de mil novecientos noventa y uno",
         ["dos de mayo de mil novecientos noventa y uno"]),
        ("Data nasterii mele e 1993-02-11, iar pasaportul e la el.", ["1993-02-11"]),
        ("Sa date de naissance est le 04.09.1997 (pour le dossier).", ["04.09.1997"]),
        ("născută la data de 12.06.1990 în municipiul Brașov", ["12.06.1990"]),
        # A second calendar or form of the same date, and the year word after it.
        ("DOB: 1988년 7월 2일 (Jul. 2, 1988). Passport pending.", ["1988년 7월 2일", "Jul. 2, 1988"]),
        ("जन्म मिति सन् १९९० मार्च ५ (वि.सं. २०४६ फागुन २२), जन्मस्थान: पोखरा",
         ["सन् १९९० मार्च ५", "वि.सं. २०४६ फागुन २२"]),
        ("مولودة في 2 شعبان 1410 هـ الموافق 27 فبراير 1990 في الموصل",
         ["2 شعبان 1410 هـ", "27 فبراير 1990"]),
        ("Дата рождения: 3 июня 1992 г.   Гражданство: Киргизия", ["3 июня 1992 г."]),
        ("当事人为李某，生于1993年4月8日，浙江温州人。", ["1993年4月8日"]),
    ],
)
def test_birth_dates_across_answers_words_and_calendars(text: str, birth_dates: list[str]) -> None:
    assert _birth_dates(text) == birth_dates


@pytest.mark.parametrize(
    "text",
    [
        # An event date after a verb cue and a clause stays: only a cue naming the date may bridge.
        "She was born in Honduras and came on 3 March 2015 with her aunt.",
        "Nacida en Honduras, llegó el 3 de marzo de 2015 a Texas.",
        # Chinese runs a clause on without spaces: no word is stepped over to a timestamp.
        "社工：你全名和生日告诉我 2025/01/08 23:20",
        # A date after a question with no birth cue.
        "P: Quando chegou? R: 5 de Maio de 2019.",
    ],
)
def test_event_dates_stay(text: str) -> None:
    assert _birth_dates(text) == []


@pytest.mark.parametrize(
    ("text", "removed", "kept"),
    [
        ("[02/03/2025 21:10] Ana: Ana Lucía Pérez Gómez, 14.09.1996. Estoy en Houston.",
         ["14.09.1996"], ["Houston"]),
        ("Nakausap ko si Maria Santos, 03-15-1995. Nasa Dubai siya.", ["03-15-1995"], ["Dubai"]),
        # The Tagalog particle of politeness between the name and the date.
        ("jhen: Rhea Mae Cabahug po, Feb 2, 2013\njhen: nasa Cebu po kami", ["Feb 2, 2013"], ["Cebu"]),
        # A signature dated lately is not a birth date.
        ("Firmado: Rosa Medina, 12/01/2025. Oficina de Phoenix.", [], ["12/01/2025", "Phoenix"]),
    ],
)
def test_dates_after_names(redactor: Redactor, rules_redactor: Redactor, text: str,
                           removed: list[str], kept: list[str]) -> None:
    # The tagger may take a recent date after a signature for a birth date (removing more):
    # the rules' decision is checked for what is kept.
    _check(redactor, text, removed, [])
    _check(rules_redactor, text, removed, kept)


@pytest.mark.parametrize(
    ("text", "removed", "kept"),
    [
        ("现住址：纽约皇后区法拉盛39街136-18号2楼A室，电话：（718）555-0199。",
         ["39街136-18号2楼A室", "555-0199"], ["纽约皇后区法拉盛"]),
        ("她住在洛杉矶Hill大道2210号，8号公寓，离华埠很近。",
         ["Hill大道2210号", "8号公寓"], ["洛杉矶", "华埠"]),
        ("住址：芝加哥北Clark大道4410号3楼。", ["Clark大道4410号"], ["芝加哥"]),
        ("地址是6号大道3301号地下室，在布鲁克林。", ["6号大道3301号", "地下室"], ["布鲁克林"]),
        # A street without a number stays, like the avenue's place in the city.
        ("她在纽约第五大道的店里工作，后来去了中央公园。", [], ["第五大道", "中央公园"]),
    ],
)
def test_chinese_streets_abroad_and_phones(redactor: Redactor, rules_redactor: Redactor,
                                           text: str, removed: list[str],
                                           kept: list[str]) -> None:
    # The tagger (since tbcc4faea21) may take a neighbourhood's last characters with a street
    # ("法拉[ADDRESS 1]"): the rules' decision is checked for what is kept.
    _check(redactor, text, removed, [])
    _check(rules_redactor, text, removed, kept)


@pytest.mark.parametrize(
    ("text", "removed", "kept"),
    [
        ("我是教会的陈姐，打电话说一个女孩在深圳的事。", ["陈姐"], ["深圳"]),
        ("中介“海哥”带她到了泰国曼谷。", ["海哥"], ["泰国曼谷"]),
        ("老板叫Tony哥，在旧金山开餐馆。", ["Tony哥"], ["旧金山"]),
        ("邻居张叔报了警，派出所来了人。", ["张叔"], ["派出所"]),
        # Kin words that name nobody stay.
        ("她表姐和大哥都在广州，她姐姐在上海。", [], ["表姐", "大哥", "姐姐", "广州", "上海"]),
    ],
)
def test_chinese_elder_kin_nicknames(redactor: Redactor, text: str, removed: list[str],
                                     kept: list[str]) -> None:
    _check(redactor, text, removed, kept)


@pytest.mark.parametrize(
    ("text", "removed", "kept"),
    [
        ("fata care e la noi in adapost o cheama mirela ioana stan are cincisprezece ani din Vaslui",
         ["mirela ioana stan"], ["Vaslui", "are"]),
        ("un baiat pe care il striga cristi a dus-o la Dortmund", ["cristi"], ["Dortmund"]),
        ("Em casa chamam-me Tininha. Sou de Benguela.", ["Tininha"], ["Benguela"]),
        ("o marido dela que o nome é joão carlos brito mora em Worcester",
         ["joão carlos brito"], ["Worcester"]),
        # "îl cheamă la" summons him somewhere: no name follows.
        ("Poliția îl cheamă la audieri la Tribunalul Iași.", [], ["Tribunalul Iași"]),
    ],
)
def test_lower_case_names_after_naming_verbs(redactor: Redactor, rules_redactor: Redactor,
                                             text: str, removed: list[str],
                                             kept: list[str]) -> None:
    # The tagger (since tbcc4faea21) may take an unlisted town for a name ("Sou de Benguela"):
    # the rules' decision is checked for what is kept.
    _check(redactor, text, removed, [])
    _check(rules_redactor, text, removed, kept)


@pytest.mark.parametrize(
    ("text", "removed", "kept"),
    [
        ("CNP: 2950612123456 CI: seria XB nr. 123987 Domiciliu: Iași", ["seria XB nr. 123987"], ["Iași"]),
        ("posesoare a cărții de identitate seria VS nr. 556120, cu domiciliul în Vaslui",
         ["seria VS nr. 556120"], ["Vaslui"]),
    ],
)
def test_romanian_identity_cards(redactor: Redactor, text: str, removed: list[str], kept: list[str]) -> None:
    _check(redactor, text, removed, kept)


@pytest.mark.parametrize(
    ("text", "removed", "kept"),
    [
        # Common given names of Romania, Brazil and the United States, at the start of a bracket.
        ("Victima a plecat cu prietenul ei (Radu Ilie Marin, aprox. 30 ani) la Constanța.",
         ["Radu Ilie Marin"], ["Constanța"]),
        ("O patrão (Sebastião Rocha, 52 anos) ficava com os documentos em Goiânia.",
         ["Sebastião Rocha"], ["Goiânia"]),
        ("The foreman (Timothy Vance, about 45) drove them to Fresno.", ["Timothy Vance"], ["Fresno"]),
    ],
)
def test_common_given_names(redactor: Redactor, text: str, removed: list[str], kept: list[str]) -> None:
    _check(redactor, text, removed, kept)


def test_double_given_name_is_one_name(redactor: Redactor, rules_redactor: Redactor) -> None:
    """A double given name is listed by its first part, so the whole name goes as one person."""
    text = "Elle travaillait à Sherbrooke chez un couple (Marie-Claire Bouchard et son mari), sans salaire."
    # The tagger (since tbcc4faea21) may, on its second look, take the town for a name too: the
    # town is checked on the rules alone.
    for each, exact in ((redactor, False), (rules_redactor, True)):
        redaction = each.redact(text)
        people = [text[span.start : span.end] for span in redaction.entities if span.type == "PERSON"]
        assert "Marie-Claire Bouchard" in people
        if exact:
            assert people == ["Marie-Claire Bouchard"]
            assert "Sherbrooke" in redaction.text


def test_a_second_look_keeps_what_the_first_found(redactor: Redactor) -> None:
    """The entities of the first look are carried to the next: the result is stable on re-redaction."""
    text = ("Her boss Daniel Ortiz (phone 713-555-0182) kept her passport in Houston, Texas, and "
            "Daniel said ICE would come.")
    first = redactor.redact(text)
    assert "Daniel" not in first.text and "Houston" in first.text and "ICE" in first.text
    assert redactor.redact(first.text).text == first.text
