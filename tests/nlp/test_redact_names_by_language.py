"""Tests for names read from the grammar of each language (roles and kin words before a name, naming
verbs, form labels, chat speakers, ages, initials) and for the places and agencies that the same
capitals or positions must not turn into names. Every sentence is written for the test."""

from __future__ import annotations

import pytest

from nlp.pii.names_east_asian import is_vietnamese_text
from nlp.redact import Redactor
from tests.nlp.conftest import assert_redacted as _check


def test_romanian_text_is_not_read_as_vietnamese() -> None:
    assert not is_vietnamese_text("Am fost dusă în Brașov și apoi în Cluj, la o fabrică de mobilă.")
    assert is_vietnamese_text("Em được đưa sang Trung Quốc làm việc trong một nhà máy.")


@pytest.mark.parametrize(
    ("text", "removed", "kept"),
    [
        # Romanian: kin and roles with a possessive, titles, name labels, nicknames.
        ("Sora mea Violeta a plecat cu un vecin, Costinel, la Valencia.", ["Violeta", "Costinel"],
         ["Valencia"]),
        ("Un frate mai mic, Sebi, a rămas acasă în Bârlad.", ["Sebi"], ["Bârlad"]),
        ("Nume și prenume: Roman Elena-Daniela\nData evaluării: ieri", ["Roman Elena-Daniela"], []),
        ("Pe stradă îi spune lumea „pisica”.", ["pisica"], []),
        ("Nu-i spune nimic lui Tudor.", ["Tudor"], ["nimic"]),
        # Names before an age, in several languages.
        ("La víctima, Maritza Quispe Flores, de 16 años, fue trasladada.", ["Maritza Quispe Flores"], []),
        ("Recrutorul, Dănuț Bălașa, aprox. 30 ani, are mașină.", ["Dănuț Bălașa"], []),
        ("Je travaillais en Espagne, 3 ans, dans les serres.", [], ["Espagne"]),
        # Chat transcripts: the writer of each message.
        ("[12/03 21:40] Yesenia: ya llegué\n[12/03 21:41] Yo: ok", ["Yesenia"], []),
        # Spanish, French, Portuguese and Haitian naming phrases and relations.
        ("Al capataz le dicen el Toro y al chofer le llaman Chuy.", ["Toro", "Chuy"], []),
        ("Un tipo que se hacía llamar Brandon me quitó el pasaporte.", ["Brandon"], []),
        ("Mon amie, on l'appelle Cookie, vit à Lyon.", ["Cookie"], ["Lyon"]),
        ("O patrão, que eles chamam de Nego, fica em Goiânia.", ["Nego"], ["Goiânia"]),
        ("Tout moun rele l Ti Bout, li rete Okap.", ["Ti Bout"], ["Okap"]),
        ("O filho dele, Wesley, tem dez anos.", ["Wesley"], []),
        ("Madanm li Rosemène travay nan yon faktori.", ["Rosemène"], []),
        ("Accueillante : Océane (bénévole)\nAppelante : Yasmina", ["Océane", "Yasmina"], []),
    ],
)
def test_names_in_latin_script_languages(redactor: Redactor, text: str, removed: list[str],
                                         kept: list[str]) -> None:
    _check(redactor, text, removed, kept)


@pytest.mark.parametrize(
    ("text", "removed", "kept"),
    [
        # A role or kin word, a form label, a naming verb, "उर्फ", and initials.
        ("फारम भर्ने: सामाजिक परिचालक रमिता श्रेष्ठ", ["रमिता श्रेष्ठ"], []),
        ("गाउँमा उसलाई भुन्टे भनेर चिनिन्छ।", ["भुन्टे"], ["गाउँमा"]),
        ("सञ्चालक रमेश पौडेल उर्फ \"काले\" ले पैसा लियो।", ["रमेश पौडेल", "काले"], []),
        ("केस नोट (कार्यकर्ता: एस.पी.)", ["एस.पी."], ["कार्यकर्ता"]),
        ("सानी बहिनी सुनमायालाई विद्यालय भर्ना गर्नुपर्छ।", ["सुनमाया"], []),
        # Not names: a verb before "भनेर", nationality before an institution, an office.
        ("साहुले राम्रो जागिर दिन्छु भनेर पठायो।", [], ["दिन्छु"]),
        ("कतारस्थित नेपाली दूतावासमा उजुरी दियो।", [], ["नेपाली दूतावास"]),
        ("उनलाई जिल्ला प्रहरी कार्यालय रुपन्देहीमा बुझाइयो।", [], ["प्रहरी कार्यालय"]),
        ("उनको भाइ सुरेन्द्र गुरुङले दूतावासमा उजुरी दिए।", ["सुरेन्द्र गुरुङ"], ["दूतावासमा"]),
        ("भाइ काठमाडौंमा पढ्छ।", [], ["काठमाडौंमा"]),
    ],
)
def test_nepali_names(redactor: Redactor, text: str, removed: list[str], kept: list[str]) -> None:
    _check(redactor, text, removed, kept)


@pytest.mark.parametrize(
    ("text", "removed", "kept"),
    [
        # Roles and relations before a name, foreign names with their Latin form, nicknames.
        ("내담자: 누르 아이샤(Nur Aisyah), 여, 24세", ["누르 아이샤", "Nur Aisyah"], []),
        ("남편 박준호(45세)와 시어머니가 여권을 가져갔다.", ["박준호"], []),
        ("통역상담원 아잘리아(Azalea)가 통역했다.", ["아잘리아", "Azalea"], []),
        ("업주는 '꼬마'라고 불리는 남자를 시켜 감시했다.", ["꼬마"], []),
        ("별명 '호랑이'로 알려진 선장이 폭행했다.", ["호랑이"], []),
        # Places after a province or city, and places with a particle, stay.
        ("주소: 부산 해운대구, 경기도 수원시 팔달구", [], ["해운대구", "팔달구"]),
        ("그는 연길에 도착한 뒤 하노이로 갔다.", [], ["연길", "하노이"]),
        ("「성매매알선 등 행위의 처벌에 관한 법률」 위반", [], ["성매매알선"]),
    ],
)
def test_korean_names(redactor: Redactor, text: str, removed: list[str], kept: list[str]) -> None:
    _check(redactor, text, removed, kept)


@pytest.mark.parametrize(
    ("text", "removed", "kept"),
    [
        ("الأخصائية الاجتماعية: سلمى حداد | المتصلة: ماريا سانتوس، عاملة منزل.",
         ["سلمى حداد", "ماريا سانتوس"], ["عاملة منزل"]),
        ('مساعده شاب يلقّبونه "الثعلب" ويتواصل مع الزبائن.', ["الثعلب"], []),
        ("ملاحظات (الأخصائية: ر.ك.) عن الطفلة.", ["ر.ك."], []),
        ("والأب جورج حنا ساعدها على الهرب.", ["جورج حنا"], []),
        ("أختها في الأردن لا تعرف شيئاً.", [], ["الأردن"]),
        ("السمسار زوّج ثلاث فتيات من الحي.", [], ["زوّج"]),
    ],
)
def test_arabic_names(redactor: Redactor, text: str, removed: list[str], kept: list[str]) -> None:
    _check(redactor, text, removed, kept)


@pytest.mark.parametrize(
    ("text", "removed", "kept"),
    [
        # Place nouns before and after, labels and agencies in Russian and Ukrainian.
        ("Заявление подано в ОМВД по Советскому району г. Казани.", [], ["Советскому", "Казани"]),
        ("Звідки: Мелітополь, Запорізька обл.", [], ["Мелітополь", "Запорізька"]),
        ("Встречались у станции метро «Технологический институт».", [], ["Технологический"]),
        ("Капитан полиции Дарья Смирнова приняла заявление.", ["Дарья Смирнова"], []),
        ("Сусід по селу Степан Ількович Гнатюк обіцяв роботу.", ["Степан Ількович Гнатюк"], []),
        ("Возраст: 29\nГражданство: Таджикистан", [], ["Возраст"]),
        # A name found once is found again in its case forms.
        ("Посредника звали Тимур. Тимура я больше не видела.", ["Тимур"], []),
        ("Прошу рассмотреть Ваше заявление и Вашего сына.", [], ["Ваше", "Вашего"]),
    ],
)
def test_cyrillic_places_agencies_and_names(redactor: Redactor, text: str, removed: list[str],
                                            kept: list[str]) -> None:
    _check(redactor, text, removed, kept)


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Dosar deschis la Parchetul Tribunalului Brăila, din județul Brăila.", ["Brăila"]),
        ("Li soti komin Kenskòf, depatman Lwès.", ["Kenskòf"]),
        ("Em sống ở huyện Nghĩa Hưng, tỉnh Nam Định và học theo Luật Trẻ em 2016.",
         ["Nghĩa Hưng", "Nam Định", "Luật Trẻ em"]),
        ("Đã báo Cục Lãnh sự; em sẽ bay về Tân Sơn Nhất ngày mai.", ["Cục Lãnh sự", "Tân Sơn Nhất"]),
        ("Vivían en la Carretera Panamericana, cerca de Tapachula.", ["Carretera Panamericana"]),
    ],
)
def test_places_and_agencies_after_their_unit_word(redactor: Redactor, text: str, kept: list[str]) -> None:
    _check(redactor, text, [], kept)


def test_a_vietnamese_lawyer_is_named_after_her_title(redactor: Redactor) -> None:
    _check(redactor, "Luật sư Đinh Thu Trang ở Hà Nội đang giúp tôi ly hôn theo Luật Hôn nhân.",
           ["Đinh Thu Trang"], ["Hà Nội", "Luật Hôn nhân"])
