"""Tests for phones, e-mails, handles and case numbers written in Chinese, Korean and Arabic text,
where a letter of the script may stand right before or after them with no space."""

from __future__ import annotations

import pytest

from nlp.pii.common import EMAIL, HANDLE, ID, PHONE
from nlp.pii.structured import find_structured


def _found(text: str) -> list[tuple[str, str]]:
    return [(text[match.start : match.end], match.type) for match in find_structured(text)]


@pytest.mark.parametrize(
    ("text", "detail", "kind"),
    [
        ("他的手机139-0571-8826，晚上才开机。", "139-0571-8826", PHONE),
        ("연락은 항상 010-2234-9910으로 했어요.", "010-2234-9910", PHONE),
        ("이메일은 mina.kwon@example.org입니다.", "mina.kwon@example.org", EMAIL),
        ("中介的微信号：dong_ge_2020，一直在催钱。", "dong_ge_2020", HANDLE),
        ("카카오톡 ID: sunny_0412 로 연락했어요.", "sunny_0412", HANDLE),
        ("닉네임이 '부산오빠88'인 사람을 만났어요.", "부산오빠88", HANDLE),
        ("사건번호 2024고단3381로 재판 중입니다.", "2024고단3381", ID),
        ("案号(2024)粤03刑初512号正在审理。", "(2024)粤03刑初512号", ID),
        ("محضر رقم ٩٢١ لسنة ٢٠٢٤ إداري", "٩٢١ لسنة ٢٠٢٤", ID),
        ("سيارة بيضاء، لوحة رقم س ع ٧٣١٢.", "س ع ٧٣١٢", ID),
        ("رقم الهاتف: ٧٨ ٥٥٥ ٢١٠ للتواصل", "٧٨ ٥٥٥ ٢١٠", PHONE),
        ("Контакт в Instagram з акаунта olena.kyiv_22, пише щодня.", "olena.kyiv_22", HANDLE),
    ],
)
def test_details_written_against_other_scripts(text: str, detail: str, kind: str) -> None:
    assert (detail, kind) in _found(text)


def test_a_date_and_hour_is_not_a_phone() -> None:
    assert all(kind != PHONE for _, kind in _found("일시: 2024.06.03 21:40 / 언어: 베트남어"))
