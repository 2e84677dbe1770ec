"""Tests for dates of birth marked after the date, in national calendars and numerals, and spoken in
words, each in its own language; a date of another event, a month and a year alone, or an impossible
date stays."""

from __future__ import annotations

import pytest

from nlp.pii.dates import find_birth_dates


def _birth_dates(text: str) -> list[str]:
    return [text[match.start : match.end] for match in find_birth_dates(text)]


@pytest.mark.parametrize(
    ("text", "birth_date"),
    [
        # The birth marker after the date.
        ("Иванова Ольга, 14.03.1998 г.р., уроженка Омска.", "14.03.1998"),
        ("Петренко Марія, 05.11.2003 р.н., мешкає у Києві.", "05.11.2003"),
        ("진술인 김하나 (여, 1996. 4. 7.생)", "1996. 4. 7."),
        ("저는 2001년 12월 3일에 부산에서 태어났습니다.", "2001년 12월 3일"),
        # Cues and formats of further languages.
        ("Minora Andreea Pop (n. 09.10.2009, CNP ...)", "09.10.2009"),
        ("Разыскивается Сидоров Пётр, род. 30.06.1985.", "30.06.1985"),
        ("Потерпілий: Коваль Іван, д. н. 17.02.1990, мешканець Рівного.", "17.02.1990"),
        ("Yo naci el 4 de agosto de 2006 en Chiquimula.", "4 de agosto de 2006"),
        ("DOB as stated by client: 12/07/2004, age disputed.", "12/07/2004"),
        ("생년월일: 1988. 11. 2. | 국적: 필리핀", "1988. 11. 2."),
        ("Ipinanganak siya noong ika-12 ng Hunyo 2001 sa Leyte.", "ika-12 ng Hunyo 2001"),
        ("Dat nesans li se 14 desanm 1999.", "14 desanm 1999"),
        ("जन्म मिति २०५६ साल फागुन ३ गते, ठेगाना", "२०५६ साल फागुन ३ गते"),
        ("म वि.सं. २०६० साल चैत बाह्र गते धादिङमा जन्मिएँ।", "वि.सं. २०६० साल चैत बाह्र गते"),
        # Chinese and Korean numerals.
        ("我叫陈丽，二〇〇一年五月十八日出生在广西。", "二〇〇一年五月十八日"),
        ("천구백구십팔년 삼월 이일에 서울에서 태어났습니다.", "천구백구십팔년 삼월 이일"),
    ],
)
def test_birth_dates_in_national_forms(text: str, birth_date: str) -> None:
    assert birth_date in _birth_dates(text)


@pytest.mark.parametrize(
    ("text", "birth_date"),
    [
        ("I was born on the third of March, 1992, in a village near Tegucigalpa.", "third of March, 1992"),
        ("Nací el veinte de enero de mil novecientos noventa y siete en Comayagua.",
         "veinte de enero de mil novecientos noventa y siete"),
        ("Je suis née le douze mai deux mille trois à Abidjan.", "douze mai deux mille trois"),
        ("Nasci no dia dois de julho de mil novecentos e noventa, em Belém.",
         "dois de julho de mil novecentos e noventa"),
        ("M-am născut pe cinci iunie o mie nouă sute optzeci și opt, în Bacău.",
         "cinci iunie o mie nouă sute optzeci și opt"),
        ("Mwen fèt douz out demil nan Okap.", "douz out demil"),
        ("Tôi sinh ngày hai mươi tháng ba năm một nghìn chín trăm chín mươi, ở Huế.",
         "hai mươi tháng ba năm một nghìn chín trăm chín mươi"),
        ("Я родился пятого мая тысяча девятьсот восемьдесят девятого года в Оше.",
         "пятого мая тысяча девятьсот восемьдесят девятого года"),
        ("ولدت في الخامس من مارس عام ألف وتسعمائة وتسعين في حلب.",
         "الخامس من مارس عام ألف وتسعمائة وتسعين"),
    ],
)
def test_birth_dates_spoken_in_words(text: str, birth_date: str) -> None:
    assert birth_date in _birth_dates(text)


@pytest.mark.parametrize(
    "text",
    [
        "Nació en marzo de 2001 en Lima.",  # a month and a year: not an exact date of birth
        "She was born and raised in Chiapas, on a farm with three brothers.",
        "born on 31 de junio de 1990",  # no such day
        "Приехала в Москву 14.03.2019, работала на складе.",
        "2019년 3월 5일에 서울에 왔습니다.",
        "Llegó el tres de mayo de dos mil veinte a Madrid.",  # an event, not a birth
    ],
)
def test_dates_that_are_not_of_birth(text: str) -> None:
    assert _birth_dates(text) == []
