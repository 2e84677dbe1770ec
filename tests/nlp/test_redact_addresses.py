"""Tests for street addresses in national formats, the flat and floor details after them, and the
villages and wards below a town: the whole address goes, the town, district and country after it
stay. Every sentence here is written for the test, in the language whose format it shows."""

from __future__ import annotations

import pytest

from nlp.pii.addresses import find_addresses
from nlp.redact import Redactor
from tests.nlp.conftest import assert_redacted as _check


def _addresses(text: str) -> list[str]:
    return [text[match.start : match.end] for match in find_addresses(text)]



@pytest.mark.parametrize(
    ("text", "address", "kept"),
    [
        # Street word, name, house number (Spanish, Portuguese, French/Belgian, Italian, Polish).
        ("Vivía con su tía en la Calle Real de Minas 214, 2.º izq., en Granada.",
         "Calle Real de Minas 214, 2.º izq.", "Granada"),
        ("Ela morava na Travessa do Carmo, 15, 1.º Esq., em Lisboa.", "Travessa do Carmo, 15, 1.º Esq.",
         "Lisboa"),
        ("Elle vivait Rue du Progrès 42, boîte 5, à Bruxelles.", "Rue du Progrès 42, boîte 5", "Bruxelles"),
        ("Abitavano in via Garibaldi 45, interno 3, a Napoli.", "via Garibaldi 45, interno 3", "Napoli"),
        ("Mieszkała przy ul. Słowackiego 12/4 w Krakowie.", "ul. Słowackiego 12/4", "Krakowie"),
        # Haitian Creole, Malay and Turkish street words.
        ("Li te rete Ri Lamarre #8, Jakmèl.", "Ri Lamarre #8", "Jakmèl"),
        ("Mereka tinggal di Lot 9, Jalan Mawar 4, Johor Bahru.", "Lot 9, Jalan Mawar 4", "Johor Bahru"),
        ("She slept at Gül Sokak No: 7, daire 3 in Istanbul.", "Gül Sokak No: 7, daire 3", "Istanbul"),
        # Name, then the street word, then the number (German, Dutch, English in South Africa).
        ("Lucrau pe Hauptstraße 17, lângă Stuttgart.", "Hauptstraße 17", "Stuttgart"),
        ("They were kept at Bree Street 88, flat 12, Cape Town.", "Bree Street 88, flat 12", "Cape Town"),
        # Number first: Quebec, France and the Philippines.
        ("Il dormait au 7, impasse des Mimosas, 3e étage, à Marseille.",
         "7, impasse des Mimosas, 3e étage", "Marseille"),
        ("Nakatira sila sa 55-A Int. 2, Kalye Sampaguita, Malabon.", "55-A Int. 2, Kalye Sampaguita",
         "Malabon"),
        # A Mexican street without a street word, known by its colonia.
        ("Su madre vive en Puebla, en Río Nazas 318, col. La Paz.", "Río Nazas 318, col. La Paz", "Puebla"),
        # A Japanese address in Latin letters.
        ("Chị ấy ở ký túc xá tại 3-7 Aoba-chō, thành phố Sendai.", "3-7 Aoba-chō", "Sendai"),
    ],
)
def test_street_addresses_in_latin_script(redactor: Redactor, text: str, address: str, kept: str) -> None:
    assert address in _addresses(text)
    _check(redactor, text, [address], [kept])


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("She lived at 12 Oak St, 3rd floor, rear unit.", "12 Oak St, 3rd floor, rear unit"),
        ("Nos quedábamos en Avenida Los Pinos 88, cuarto del fondo.",
         "Avenida Los Pinos 88, cuarto del fondo"),
        ("Mora na Rua Direita, 40, fundos.", "Rua Direita, 40, fundos"),
        ("Au 9 rue Victor Hugo, chambre 12.", "9 rue Victor Hugo, chambre 12"),
        ("Она жила на ул. Садовая, 5, кв. 17.", "ул. Садовая, 5, кв. 17"),
        ("住在人民路12号3栋2单元601室。", "人民路12号3栋2单元601室"),
        ("주소는 중앙로 45, 2층입니다.", "중앙로 45, 2층"),
    ],
)
def test_flat_floor_and_room_go_with_the_address(text: str, address: str) -> None:
    assert address in _addresses(text)


@pytest.mark.parametrize(
    ("text", "removed", "kept"),
    [
        ("Proveniente de la aldea Chuicacá, de Totonicapán.", ["aldea Chuicacá"], ["Totonicapán"]),
        ("Trabalhavam na Fazenda Santa Luzia, zona rural de Marabá.", ["Fazenda Santa Luzia"], ["Marabá"]),
        ("Locuia în satul Poiana Mare, nr. 56, comuna Vânători, județul Neamț.",
         ["satul Poiana Mare, nr. 56"], ["comuna Vânători", "județul Neamț"]),
        ("Nakatira siya sa Purok Maligaya, Brgy. San Jose, Tacloban City.",
         ["Purok Maligaya", "Brgy. San Jose"], ["Tacloban City"]),
        ("Li te grandi nan lokalite Bwa Chen, 4yèm seksyon, komin Leyogàn.",
         ["lokalite Bwa Chen, 4yèm seksyon"], ["komin Leyogàn"]),
        # The commune, ward or township above the village stays, as a town does.
        ("Em ở thôn Đông Hải, xã Quỳnh Lập, huyện Quỳnh Lưu, tỉnh Nghệ An.",
         ["thôn Đông Hải"], ["xã Quỳnh Lập", "huyện Quỳnh Lưu", "tỉnh Nghệ An"]),
        ("Chị quê ở xã Quảng Phú, huyện Quảng Xương.", [], ["xã Quảng Phú", "huyện Quảng Xương"]),
        ("Em thuê phòng trọ số 7, hẻm 281/15 Lê Văn Sỹ, phường 13, quận Phú Nhuận.",
         ["phòng trọ số 7, hẻm 281/15 Lê Văn Sỹ"], ["quận Phú Nhuận"]),
        ("她家住在湖南省邵阳市隆回县桃洪镇石门村五组，父母都在外打工。", ["石门村五组"],
         ["隆回县", "桃洪镇"]),
        ("그녀는 전남 해남군 송지면 산정리 112-3에서 일했습니다.", ["송지면 산정리 112-3"], ["해남군"]),
        ("Мати живе в с. Велика Михайлівка, Одеська обл.", ["с. Велика Михайлівка"], ["Одеська обл."]),
        ("उनी काठमाडौं महानगरपालिका, वडा नं. १०, बानेश्वर टोल, घर नं. १२ मा बस्छिन्।",
         ["वडा नं. १०", "बानेश्वर टोल", "घर नं. १२"], ["काठमाडौं महानगरपालिका"]),
        # A danda or a postposition ends the neighbourhood's word; a copula closes the ward's.
        ("घर रामग्राम नगरपालिका, वडा नं. ४, शिवनगर टोल। श्रीमान्", ["वडा नं. ४", "शिवनगर टोल"],
         ["रामग्राम नगरपालिका"]),
        ("उनी मेचीनगर नगरपालिका, वडा नं. ४, शिवनगर टोलमा बस्छिन्।", ["शिवनगर टोल"], ["मेचीनगर नगरपालिका"]),
        ("स्थायी घर वीरेन्द्रनगर नगरपालिका, वडा नं. ८, लाटीकोइली हो।", ["वडा नं. ८, लाटीकोइली"],
         ["वीरेन्द्रनगर नगरपालिका"]),
        ("كانت تعيش في قرية الجديدة قرب حمص.", ["قرية الجديدة"], ["حمص"]),
    ],
)
def test_villages_hamlets_and_wards(redactor: Redactor, text: str, removed: list[str],
                                    kept: list[str]) -> None:
    _check(redactor, text, removed, kept)


@pytest.mark.parametrize(
    ("text", "removed", "kept"),
    [
        ("Проживает по адресу: г. Самара, ул. Ленина, д. 22, кв. 41.", ["ул. Ленина, д. 22, кв. 41"],
         ["г. Самара"]),
        ("Живе у Львові, вул. Зелена, 14, кв. 3.", ["вул. Зелена, 14, кв. 3"], ["Львові"]),
        ("他住在上海市浦东新区张杨路1200号金桥花园5号楼302室。", ["张杨路1200号金桥花园5号楼302室"],
         ["浦东新区"]),
        ("피해자는 경기도 안산시 단원구 원곡로 45, 3층에 살았습니다.", ["원곡로 45, 3층"], ["단원구"]),
        ("Chị ấy sống ở số 45 ngõ 12 phố Hàng Bông, quận Hoàn Kiếm, Hà Nội.",
         ["số 45 ngõ 12 phố Hàng Bông"], ["quận Hoàn Kiếm", "Hà Nội"]),
        # The numbered room, trailer or container where she lived goes, alone too.
        ("Elle dormait dans la chambre 112 au-dessus du bar, à Lyon.", ["chambre 112"], ["Lyon"]),
        ("Vivia no contentor n.º 14 da obra em Setúbal.", ["contentor n.º 14"], ["Setúbal"]),
        ("Жил в вагончике № 7 на стройке в Казани.", ["вагончике № 7"], ["Казани"]),
        ("Dormíamos en la traila 4 del rancho cerca de Salinas.", ["traila 4"], ["Salinas"]),
        # A unit word before the number goes with it: a villa, a rented room, a block and lot.
        ("Chị bị nhốt ở biệt thự số 14, đường 23, Riyadh.", ["biệt thự số 14, đường 23"], ["Riyadh"]),
        ("Vive en Mz. B Lt. 14, colonia Las Flores, Tapachula.", ["Mz. B Lt. 14"], ["Tapachula"]),
        ("बस्ने ठाउँ: पोखरा, लेकसाइड मार्ग, घर नं. ८, दोस्रो तल्ला।", ["लेकसाइड मार्ग, घर नं. ८, दोस्रो तल्ला"],
         ["पोखरा"]),
        ("تسكن في عمّان، شارع الجامعة، عمارة ٣٢، شقة ٥.", ["شارع الجامعة، عمارة ٣٢، شقة ٥"], ["عمّان"]),
        ("يسكن في ٧ عطفة السقايين، الدور الرابع، في القاهرة.", ["٧ عطفة السقايين، الدور الرابع"],
         ["القاهرة"]),
    ],
)
def test_addresses_in_other_scripts(redactor: Redactor, text: str, removed: list[str],
                                    kept: list[str]) -> None:
    _check(redactor, text, removed, kept)


@pytest.mark.parametrize(
    "text",
    [
        "He sent the money via Western Union 3 times in May.",
        "The smuggler kept contact via WhatsApp 504 9555 1234.",
        "We took calle 8 to the market via Route 66 and paid 3 dollars.",
        "Vivían junto a la Estrada Nacional 120 en Odemira.",
        "Trabajó en un club de carretera en Lorca 2022-2023.",
        "Elle a été exploitée par un gang de rue de 17 à 22 ans.",
        "Client from Mobile AL. 63 y/o US citizen.",
        "Rua 25 de Março é uma rua de comércio em São Paulo.",
        "他在柬埔寨被强迫劳动。",
        "我跑过两次，都被村里人抓回来。",
        "연길에 도착하자마자 그 사람이 여권을 가져갔습니다.",
        "BIÊN BẢN GHI LỜI KHAI",
        "Vấn đề xã hội này rất nghiêm trọng.",
        "كان يعمل عن طريق وسيط في المدينة.",
    ],
)
def test_what_is_not_an_address(text: str) -> None:
    assert _addresses(text) == []


def test_districts_and_camps_named_alone_stay(redactor: Redactor) -> None:
    text = "Vive en Culiacán, Sinaloa; trabajó en el mercado de Tepito y en Delmas 33."
    result = redactor.redact(text).text
    assert "Culiacán" in result and "Tepito" in result and "Delmas 33" in result
    result = redactor.redact("تقيم في مخيم الزعتري منذ سنة ٢٠١٥.").text
    assert "مخيم الزعتري" in result
