"""Tests for the rules of the sixth round: phone and file numbers said digit by digit in words,
addresses with the house number in words or said number first, the parts written before and after
an address (zone, block, floor, neighbourhood), birth dates after short cues and in brackets after a
name, identifiers by their series letters and shapes, and the places and institutions that stay
(Ukrainian districts and courts, ministries, Vietnamese towns after their abbreviation)."""

from __future__ import annotations

import pytest

from nlp.pii.address_tails import address_head_start, address_tail_end
from nlp.pii.addresses import find_addresses
from nlp.pii.dates import find_birth_dates
from nlp.pii.identifiers import find_identifiers
from nlp.pii.spoken import find_spoken_addresses, find_spoken_numbers
from nlp.redact import Redactor
from tests.nlp.conftest import assert_redacted as _check


def _spans(text: str, matches: object) -> list[str]:
    return [text[match.start : match.end] for match in matches]  # type: ignore[attr-defined]


# ---- Numbers said digit by digit ----------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "number", "kind"),
    [
        ("call my sister on two one two five five five nine eight seven six tonight",
         "two one two five five five nine eight seven six", "PHONE"),
        ("el celular de mi tía es tres uno cero cinco cinco cinco dos dos uno nueve gracias",
         "tres uno cero cinco cinco cinco dos dos uno nueve", "PHONE"),
        ("o número dela é nove oito sete seis cinco cinco cinco zero zero um pode ligar",
         "nove oito sete seis cinco cinco cinco zero zero um", "PHONE"),
        ("numărul lui e zero sapte patru unu cinci cinci cinci trei opt doi dar nu",
         "zero sapte patru unu cinci cinci cinci trei opt doi", "PHONE"),
        ("nimewo li se twa kat uit senk senk senk sis sis de men li fèmen",
         "twa kat uit senk senk senk sis sis de", "PHONE"),
        ("số của chị là không chín tám bốn năm năm năm sáu bảy hai nhé",
         "không chín tám bốn năm năm năm sáu bảy hai", "PHONE"),
        ("його номер нуль шість сім два п'ять п'ять п'ять три три один кажуть",
         "нуль шість сім два п'ять п'ять п'ять три три один", "PHONE"),
        ("उनको नम्बर नौ आठ चार एक पाँच पाँच पाँच दुई शून्य छ हो",
         "नौ आठ चार एक पाँच पाँच पाँच दुई शून्य छ", "PHONE"),
        ("رقم ملف اللجوء واحد تسعة تلاتة صفر اتنين خمسة ستة سبعة لسا ما وصل",
         "واحد تسعة تلاتة صفر اتنين خمسة ستة سبعة", "ID"),
        ("他妈妈的手机是一五九零零五五五七七二，你打一下", "一五九零零五五五七七二", "PHONE"),
        ("엄마 번호는 공일공 칠칠칠칠 사오육칠이에요", "공일공 칠칠칠칠 사오육칠", "PHONE"),
    ],
)
def test_spoken_digit_runs(text: str, number: str, kind: str) -> None:
    found = [(match.type, text[match.start : match.end]) for match in find_spoken_numbers(text)]
    assert found == [(kind, number)]


@pytest.mark.parametrize(
    "text",
    [
        # A year or a date in words is no phone: thousands end the run.
        "nació en mil novecientos noventa y ocho y llegó en dos mil quince",
        "năm hai nghìn không trăm hai mươi ba chúng tôi sang Đài Loan",
        "я приехала в две тысячи девятнадцатом году",
        # Counting a few things is not a number: fewer than seven number words.
        "we were three or four women and two men in one room",
        # Chinese numerals before a year or a date stay for the date rules.
        "她一九九九年来到广州",
    ],
)
def test_spoken_digit_runs_leave_dates_and_counts(text: str) -> None:
    assert list(find_spoken_numbers(text)) == []


# ---- Addresses said aloud ----------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("trăiește pe strada morilor numarul o sută doisprezece și nu iese",
         "strada morilor numarul o sută doisprezece"),
        ("вони живуть на вулиці садовій будинок сорок три квартира сім уже рік",
         "вулиці садовій будинок сорок три квартира сім"),
        ("они на улице ленина дом девятнадцать корпус два там", "улице ленина дом девятнадцать корпус два"),
        ("li rete lakay nan ri pave nimewo disnèf pa janm soti", "ri pave nimewo disnèf"),
        ("elle loge au numéro trente-deux de la rue paradis depuis mars",
         "numéro trente-deux de la rue paradis"),
        ("he keeps them at twenty one eighty maple avenue apartment c near the mall",
         "twenty one eighty maple avenue apartment c"),
        ("moram na rua vinte e três casa quatro perto da escola", "rua vinte e três casa quatro"),
        ("she was held at 2210 west 49th street apartment 3 in chicago",
         "2210 west 49th street apartment 3"),
    ],
)
def test_spoken_addresses(text: str, address: str) -> None:
    found = [text[start:end] for start, end in find_spoken_addresses(text)]
    assert address in found


@pytest.mark.parametrize(
    "text",
    [
        "she slept for 3 years on the street before the shelter",
        "la calle es peligrosa y el número de víctimas crece",
        "він жив на вулиці, без номера телефону",
        "we walked down main street to the courthouse",
    ],
)
def test_spoken_address_decoys(text: str) -> None:
    assert list(find_spoken_addresses(text)) == []


# ---- The parts before and after an address -----------------------------------------------------

@pytest.mark.parametrize(
    ("text", "address_end", "tail"),
    [
        ("Rua das Flores, 12, Quadra 4, Casa 9, Bairro Vila Nova, Manaus", "Rua das Flores, 12",
         "Rua das Flores, 12, Quadra 4, Casa 9, Bairro Vila Nova"),
        ("Flat 9C, Tower 2, Harbour Estate, Sha Tin", "Flat 9C", "Flat 9C, Tower 2"),
        ("Lindenstraße 8, 4. OG, bei Familie Roth", "Lindenstraße 8", "Lindenstraße 8, 4. OG"),
        ("Carrera 15 # 22-10, apto 201, barrio La Floresta, Cali", "Carrera 15 # 22-10",
         "Carrera 15 # 22-10, apto 201, barrio La Floresta"),
        ("au 12 rue Caulaincourt au troisième étage chez eux", "au 12 rue Caulaincourt",
         "au 12 rue Caulaincourt au troisième étage"),
        ("شارع النيل، عمارة ٥، محلة ٣١٢، زقاق ٧، بغداد", "شارع النيل",
         "شارع النيل، عمارة ٥، محلة ٣١٢، زقاق ٧"),
    ],
)
def test_address_tails(text: str, address_end: str, tail: str) -> None:
    assert text[: address_tail_end(text, len(address_end))] == tail


@pytest.mark.parametrize(
    ("text", "street", "address"),
    [
        ("nakatira sa Zone 3, Purok Mabuhay, Tacloban", "Purok Mabuhay", "Zone 3, Purok Mabuhay"),
        ("came to the house at No. 22 Airport Road, Benin", "22 Airport Road", "No. 22 Airport Road"),
        ("tumira po kami sa #18 Rizal St., Malolos", "18 Rizal St.", "#18 Rizal St."),
    ],
)
def test_address_heads(text: str, street: str, address: str) -> None:
    start = text.index(street)
    assert text[address_head_start(text, start) : start + len(street)] == address


def test_address_tail_leaves_the_city_and_a_lone_neighbourhood(redactor: Redactor) -> None:
    _check(redactor, "Ela mora na Rua Amazonas, 310, apto 52, Centro, Belo Horizonte.",
           ["Amazonas, 310", "apto 52"], ["Belo Horizonte"])
    # A neighbourhood named with no address before it is no address: it is a part of town.
    text = "Ela trabalhava num bar no bairro Jardim América, em Goiânia."
    assert list(find_addresses(text)) == []


@pytest.mark.parametrize(
    ("text", "removed", "kept"),
    [
        ("Li rete Jakmèl, ri Bourbon, nimewo 21, avèk manman l.", ["Bourbon, nimewo 21"], ["Jakmèl"]),
        ("Elle habitait route de Chêne 88, Genève, chez ses patrons.", ["route de Chêne 88"], ["Genève"]),
        ("a gente ficava na via Roma 45 em Turim", ["via Roma 45"], ["Turim"]),
        ("السكن: حي الرياض، زنقة ١٢، رقم ٣٤، الرباط", ["زنقة ١٢، رقم ٣٤"], ["الرباط"]),
        ("He went via Chicago to meet the lawyer on Oak Street.", [], ["via Chicago", "Oak Street"]),
    ],
)
def test_address_formats(redactor: Redactor, text: str, removed: list[str], kept: list[str]) -> None:
    _check(redactor, text, removed, kept)


# ---- Birth dates -------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "birth_dates"),
    [
        ("she was born on the 3rd day of June 1997 in Accra", ["3rd day of June 1997"]),
        ("my birth day 14 march 2001 and i am from Cebu", ["14 march 2001"]),
        ("Cliente: Rosa Lima, DN 22/07/1985, natural de Cusco.", ["22/07/1985"]),
        ("jeune femme, DDN 17/01/2004, arrivée en 2021", ["17/01/2004"]),
        ("nascida aos 5 de Março de 1993 em Nampula", ["5 de Março de 1993"]),
        ("nascimento: 12/12/1990\nendereço: não tem", ["12/12/1990"]),
        ("li fèt Jeremi 8 oktob 1999, li gen 25 an", ["8 oktob 1999"]),
        ("em Hạnh, sn 02/09/2003, quê Nghệ An", ["02/09/2003"]),
        ("Потерпілий: ДР 15.05.1980, громадянин України", ["15.05.1980"]),
        ("Іван, нар. 3 липня 1995 р. у Львові", ["3 липня 1995 р."]),
        ("ya rodilas 4 avgusta 2000 v Odesse", ["4 avgusta 2000"]),
        ("مزدادة بتاريخ ٣ مارس ١٩٩٩ بفاس", ["٣ مارس ١٩٩٩"]),
        ("الاسم: سعاد، تولد ٢٠٠١/٤/٢، بغداد", ["٢٠٠١/٤/٢"]),
        ("مواليد تسعة وعشرين أيار ألفين وخمسة", ["تسعة وعشرين أيار ألفين وخمسة"]),
        ("저는 1968년 음력 3월 2일생입니다", ["1968년 음력 3월 2일"]),
        ("제 생일(01년 5월 6일)이에요", ["01년 5월 6일"]),
        ("她是一九九七年十月二号出生的", ["一九九七年十月二号"]),
        ("佢1990年2月1日出世，而家", ["1990年2月1日"]),
        ("मेरो जन्म मिति २०५५ फागुन ३ गते हो", ["२०५५ फागुन ३ गते"]),
        ("донька народилася двадцятого березня дві тисячі восьмого року в Києві",
         ["двадцятого березня дві тисячі восьмого року"]),
    ],
)
def test_birth_date_cues(text: str, birth_dates: list[str]) -> None:
    assert birth_dates[0] in _spans(text, find_birth_dates(text))


@pytest.mark.parametrize(
    "text",
    [
        # Short cues need the date right after them; a date of an event stays.
        "DN said the hearing is on 12/03/2025",
        "the sn team met on 02/09/2024",
        "في ميلاد المسيح ٢٥ ديسمبر احتفلنا",
        "2024년 음력 설날에 도망쳤어요",
        "she was born in Lagos and came on 3 May 2019",
    ],
)
def test_birth_date_cue_decoys(text: str) -> None:
    found = _spans(text, find_birth_dates(text))
    assert not any(any(char.isdigit() for char in span) for span in found), found


def test_birth_date_in_brackets_after_a_name(redactor: Redactor) -> None:
    _check(redactor,
           "Her daughters Anna Kowalczyk (11.02.2009) and Ewa Kowalczyk (30.06.2011) stay with her.",
           ["11.02.2009", "30.06.2011"], [])
    # A recent date in brackets after a name is an event, not a birth.
    _check(redactor, "The worker Maria Santos (20.01.2025) signed the report.", [], ["20.01.2025"])


# ---- Identifiers -------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "identifier"),
    [
        ("закордонний паспорт (FK 381902) забрав роботодавець", "FK 381902"),
        ("паспорт серии МН № 204417 у хозяина", "МН № 204417"),
        ("ухвала у справі № 522/4417/23 від березня", "№ 522/4417/23"),
        ("заява зареєстрована в ЄРДР № 12024000000 від", "№ 12024000000"),
        ("Case No. 23-11-40512-B is set for trial", "23-11-40512-B"),
        ("HKID: K381220(7), passport pending", "K381220(7)"),
        ("dosar 2211/302/2023 la Tribunalul Iași", "2211/302/2023"),
        ("card number 4111 2222 3333 4444 was kept by him", "4111 2222 3333 4444"),
        ("реєстраційний номер 19880512-04417 у базі", "19880512-04417"),
        ("地检署（112年度侦字第2231号）", "112年度侦字第2231号"),
    ],
)
def test_identifier_series_and_shapes(text: str, identifier: str) -> None:
    assert identifier in _spans(text, find_identifiers(text))


@pytest.mark.parametrize(
    "text",
    [
        "hearing on 2025/01/08 and again on 12/03/2025",
        "she paid 1000/500/200 in three months",
    ],
)
def test_identifier_shape_decoys(text: str) -> None:
    found = _spans(text, find_identifiers(text))
    assert "2025/01/08" not in found and "1000/500/200" not in found


def test_chat_timestamps_are_not_phones(redactor: Redactor) -> None:
    _check(redactor, "[03.03.2025 22:41] Lena: where are you now?", [], ["03.03.2025"])


# ---- Places and institutions that stay ----------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Справу розглядає Шевченківський райсуд Львова, засідання у квітні.", "Шевченківський райсуд"),
        ("Вони жили в селі на Бердичівський р-н, працювали без оплати.", "Бердичівський р-н"),
        ("Заяву подано до Мінсоцполітики та до поліції.", "Мінсоцполітики"),
        ("родом із с. Ковалівка Полтавської обл., живе в Києві", "Полтавської обл."),
        ("Tôi làm việc ở TP Cần Thơ hai năm, rồi sang TX Ninh Hòa.", "TP Cần Thơ"),
        ("Công an Q. Gò Vấp đã tiếp nhận đơn.", "Q. Gò Vấp"),
    ],
)
def test_places_and_institutions_stay(redactor: Redactor, text: str, kept: str) -> None:
    _check(redactor, text, [], [kept])


def test_ukrainian_surname_in_skyi_is_still_a_name(redactor: Redactor) -> None:
    # Only a district, court or council noun after the adjective makes it a place.
    _check(redactor, "Роботодавець Олег Ковальський забрав паспорт.", ["Ковальський"], [])
