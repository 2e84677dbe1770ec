"""Finding deadlines: each date form in each language, what is not a deadline, offsets, urgency."""

from __future__ import annotations

import ast
import datetime
from pathlib import Path

import pytest

from nlp.deadlines import Deadline, find_deadlines, is_urgent

POSTED = datetime.date(2026, 3, 10)  # a Tuesday
ROOT = Path(__file__).resolve().parents[2]
DEV_SET = ROOT / "training" / "data" / "deadlines" / "deadlines_dev.jsonl"


def _dates(text: str, language: str | None, posted: datetime.date = POSTED) -> list[str]:
    return [deadline.date.isoformat() for deadline in find_deadlines(text, posted, language)]


RESOLUTIONS = [
    # ISO and numeric dates: month first in English, day first elsewhere.
    ("en", "Her removal hearing is on 2027-03-17.", "2027-03-17", "hearing"),
    ("en", "The court date is 03/17/2027.", "2027-03-17", "court_date"),
    ("en", "The court date is 3/17.", "2026-03-17", "court_date"),
    ("en", "Her asylum interview is March 3rd, 2027.", "2027-03-03", "appointment"),
    ("en", "The trial starts on 3 April.", "2026-04-03", "court_date"),
    ("en", "The response to the RFE is due Apr. 20.", "2026-04-20", "filing_window"),
    ("en", "Her immigration interview is next Tuesday.", "2026-03-17", "appointment"),
    ("en", "She has court on Friday.", "2026-03-13", "court_date"),
    ("en", "Her hearing is tomorrow.", "2026-03-11", "hearing"),
    ("en", "She must file the appeal within 30 days.", "2026-04-09", "filing_window"),
    ("en", "The eviction hearing is in two weeks.", "2026-03-24", "hearing"),
    ("en", "Her check-in appointment is next week.", "2026-03-17", "appointment"),
    ("en", "She has to respond within twenty-one days.", "2026-03-31", "filing_window"),
    ("es", "La audiencia es el 17/03/2027.", "2027-03-17", "hearing"),
    ("es", "El juicio es el 17-03-2027.", "2027-03-17", "court_date"),
    ("es", "Tiene cita el 5/4.", "2026-04-05", "appointment"),
    ("es", "La audiencia es el 3 de marzo de 2027.", "2027-03-03", "hearing"),
    ("es", "Tiene audiencia el 14 de abril.", "2026-04-14", "hearing"),
    ("es", "Tiene audiencia el próximo martes.", "2026-03-17", "hearing"),
    ("es", "La cita con la abogada es este viernes.", "2026-03-13", "appointment"),
    ("es", "Mañana tiene cita en el consulado.", "2026-03-11", "appointment"),
    ("es", "Debe presentar la apelación dentro de 10 días.", "2026-03-20", "filing_window"),
    ("es", "El juicio será en dos semanas.", "2026-03-24", "court_date"),
    ("es", "La entrevista es la semana que viene.", "2026-03-17", "appointment"),
    ("es", "El plazo para responder vence en quince días.", "2026-03-25", "filing_window"),
    ("fr", "L'audience est fixée au 17.03.2027.", "2027-03-17", "hearing"),
    ("fr", "Elle a une convocation à la préfecture le 1er avril.", "2026-04-01", "appointment"),
    ("fr", "Elle passe devant le tribunal le 3 mars 2027.", "2027-03-03", "court_date"),
    ("fr", "L'audience aura lieu mardi prochain.", "2026-03-17", "hearing"),
    ("fr", "Elle a un rendez-vous ce vendredi.", "2026-03-13", "appointment"),
    ("fr", "Elle a rendez-vous demain avec l'avocate.", "2026-03-11", "appointment"),
    ("fr", "Elle doit déposer son recours d'ici 15 jours.", "2026-03-25", "filing_window"),
    ("fr", "Le délai expire dans deux semaines.", "2026-03-24", "filing_window"),
    ("fr", "Elle doit répondre à la convocation sous 30 jours.", "2026-04-09", "appointment"),
    ("fr", "L'entretien est la semaine prochaine.", "2026-03-17", "appointment"),
    ("pt", "A audiência está marcada para 23/03/2027.", "2027-03-23", "hearing"),
    ("pt", "O julgamento será no dia 3 de março.", "2027-03-03", "court_date"),
    ("pt", "A audiência será na próxima terça-feira.", "2026-03-17", "hearing"),
    ("pt", "Ela tem consulta nesta sexta.", "2026-03-13", "appointment"),
    ("pt", "Tem entrevista amanhã.", "2026-03-11", "appointment"),
    ("pt", "O prazo para recorrer vence em 30 dias.", "2026-04-09", "filing_window"),
    ("pt", "Ela precisa comparecer à audiência dentro de duas semanas.", "2026-03-24", "hearing"),
    ("pt", "A entrevista é na próxima semana.", "2026-03-17", "appointment"),
]


@pytest.mark.parametrize(("language", "text", "expected", "kind"), RESOLUTIONS)
def test_each_expression_form_resolves_against_the_posting_date(
    language: str, text: str, expected: str, kind: str
) -> None:
    deadlines = find_deadlines(text, POSTED, language)
    assert [(deadline.date.isoformat(), deadline.kind) for deadline in deadlines] == [(expected, kind)]


@pytest.mark.parametrize(("language", "text", "expected", "kind"), RESOLUTIONS)
def test_the_language_is_detected_when_not_given(language: str, text: str, expected: str, kind: str) -> None:
    assert _dates(text, None) == [expected]


def test_numbers_that_cannot_be_day_first_are_read_month_first() -> None:
    assert _dates("La audiencia es el 03/17/2027.", "es") == ["2027-03-17"]
    assert _dates("The hearing is on 17/03/2027.", "en") == ["2027-03-17"]


@pytest.mark.parametrize(("language", "text"), [
    ("en", "She arrived on March 3 and escaped on 2025-10-01. She was convicted at trial on March 3."),
    ("en", "Her hearing was on March 3 and the judge closed the case."),
    ("es", "Llegó el 3 de marzo de 2025. La audiencia fue el 2 de marzo."),
    ("fr", "Elle est arrivée le 3 mars 2025. Le jugement a été rendu le 2 mars."),
    ("pt", "Ela fugiu no dia 3 de março. Ele foi condenado no julgamento de 5 de março."),
])
def test_dates_in_the_past_are_dropped(language: str, text: str) -> None:
    assert find_deadlines(text, POSTED, language) == []


@pytest.mark.parametrize(("language", "text"), [
    ("en", "She was born on [DATE OF BIRTH] and has a hearing on [DATE]."),
    ("es", "Nació el [DATE OF BIRTH]; la audiencia es el [DATE]."),
])
def test_placeholders_are_not_dates(language: str, text: str) -> None:
    assert find_deadlines(text, POSTED, language) == []


@pytest.mark.parametrize(("language", "text"), [
    ("en", "She worked in the court cafeteria for three years and in 2019 for 10 days."),
    ("es", "Trabajó durante tres años en la casa del juez."),
    ("fr", "Elle a travaillé pendant dix-huit mois sans salaire pour le juge."),
    ("pt", "Ela trabalhou por três anos na casa do juiz."),
    ("en", "DOB 04/12/2027, born in Honduras; no hearing yet."),
])
def test_durations_years_and_dates_of_birth_are_not_deadlines(language: str, text: str) -> None:
    assert find_deadlines(text, POSTED, language) == []


def test_mañana_as_morning_is_not_tomorrow() -> None:
    assert find_deadlines("Por la mañana trabaja cerca de la corte.", POSTED, "es") == []
    assert _dates("La audiencia es mañana por la mañana.", "es") == ["2026-03-11"]


def test_impossible_dates_are_skipped() -> None:
    text = "Hearing on 31/02/2027. Court on 2027-02-30. Interview on February 30."
    assert find_deadlines(text, POSTED, "en") == []
    assert find_deadlines("La audiencia es el 31/02/2027.", POSTED, "es") == []


def test_a_rescheduled_event_keeps_only_its_new_date() -> None:
    text = "The hearing on March 30 was postponed to May 5."
    assert _dates(text, "en") == ["2026-05-05"]


def test_a_span_counts_from_the_decision_it_names() -> None:
    text = "The T visa was denied on 3/1/2026; a motion must be filed within 30 days of the denial."
    assert _dates(text, "en") == ["2026-03-31"]


def test_offsets_point_at_the_sentence_that_states_the_date() -> None:
    text = "[NAME] arrived in 2019.  She has court on 2027-03-17!\nInterview: next Tuesday. Thanks."
    deadlines = find_deadlines(text, POSTED, "en")
    assert [deadline.sentence for deadline in deadlines] == ["Interview: next Tuesday.",
                                                             "She has court on 2027-03-17!"]
    for deadline in deadlines:
        assert text[deadline.start : deadline.end] == deadline.sentence
        assert deadline.expression in deadline.sentence


def test_results_are_earliest_first_and_one_per_event() -> None:
    text = "Trial on 2027-01-05. Hearing on 2026-04-01. Please be at the hearing on 2026-04-01 early."
    assert _dates(text, "en") == ["2026-04-01", "2027-01-05"]


@pytest.mark.parametrize("text", [
    "", "   ", "\x00\x01\x02 hearing \xff\ufffd 3/ /17 //", "9" * 10_000, "[" * 500 + "]" * 500,
    "99/99/9999 0/0 00.00.0000 2027-13-45 in 99999999 days",
])
def test_odd_input_gives_no_deadline_and_no_error(text: str) -> None:
    assert find_deadlines(text, POSTED) == []


def test_a_deadline_among_odd_characters_is_still_found() -> None:
    assert _dates("[" * 500 + " \x00 hearing 3/17 \ufffd", "en") == ["2026-03-17"]


def test_a_long_run_on_text_is_read_in_bounded_time() -> None:
    text = "She works nights and weekends. " * 20_000 + "Her hearing is on 2027-03-17."
    assert _dates(text, "en") == ["2027-03-17"]


def test_a_datetime_posting_time_is_accepted() -> None:
    posted = datetime.datetime(2026, 3, 10, 23, 59)
    assert _dates("Her hearing is tomorrow.", "en", posted) == ["2026-03-11"]


def _deadline(date: datetime.date) -> Deadline:
    return Deadline(date=date, start=0, end=1, sentence="x", kind="other", expression="x")


def test_is_urgent_at_the_fourteen_day_boundary() -> None:
    assert is_urgent([_deadline(POSTED + datetime.timedelta(days=14))], POSTED)
    assert not is_urgent([_deadline(POSTED + datetime.timedelta(days=15))], POSTED)
    assert is_urgent([_deadline(POSTED)], POSTED)
    assert not is_urgent([_deadline(POSTED - datetime.timedelta(days=1))], POSTED)
    assert not is_urgent([], POSTED)
    assert is_urgent([_deadline(POSTED + datetime.timedelta(days=20))], POSTED, days=30)


def test_is_urgent_from_text() -> None:
    soon = find_deadlines("Her hearing is next Tuesday.", POSTED, "en")
    later = find_deadlines("Her hearing is on 2026-06-01.", POSTED, "en")
    assert is_urgent(soon, POSTED)
    assert not is_urgent(later, POSTED)


def test_the_module_reads_no_environment_and_imports_nothing_above_nlp() -> None:
    tree = ast.parse((ROOT / "nlp" / "deadlines.py").read_text())
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module}
    assert not imported & {"api", "index", "training", "fastapi", "os", "dateparser"}
    assert "environ" not in (ROOT / "nlp" / "deadlines.py").read_text()


# Measured 1.000 (61/61) on 2026-12-06; the dev set was written alongside the rules, so this only
# guards against regressions: the blind figure is training/data/heldout's to tell.
DEV_SET_MINIMUM_F1 = 0.95


def test_the_development_set_scores_at_least_the_stated_f1() -> None:
    from training.evaluate_deadlines import evaluate_deadlines, load_rows

    rows = load_rows([DEV_SET])
    assert len(rows) == 60
    report = evaluate_deadlines(rows, find_deadlines)
    assert report["overall"]["f1"] >= DEV_SET_MINIMUM_F1
    for language in ("en", "es", "fr", "pt"):
        assert report["languages"][language]["f1"] >= DEV_SET_MINIMUM_F1 - 0.05
