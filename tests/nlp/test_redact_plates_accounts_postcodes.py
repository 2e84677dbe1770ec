"""Plates, bank accounts, case numbers and postcodes in the formats of the network's countries."""

from __future__ import annotations

import pytest

from nlp.redact import Redactor
from tests.nlp.conftest import assert_redacted


@pytest.mark.parametrize(("text", "removed", "kept"), [
    ("The van (reg KM21 XTD) was parked outside the car wash in Leeds.", ["KM21 XTD"], ["Leeds"]),
    ("Её возили на белой машине М245ОР 777 каждый день.", ["М245ОР 777"], ["каждый день"]),
    ("Бригадир їздив на білому бусі АА 7312 КР по Житомиру.", ["АА 7312 КР"], ["Житомиру"]),
    ("उसलाई गाडी नं. ग १ प ५५२१ मा राखेर भारत लगियो।", ["ग १ प ५५२१"], ["भारत"]),
    ("The wages went to an account in her name, GB29 NWBK 6016 1331 9268 19, opened by the agent.",
     ["GB29 NWBK 6016 1331 9268 19"], []),
    ("Contul RO49 AAAA 1B31 0075 9384 0000 a fost deschis pe numele ei.",
     ["RO49 AAAA 1B31 0075 9384 0000"], []),
    ("Материалы приобщены к делу № 2-418/2023 в Кировском суде.", ["2-418/2023"], ["Кировском"]),
    ("Її допитали у справі № 12023100040002117 як свідка.", ["12023100040002117"], []),
    ("وقد قيدت الدعوى المدنية برقم ٢٢٧ لسنة ٢٠٢٤ أمام محكمة الزرقاء.", ["٢٢٧ لسنة ٢٠٢٤"], ["محكمة الزرقاء"]),
    ("据受案回执，案号为东公（刑）受字〔2024〕0415号，由东莞市公安局办理。", ["东公（刑）受字〔2024〕0415号"],
     ["东莞市公安局"]),
    ("검찰은 2023형제40521호로 사건을 송치받았다.", ["2023형제40521호"], []),
    ("She now lives at 9 Tanner Row, Wakefield, WF1 3LP, with her cousin.", ["WF1 3LP"], ["Wakefield"]),
])
def test_national_formats_go(rules_redactor: Redactor, text: str, removed: list[str],
                             kept: list[str]) -> None:
    assert_redacted(rules_redactor, text, removed, kept)


@pytest.mark.parametrize("text", [
    "وتنطبق عليها أحكام القانون الاتحادي رقم ٥١ لسنة ٢٠٠٦ بشأن مكافحة الاتجار بالبشر.",
    "Protegida pelo artigo 149-A do Código Penal e pela Lei 13.344/2016.",
    "She filed Form I-914 in 2019 under 22 U.S.C. 7105; the hearing was on 3 March.",
])
def test_laws_forms_and_years_stay(rules_redactor: Redactor, text: str) -> None:
    assert rules_redactor.redact(text).text == text
