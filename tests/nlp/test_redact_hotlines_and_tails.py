"""Tests for public hotline numbers (kept, whoever reads them as a phone or an identifier), for the
flat, floor and room details after an address in more national forms, for the details the
learned tagger's addresses now take (the same tails and heads as the rules' addresses, and the
parts of one address the tagger read as two), for institutions of other languages, for whole
birth dates (a tagged part of a date takes the rest; calendar markers; romanised birth cues), for
whole numbers, and for Vietnamese middle names between two removed parts of a name."""

from __future__ import annotations

import pytest

from nlp.pii.address_tails import address_head_start, address_tail_end
from nlp.pii.addresses import find_addresses
from nlp.pii.common import TIER_MODEL, PatternMatch
from nlp.pii.contacts import is_public_number, public_numbers
from nlp.pii.dates import date_around, find_birth_dates
from nlp.redact import (
    Redactor,
    _Context,
    _joined_addresses,
    _joined_names,
    _tagged_address_end,
    _whole_number,
)
from tests.nlp.conftest import assert_redacted

# ---- Public hotlines ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "number",
    [
        "1-888-373-7888",  # the US trafficking hotline
        "(800) 799-7233",
        "0800 800 678",  # Romania's green line
        "0 800 05 95 95",  # a French numéro vert
        "8-800-333-00-16",  # Russia
        "116 006",  # the European victims' line
        "116000",
        "1577-1366",  # a Korean service number
        "1800-1888-1553",  # the Philippines
        "900 10 50 90",  # Spain
        "400-890-1234",  # a Chinese service number
        "१६६०-०१-७८९०१",  # Nepal, in Devanagari digits
    ],
)
def test_public_numbers_are_recognised(number: str) -> None:
    assert is_public_number(number)


@pytest.mark.parametrize(
    "number",
    [
        "713-555-0164",  # a Houston mobile
        "(239) 555-0162",
        "+40 721 555 123",  # a Romanian mobile
        "010-5555-1234",  # a Korean mobile
        "0803 555 1234",  # a Nigerian mobile
        "98 4155 5123",  # a Nepali mobile
        "+63 917 555 0192",  # a Philippine mobile
        "0912 555 347",  # a Vietnamese mobile
        "06 12 34 56 78",  # a French mobile
    ],
)
def test_personal_numbers_are_not_public(number: str) -> None:
    assert not is_public_number(number)


def test_public_numbers_are_found_in_text() -> None:
    text = "Llamó al 1-888-373-7888 y luego a su tía al 713-555-0164."
    assert [text[start:end] for start, end in public_numbers(text)] == ["1-888-373-7888"]


@pytest.mark.parametrize(
    ("text", "removed", "kept"),
    [
        ("The advocate called 1-888-373-7888; client's cell is 713-555-0164.",
         ["713-555-0164"], ["1-888-373-7888"]),
        ("Am sunat la 0800 800 678, iar mama ei are numărul 0744 555 219.",
         ["0744 555 219"], ["0800 800 678"]),
        ("O número da APAV é 116 006. O da Joana é 912 555 804.", ["912 555 804"], ["116 006"]),
        ("다누리콜센터 1577-1366에 연락했고 언니 번호는 010-5555-1234입니다.",
         ["010-5555-1234"], ["1577-1366"]),
    ],
)
def test_hotlines_stay_and_personal_numbers_go(redactor: Redactor, text: str, removed: list[str],
                                               kept: list[str]) -> None:
    # With the tagger too: it read some hotlines as identifiers before this rule.
    assert_redacted(redactor, text, removed, kept)


# ---- Tails in more forms ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "address_end", "tail"),
    [
        ("14 rue de la Grotte, 3e étage, ch. 9. Une collègue", "14 rue de la Grotte",
         "14 rue de la Grotte, 3e étage, ch. 9"),
        ("logés bd National 132, 4e, appart du fond / - Tonton", "bd National 132",
         "bd National 132, 4e, appart du fond"),
        ("Un hotel mic, Mallinckrodtstraße 146, camera 21. Operator", "Mallinckrodtstraße 146",
         "Mallinckrodtstraße 146, camera 21"),
        ("Șos. Colentina nr. 64, bl. 9, sc. C, subsol, sector 2", "Șos. Colentina nr. 64",
         "Șos. Colentina nr. 64, bl. 9, sc. C, subsol"),
        ("adres ul. Grunwaldzka 58, m. 3. Paweł", "ul. Grunwaldzka 58", "ul. Grunwaldzka 58, m. 3"),
        ("nan Ri Kapwa, #112, dezyèm etaj, ak yon nonm", "Ri Kapwa, #112",
         "Ri Kapwa, #112, dezyèm etaj"),
        ("Rua Coimbra, 312, casa 2 (fundos), Brás", "Rua Coimbra, 312", "Rua Coimbra, 312, casa 2 (fundos)"),
        ("HaTa'asiya St 12, контейнер Б. Абонент", "HaTa'asiya St 12", "HaTa'asiya St 12, контейнер Б"),
        ("на Уральской ул., д. 6, кв. 14.", "Уральской ул.", "Уральской ул., д. 6, кв. 14"),
        ("mkr. Aksai-4, dom 37, kv. 12. Mozhet", "mkr. Aksai-4", "mkr. Aksai-4, dom 37, kv. 12"),
        ("宿舍：康乐南路38号之二302房，一起的", "康乐南路38号", "康乐南路38号之二302房"),
        ("Italian Village 2, villa 418, Erbil", "Italian Village 2", "Italian Village 2, villa 418"),
        # Numbered pieces parted only by a comma, in any words; parts of a house named in words.
        ("4a calle 12-45, zona 3, segundo nivel, Quetzaltenango", "4a calle 12-45",
         "4a calle 12-45, zona 3, segundo nivel"),
        ("Blk 4, St 120, H 7 and in Arabic", "Blk 4, St 120", "Blk 4, St 120, H 7"),
        ("Fatih Mah., 1024. Sk. No:7, depo 2. Під час", "Fatih Mah., 1024. Sk. No:7",
         "Fatih Mah., 1024. Sk. No:7, depo 2"),
        ("Hermannstraße 214, Seitenflügel, 3. OG links у районі", "Hermannstraße 214",
         "Hermannstraße 214, Seitenflügel, 3. OG links"),
        ("Terrada 1680, planta alta, fondo, del barrio", "Terrada 1680", "Terrada 1680, planta alta, fondo"),
        # A number alone after an address may be the next item of a list of hotlines.
        ("Công an Lào Cai, 111, Vân Nam", "Công an Lào Cai", "Công an Lào Cai"),
        ("ул. Родионова, д. 190, цокольный этаж. Организатор", "ул. Родионова, д. 190",
         "ул. Родионова, д. 190, цокольный этаж"),
        ("contrada Bosco Piano, SP 17 km 4, serra n. 9. Primesc", "contrada Bosco Piano, SP 17 km 4",
         "contrada Bosco Piano, SP 17 km 4, serra n. 9"),
        # The room or the house at the back, in more languages (session 15).
        ("with a cousin at 1520 Grove Ave, 2nd floor back. She", "1520 Grove Ave",
         "1520 Grove Ave, 2nd floor back"),
        ("vive en Calle Sauce 88, la pieza de atrás, con dos", "Calle Sauce 88",
         "Calle Sauce 88, la pieza de atrás"),
        ("li dòmi Ri Lamatinyè 14, kay dèyè a, ak twa", "Ri Lamatinyè 14", "Ri Lamatinyè 14, kay dèyè a"),
        ("住在幸福路17号后面的小屋，老板", "幸福路17号", "幸福路17号后面的小屋"),
        ("सडक १४, क्याम्प नं. ३, पछाडिको कोठा मा", "सडक १४", "सडक १४, क्याम्प नं. ३, पछाडिको कोठा"),
    ],
)
def test_more_address_tails(text: str, address_end: str, tail: str) -> None:
    start = text.index(address_end)
    assert text[start : address_tail_end(text, start + len(address_end))] == tail


@pytest.mark.parametrize(
    ("text", "address_end"),
    [
        # The district after a Paris address is no floor; nor is a city after a comma.
        ("5 rue Oberkampf, 11e arrondissement, Paris", "5 rue Oberkampf"),
        ("Strada Lalelelor 4, Cluj-Napoca", "Strada Lalelelor 4"),
        ("rua Direita, 40, Centro", "rua Direita, 40"),
        # A numbered piece that is a date, a year, an age, a phone or a part of the city stays.
        ("Calle Olmo 14, 2019, con sus hijos", "Calle Olmo 14"),
        ("Calle Olmo 14, 12 de mayo, con sus hijos", "Calle Olmo 14"),
        ("Calle Olmo 14, 27 años, con sus hijos", "Calle Olmo 14"),
        ("Calle Olmo 14, en 2 días, con sus hijos", "Calle Olmo 14"),
        ("Strada Lalelelor 4, sector 3, București", "Strada Lalelelor 4"),
        ("Ghantaghar road 4, ward 9, Birgunj", "Ghantaghar road 4"),
        # "front" or "back" runs on into a phrase of its own: not a part of the house.
        ("12 Oak St, front desk staff saw her", "12 Oak St"),
        ("12 Oak St, back home in Manila", "12 Oak St"),
    ],
)
def test_what_is_no_tail(text: str, address_end: str) -> None:
    assert address_tail_end(text, len(address_end)) == len(address_end)


@pytest.mark.parametrize(
    ("text", "address", "head"),
    [
        ("en el km 9, manzana 12, lote 4", "manzana 12, lote 4", "km 9, manzana 12, lote 4"),
        ("ठेगाना ब्लक ४, स्ट्रिट १२०, घर नं. ७", "घर नं. ७", "ब्लक ४, स्ट्रिट १२०, घर नं. ७"),
        ("في جليب الشيوخ، قطعة 4، شارع 120، منزل 9", "شارع 120، منزل 9", "قطعة 4، شارع 120، منزل 9"),
        ("nakatira sa Km. 7, Purok Maharlika", "Purok Maharlika", "Km. 7, Purok Maharlika"),
    ],
)
def test_numbered_pieces_before_an_address(text: str, address: str, head: str) -> None:
    start = text.index(address)
    assert text[address_head_start(text, start) : start + len(address)] == head


@pytest.mark.parametrize(
    ("text", "address"),
    [
        # A longer piece before the comma begins with the sentence's words; a year or an age stays.
        ("Su madre vive en Puebla, en Río Nazas 318", "Río Nazas 318"),
        ("Llegó en 2019, Calle Olmo 14", "Calle Olmo 14"),
        ("María, 27 años, Calle Olmo 14", "Calle Olmo 14"),
        # A named area with a number is a part of town, as a district is.
        ("Хамад аль-Кетбі, Аль-Барша 1, вулиця 23, вілла 14", "вулиця 23, вілла 14"),
        ("Al Barsha 1, Street 23, Villa 14", "Street 23, Villa 14"),
    ],
)
def test_what_is_no_head(text: str, address: str) -> None:
    start = text.index(address)
    assert address_head_start(text, start) == start


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("Lives at 550 Grand Concourse, Apt 6F, Bronx.", "550 Grand Concourse, Apt 6F"),
        ("moram num galpão na R. Tefé, 1840, fundos, em Manaus", "R. Tefé, 1840, fundos"),
    ],
)
def test_more_street_forms(text: str, address: str) -> None:
    assert address in [text[match.start : match.end] for match in find_addresses(text)]


# ---- The tagger's addresses ---------------------------------------------------------------------


def test_a_tagged_address_takes_its_tail_even_when_it_stops_inside_it() -> None:
    text = "в их кафе на Уральской ул., д. 6. Бахтиёр"
    start = text.index("Уральской")
    # The tagger stopped after "д", before the full stop and the house number.
    end = text.index("д. 6") + 1
    assert text[start : _tagged_address_end(text, start, end)] == "Уральской ул., д. 6"
    # Where nothing follows, the span is left as it was.
    plain = "She stayed on Oak Lane near the school."
    assert _tagged_address_end(plain, plain.index("Oak"), plain.index(" near")) == plain.index(" near")


def test_parts_of_one_tagged_address_are_joined_across_a_comma_only() -> None:
    text = "в их кафе на Уральской ул., д. 6. Бахтиёр"
    first = (text.index("Уральской"), text.index(" ул."), "ADDRESS")
    second = (text.index(" ул.") + 1, text.index(" 6") + 2, "ADDRESS")
    assert [text[start:end] for start, end, _ in _joined_addresses(text, [second, first])] == [
        "Уральской ул., д. 6"]
    # Two addresses with words between them stay two; a name beside an address stays a name.
    two = "Vivía en Calle 5 #12 y después en Carrera 9 #40."
    spans = [(two.index("Calle"), two.index(" y"), "ADDRESS"),
             (two.index("Carrera"), len(two) - 1, "ADDRESS")]
    assert _joined_addresses(two, spans) == spans
    person = [(0, 4, "PERSON"), (6, 12, "ADDRESS")]
    assert _joined_addresses("Rosa, Calle", person) == person


def test_a_word_taken_as_a_name_leaves_the_placeholders_alone(redactor: Redactor) -> None:
    # Found by the property test: "DOB" taken as a name on a second look reached into "[DOB 1]".
    text = "001» DOB [DOB 1] [DOB 2] [DOB]"
    context = _Context(text, redactor.pipeline.make_doc(text), frozenset())
    found = redactor._repeated_mentions(text, [(5, 8, TIER_MODEL)], context)
    assert [text[start:end] for start, end, _ in found] == ["DOB"]
    again = redactor.redact("001» DOB [DOB 1] [DOB 2]").text
    assert "[DOB 1]" in again and "[DOB 2]" in again, again


@pytest.mark.parametrize(
    ("text", "removed", "kept"),
    [
        ("Bholi Baideshik Rojgar Bibhag ma ujuri dinchhu, Nepal Rajdutabas Doha lai pani email "
         "garchhu. Sunita Tamang ko lagi.", ["Sunita Tamang"], ["Nepal Rajdutabas Doha"]),
        ("Swivi medikal nan Lopital Jistinyen pou Roselaure Dorvil.", ["Roselaure Dorvil"],
         ["Lopital Jistinyen"]),
        ("Llamamos también a la Fundación Renacer por Yuliana Ospina.", ["Yuliana Ospina"],
         ["Fundación Renacer"]),
        ("Zavtra pidu v Konsulstvo Ukrainy v Poznani z Oksanoju Melnyk.", ["Oksanoju Melnyk"],
         ["Konsulstvo Ukrainy"]),
    ],
)
def test_institutions_of_other_languages_are_no_names(redactor: Redactor, text: str,
                                                      removed: list[str], kept: list[str]) -> None:
    # The rules took each of these institutions for a person before their head words were listed.
    assert_redacted(redactor, text, removed, kept)


# ---- Whole birth dates ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "part", "whole"),
    [
        ("Wendy Tatiana Mora | colombiana | 7 nov. 1999 | PPT", "1999", "7 nov. 1999"),
        ("acta nac. dice 11 de sept. 1995; CURP no sabe", "de sept. 1995", "11 de sept. 1995"),
        ("sinh ngày 02 tháng 9 năm 2005, CCCD", "02 tháng 9 năm 2005", "ngày 02 tháng 9 năm 2005"),
        ("| 음력 1997년 9월 9일 | 베트남", "1997년 9월 9일", "음력 1997년 9월 9일"),
        ("Пономаренко Катерина | 3 травня 2005 | ID", "2005", "3 травня 2005"),
        # No date reaches over the part: it is left as it was.
        ("He was 19 and worked in 2019 at the farm.", "19", "19"),
    ],
)
def test_a_tagged_birth_date_takes_the_whole_date(text: str, part: str, whole: str) -> None:
    start = text.index(part)
    found = date_around(text, start, start + len(part))
    assert text[found[0] : found[1]] == whole


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Mero chhora ko janma 2051 Chaitra 8 ho, 29 barsa pugyo", "2051 Chaitra 8"),
        ("Asha ko janma miti 2061/02/28 ho.", "2061/02/28"),
        ("ana mawloud 1 Ramadan 1419, w el jawaz beta3i", "1 Ramadan 1419"),
        ("Birth cert ni Tala: Marso 14, 2015. Nasa akin yung kopya", "Marso 14, 2015"),
    ],
)
def test_romanised_birth_cues(text: str, date: str) -> None:
    assert [text[match.start : match.end] for match in find_birth_dates(text)] == [date]


@pytest.mark.parametrize(
    ("text", "part", "whole"),
    [
        ("号码0471-6290385，她说是她母亲。", "0471-6290", "0471-6290385"),
        ("她的护照号E12345678在办公室里", "12345678", "E12345678"),
        ("Tel. 555-0142. Call after six.", "555-01", "555-0142"),
        ("A-number A 219 604 381 here", "219 604", "219 604"),  # spaces are the tagger's to read
    ],
)
def test_a_tagged_number_takes_the_rest_of_its_run(text: str, part: str, whole: str) -> None:
    start = text.index(part)
    found = _whole_number(text, start, start + len(part))
    assert text[found[0] : found[1]] == whole


# ---- Calendar markers, month-day birthdays, Vietnamese middle names, Devanagari Gulf addresses --


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("जन्म मिति: वि.सं. २०५८/०३/१७     उमेर: २३ वर्ष", "वि.सं. २०५८/०३/१७"),
        ("알았어. 너 생일 11월 3일 맞지? 경찰이 물어볼 수도 있어", "11월 3일"),
        ("生日是3月16号，她说的。", "3月16号"),
    ],
)
def test_birth_dates_with_a_calendar_marker_or_without_a_year(text: str, date: str) -> None:
    assert [text[match.start : match.end] for match in find_birth_dates(text)] == [date]


def test_a_month_and_day_alone_is_no_birth_date_without_a_cue() -> None:
    assert list(find_birth_dates("회의는 11월 3일에 있습니다.")) == []


def test_a_calendar_marker_goes_with_the_date(redactor: Redactor) -> None:
    assert_redacted(redactor, "생일은 음력 3월 16일인데 서류에는 양력 4월 11일로 되어 있습니다.",
                    ["음력", "3월 16일", "4월 11일"], ["서류"])


def test_a_vietnamese_middle_name_between_two_removed_parts_goes() -> None:
    text = "2호 — 쩐 티 흐엉 (베트남)"
    first = PatternMatch("PERSON", text.index("쩐"), text.index("쩐") + 1, 0)
    last = PatternMatch("PERSON", text.index("흐엉"), text.index("흐엉") + 2, 0)
    joined = _joined_names(text, [last, first])
    assert [text[match.start : match.end] for match in joined] == ["쩐 티 흐엉"]
    # Only a middle name joins: two names with a word between them stay two.
    other = "Rosa y Carmen"
    names = [PatternMatch("PERSON", 0, 4, 0), PatternMatch("PERSON", 7, 13, 0)]
    assert _joined_names(other, names) == names


def test_gulf_addresses_written_in_devanagari_take_their_tails() -> None:
    text = "मालिकको घर ब्लक ३, सडक १४, घर नं. २२, जाब्रियामा थियो।"
    start = text.index("ब्लक")
    assert text[start : address_tail_end(text, start + len("ब्लक ३"))] == "ब्लक ३, सडक १४, घर नं. २२"


# ---- Places the tagger takes for names ------------------------------------------------------------


@pytest.mark.parametrize(
    "place", ["Tijuana", "Meksik", "Repiblik Dominikèn", "Trung Quốc", "Ả Rập Xê Út", "Мексика"]
)
def test_listed_places_and_countries_in_every_language_are_places(place: str) -> None:
    from nlp.redact import _is_listed_place

    assert _is_listed_place(place)


# A short one-word country name is too often someone's name: "Sebi" (Serbia in Haitian Creole),
# "Syed", "Nhật".
@pytest.mark.parametrize("name", ["Jordan", "Victoria", "Maricel", "Thào Thị Dính", "Sebi", "Syed", "Nhật"])
def test_given_names_are_not_listed_places(name: str) -> None:
    from nlp.redact import _is_listed_place

    assert not _is_listed_place(name)


def test_a_country_the_tagger_calls_a_name_stays(redactor: Redactor) -> None:
    assert_redacted(
        redactor,
        "Ti Sò: Tijuana toujou, Meksik. m ap tann randevou CBP One. Nonm nan, Dukens, di l ap tann.",
        removed=["Dukens"], kept=["Tijuana", "Meksik"],
    )


def test_a_city_heading_a_tagged_address_stays() -> None:
    from nlp.redact import _after_leading_city

    text = "تسكن في عمّان، شارع الجامعة، عمارة ٣٢، شقة ٥."
    start = text.index("عمّان")
    assert text[_after_leading_city(text, start, len(text) - 1):].startswith("شارع الجامعة")
    text = "She lives at 14 Oak Street, Apt 3."
    assert _after_leading_city(text, text.index("14"), len(text) - 1) == text.index("14")
