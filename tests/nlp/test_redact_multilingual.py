"""Tests for the redactor in other languages and scripts: scripts, cues, national formats."""

from __future__ import annotations

import pytest

from nlp.redact import Redactor
from nlp.scripts import CYRILLIC, HAN, HANGUL, LATIN, dominant_script, mask_for_english_model


@pytest.mark.parametrize(
    ("text", "script"),
    [("我现在没有合法身份", HAN), ("제 이름은 김민지입니다", HANGUL), ("Меня зовут Анна", CYRILLIC),
     ("Client Wang Li (王丽) says she needs help", LATIN), ("", LATIN)],
)
def test_dominant_script(text: str, script: str) -> None:
    assert dominant_script(text) == script


def test_masking_keeps_offsets_and_latin_text() -> None:
    text = "Client Wang Li (王丽) says: Анна"
    masked = mask_for_english_model(text)
    assert len(masked) == len(text) and masked.startswith("Client Wang Li (")
    assert "王" not in masked and "Анна" not in masked


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("我叫王秀英，今年28岁，来自福建。", "王秀英"),
        ("老板李建国扣了我的护照。", "李建国"),
        ("你好，刘女士：我的朋友叫做赵敏。", "赵敏"),
        ("사장 박정호 씨가 여권을 빼앗았어요.", "박정호"),
        ("제 이름은 김민지입니다. 한국에서 왔어요.", "김민지"),
        ("Chào chị Lan, em là Trần Văn Minh.", "Lan"),
        ("Tên tôi là Nguyễn Thị Hoa, 24 tuổi.", "Nguyễn Thị Hoa"),
        ("Ang amo niyang si Jordan Reyes ang kumuha ng pasaporte.", "Jordan Reyes"),
        ("Ako si Maricel Dela Cruz, galing sa Bohol.", "Maricel"),
        ("Mwen rele Jean-Baptiste Pierre.", "Jean-Baptiste Pierre"),
        ("a fost dusă în Spania de un bărbat zis „Bebe”.", "Bebe"),
        ("Меня зовут Анна Сергеевна Кузнецова, я из Одессы.", "Кузнецова"),
        ("Работодатель Игорь Петрович забрал мой паспорт.", "Игорь"),
        ("Мене звати Олена Іванівна Шевчук.", "Олена"),
        ("मेरो नाम सीता गुरुङ हो।", "सीता गुरुङ"),
        ("اسمي فاطمة أحمد، عمري 25 سنة.", "فاطمة أحمد"),
        ("The recruiter, whom everyone calls güero, kept her passport.", "güero"),
    ],
)
def test_names_after_cues_of_every_language(redactor: Redactor, text: str, secret: str) -> None:
    assert secret not in redactor.redact(text).text


def test_chinese_clause_is_not_taken_for_a_name(redactor: Redactor) -> None:
    text = "我现在没有合法身份，想申请T签证。她需要律师帮忙去法院申请保护令。"
    redaction = redactor.redact(text)
    assert redaction.entities == [] and redaction.text == text


@pytest.mark.parametrize(
    ("text", "secrets"),
    [
        ("Hi Rachel,\nThe client needs a T visa.\nThanks, Dana", ["Rachel", "Dana"]),
        ("Hola Gemma, te escribo por mi prima.\nUn abrazo, Lucía", ["Gemma", "Lucía"]),
        ("Dear Ms. Abril, please call back.", ["Abril"]),
        ("Odyans lan se 12 janvye 2025.\nMèsi, Widlyne", ["Widlyne"]),
        ("Здравствуйте, Ольга! Нужна помощь.\nС уважением, Дмитрий Волков", ["Ольга", "Волков"]),
        ("Bună Andrei, am nevoie de ajutor.\nCu drag, Mirela", ["Andrei", "Mirela"]),
    ],
)
def test_greetings_and_sign_offs(redactor: Redactor, text: str, secrets: list[str]) -> None:
    redacted = redactor.redact(text).text
    assert all(secret not in redacted for secret in secrets)


def test_greeting_to_a_group_is_kept(redactor: Redactor) -> None:
    assert "team" in redactor.redact("Hi team,\nNew referral below.").text


@pytest.mark.parametrize(
    ("text", "leftover"),
    [("Her cousin Abril Paz Moreno is in Texas.", "Abril"),
     ("Ako si Maricel Dela Cruz, galing sa Bohol.", "Dela")],
)
def test_the_whole_name_goes(redactor: Redactor, text: str, leftover: str) -> None:
    assert leftover not in redactor.redact(text).text


@pytest.mark.parametrize(
    ("text", "secret", "kept"),
    [
        ("Numele meu este Elena, născută pe 12.04.1995 în Iași.", "12.04.1995", "Iași"),
        ("Ipinanganak noong Hunyo 5, 1990 si Princess Santos.", "Hunyo 5, 1990", "Ipinanganak"),
        ("出生日期：1990年5月3日。面谈定在2024年6月10日。", "1990年5月3日", "2024年6月10日"),
        ("생년월일: 1992년 7월 15일. 2023년 5월에 왔어요.", "1992년 7월 15일", "2023년 5월"),
        ("Ngày sinh: 5 tháng 6 năm 1998. Phiên tòa vào ngày 3 tháng 9 năm 2024.", "5 tháng 6 năm 1998",
         "3 tháng 9 năm 2024"),
        ("Родилась 3 мая 1990 года. Суд назначен на 5 марта 2025 года.", "3 мая 1990", "5 марта 2025"),
        ("जन्म मिति: २०४७/०३/१५।", "२०४७/०३/१५", "जन्म मिति"),
    ],
)
def test_birth_dates_in_other_languages(redactor: Redactor, text: str, secret: str, kept: str) -> None:
    redacted = redactor.redact(text).text
    assert secret not in redacted and kept in redacted


@pytest.mark.parametrize(
    ("text", "secret", "kept"),
    [
        ("She lived at 88-14 Jamaica Ave, Apt 2, Queens.", "88-14", "Queens"),
        ("Vive en Calle Hidalgo 45, Col. Centro, Cuernavaca.", "Hidalgo 45", "Cuernavaca"),
        ("Vivía en 4a Calle 3-21 zona 1, Ciudad de Guatemala.", "3-21", "Ciudad de Guatemala"),
        ("Nakatira siya sa Blk 5 Lot 12, Brgy. San Roque, Antipolo.", "Lot 12", "Antipolo"),
        ("Adresa: Str. Florilor nr. 7, bl. A3, sc. 2, ap. 14, București.", "Florilor", "București"),
        ("Elle habitait au 12 rue des Lilas à Paris.", "Lilas", "Paris"),
        ("En Madrid vivía en C/ Mayor 3, 2º B.", "2º B", "Madrid"),
        ("Flat 3, 27 Lower Road, London.", "Lower Road", "London"),
        ("Адрес: ул. Ленина, д. 15, кв. 8, Москва.", "Ленина", "Москва"),
        ("她住在北京市朝阳区建国路88号3单元502室。", "建国路88号", "朝阳区"),
        ("주소는 서울시 영등포구 대림로 123, 101동 202호입니다.", "대림로 123", "영등포구"),
        ("Địa chỉ: số 12 ngõ 45 phố Tây Sơn, Hà Nội.", "ngõ 45", "Hà Nội"),
    ],
)
def test_addresses_in_national_formats(redactor: Redactor, text: str, secret: str, kept: str) -> None:
    redacted = redactor.redact(text).text
    assert secret not in redacted and kept in redacted


def test_zip_code_keeps_its_first_three_digits(redactor: Redactor) -> None:
    redaction = redactor.redact("She moved to Queens, NY 11432 in May; the amount was 25000 dollars.")
    assert "11432" not in redaction.text and "NY 114[ADDRESS" in redaction.text
    assert "25000" in redaction.text


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("Su c.c. 1.036.458.221.", "1.036.458.221"),
        ("CI seria KT nr. 482913, emisă în 2019.", "482913"),
        ("Mașina avea numărul IS-12-BBR.", "IS-12-BBR"),
        ("La voiture immatriculée FG-481-KL.", "FG-481-KL"),
        ("车牌京A·12345。", "京A·12345"),
        ("客户的身份证号码是110105199003031234。", "110105199003031234"),
        ("주민등록번호 920715-2345678.", "920715-2345678"),
        ("Паспорт 4510 123456.", "4510 123456"),
    ],
)
def test_national_identifiers_and_plates(redactor: Redactor, text: str, secret: str) -> None:
    assert secret not in redactor.redact(text).text


@pytest.mark.parametrize(
    ("text", "plate"),
    [
        ("y la patente del utilitario en el que se trasladaba la mercadería, AB 417 KD. Las actuaciones",
         "AB 417 KD"),
        ("Ang sumundo sa kanila ay isang van na may plakang ABC 2290.", "ABC 2290"),
        ("Её возили на автомобиле г/н Е 417 ТК 178.", "Е 417 ТК 178"),
        ("Mwen te wè nimewo plak machin nan: AA-12345, nan Delma.", "AA-12345"),
        ("Numărul de înmatriculare al mașinii era B 123 ABC, iar șoferul a fugit.", "B 123 ABC"),
        ("Chiếc xe mang biển số 51H-123.45 chở em đi.", "51H-123.45"),
    ],
)
def test_plates_after_the_word_for_plate_in_each_language(redactor: Redactor, text: str,
                                                          plate: str) -> None:
    redacted = redactor.redact(text).text
    parts = [part for part in plate.replace("-", " ").split() if len(part) > 1]
    assert parts and not any(part in redacted for part in parts), redacted


@pytest.mark.parametrize(
    "kept",
    ["Tex. Penal Code § 20A.02", "G.L. c. 265, § 50", "Mossos d'Esquadra", "Santiago Atitlán",
     "Dolores Hidalgo", "Bohol"],
)
def test_statutes_agencies_and_places_are_kept(redactor: Redactor, kept: str) -> None:
    text = ("Claims under Tex. Penal Code § 20A.02 and G.L. c. 265, § 50. La denunció a los Mossos "
            "d'Esquadra. Viajó desde Santiago Atitlán y vivió en Dolores Hidalgo; galing sa Bohol.")
    assert kept in redactor.redact(text).text


def test_portuguese_em_is_not_a_vietnamese_word_of_address(redactor: Redactor) -> None:
    assert "Recife" in redactor.redact("Ela mora em Recife desde 2020.").text
