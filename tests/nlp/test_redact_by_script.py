"""Tests for the names read from each script's own signals (capitals, family names, particles,
markers): each rule removes a name no list holds, and keeps places, agencies and legal words."""

from __future__ import annotations

import pytest

from nlp.redact import Redactor
from tests.nlp.conftest import assert_redacted as _check


@pytest.mark.parametrize(
    ("text", "removed", "kept"),
    [
        # A capitalised word inside a sentence, and a run of capitals, is a name.
        ("Потом нас передали Гоше Пастухову в Бруклине.", ["Гоше Пастухову"], ["Бруклине", "Потом"]),
        # A sentence-opening surname is recognised from its ending.
        ("Фёдоров привёз нас в Лас-Вегас.", ["Фёдоров"], ["Лас-Вегас"]),
        # An ordinary opener before a full name is not part of it.
        ("Коллега Никифор Зуев готов дать показания в Министерство труда.", ["Никифор Зуев"],
         ["Коллега", "Министерство труда"]),
        # Ukrainian places in their case forms and agencies stay.
        ("Клієнтка з Житомира, Остапа Кравчука бачили у Харкові, скарга до Міністерства праці.",
         ["Остапа Кравчука"], ["Житомира", "Харкові", "Міністерства праці"]),
        # Initials go with the surname.
        ("Документы забрал А. П. Веретенников.", ["А. П. Веретенников"], []),
    ],
)
def test_cyrillic_capitalised_names(redactor: Redactor, rules_redactor: Redactor, text: str,
                                    removed: list[str], kept: list[str]) -> None:
    # The tagger takes a capitalised "Коллега" before a name along with it: its keep errors are
    # measured on the held-out sets; the rules' are checked here.
    _check(redactor, text, removed, [])
    _check(rules_redactor, text, removed, kept)


@pytest.mark.parametrize(
    ("text", "removed", "kept"),
    [
        # After a word that introduces a person, and as a subject before a verb.
        ("餐馆经理苏海涛每天逼她工作。她想申请U签证。", ["苏海涛"], ["U签证", "餐馆"]),
        ("何建平和他的表妹孔秋菊把她关起来。孔秋菊每天只给她一顿饭。", ["何建平", "孔秋菊"], []),
        # A bare family name with a term of address is removed with it.
        ("警察局的雷警官说我可以申请T签证。", ["雷警官"], ["警察局", "T签证"]),
        # Nicknames.
        ("小芳：姐，我到休斯顿了", ["小芳"], ["休斯顿"]),
        # Common words that open with a family-name character stay.
        ("周末我很高兴，马上去法院申请安全文件，关于金额和时间。",
         [], ["周末", "高兴", "马上", "法院", "申请", "安全", "文件", "关于", "金额", "时间"]),
    ],
)
def test_chinese_names_by_position(redactor: Redactor, text: str, removed: list[str],
                                   kept: list[str]) -> None:
    _check(redactor, text, removed, kept)


@pytest.mark.parametrize(
    ("text", "removed", "kept"),
    [
        # A family name and two syllables with a particle.
        ("브로커 윤태식이 여권을 빼앗았다. 동료 유선영과 도망쳤다.", ["윤태식", "유선영"], ["여권"]),
        # Any word before 씨 or 님, and a bare family name before a title.
        ("수빈 님한테 연락해. 황 사장이 소리 질렀어요.", ["수빈", "황 사장"], []),
        # Common words that begin with a family-name syllable stay.
        ("이번 이민국 인터뷰 이후 이혼 소송과 신분증 신청이 필요하다.", [],
         ["이번", "이민국", "이후", "이혼", "신분증", "신청"]),
    ],
)
def test_korean_names_by_word_shape(redactor: Redactor, text: str, removed: list[str],
                                    kept: list[str]) -> None:
    _check(redactor, text, removed, kept)


@pytest.mark.parametrize(
    ("text", "removed", "kept"),
    [
        # A listed given name takes the family name after it.
        ("لا تخبري خالد المصري أين أنا في شيكاغو.", ["خالد المصري"], ["شيكاغو"]),
        # Kunya and nasab markers.
        ("العميلة: أبو فيصل وشريكه كريم بن عاشور.", ["أبو فيصل", "كريم بن عاشور"], []),
        # Names after titles and naming cues, and the legal need stays.
        ("المدير المدعو طارق سليمان حجز أوراقه. تحتاج إلى تأشيرة U ووزارة العمل.",
         ["طارق سليمان"], ["تأشيرة U", "وزارة العمل"]),
    ],
)
def test_arabic_names(redactor: Redactor, text: str, removed: list[str], kept: list[str]) -> None:
    _check(redactor, text, removed, kept)


@pytest.mark.parametrize(
    ("text", "removed", "kept"),
    [
        # A word before a family or caste name, with a postposition left out.
        ("दलाल हरि बहादुर थापाले मलाई भारत पुर्‍यायो।", ["हरि बहादुर थापा"], ["भारत"]),
        # A name before a kin word of address, and after a title.
        ("दिनेश दाइले ल्याए। श्री दीपक राईसँग कुरा गरें।", ["दिनेश", "दीपक राई"], []),
        # An officer (अधिकारी after an ordinary word) is not a name.
        ("प्रहरी अधिकारीले उजुरी लिए। यू भिसा चाहिन्छ।", [], ["प्रहरी अधिकारी", "यू भिसा"]),
    ],
)
def test_nepali_names(redactor: Redactor, text: str, removed: list[str], kept: list[str]) -> None:
    _check(redactor, text, removed, kept)


@pytest.mark.parametrize(
    ("text", "removed", "kept"),
    [
        # A capitalised word inside a sentence that is no place or agency.
        ("Khi Khánh muốn bỏ đi, chúng tôi đã báo Công an.", ["Khánh"], ["Công an"]),
        # Provinces, cities and agencies stay.
        ("Chị ấy quê ở Nghệ An, làm ở Hải Phòng rồi Quảng Ninh, báo Tòa án và Đại sứ quán Việt Nam.",
         [], ["Nghệ An", "Hải Phòng", "Quảng Ninh", "Tòa án", "Đại sứ quán Việt Nam"]),
        # A lower-case word after a kin word is not a name.
        ("Em đến nhà tạm lánh ở Atlanta rồi.", [], ["đến", "Atlanta"]),
        ("Chào chị. Em tên Thoa, em đang ở Houston với bạn.", ["Thoa"], ["Houston"]),
    ],
)
def test_vietnamese_names(redactor: Redactor, text: str, removed: list[str], kept: list[str]) -> None:
    _check(redactor, text, removed, kept)


@pytest.mark.parametrize(
    ("text", "removed", "kept"),
    [
        ("Nu-i spune lui Petrică unde sunt în Chicago.", ["Petrică"], ["Chicago"]),
        ("Consilier: cum vă numiți?\nClientă: Sunt Loredana. La Madrid, la prietena mea Georgiana.",
         ["Loredana", "Georgiana"], ["Madrid"]),
    ],
)
def test_romanian_cues(redactor: Redactor, text: str, removed: list[str], kept: list[str]) -> None:
    _check(redactor, text, removed, kept)
