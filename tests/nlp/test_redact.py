"""Tests for the redactor: what it removes, what it keeps, and the shape of its result."""

from __future__ import annotations

import re

import pytest

from nlp.redact import RedactedSpan, Redaction, Redactor
from nlp.spacy_model import load_pipeline


def removed(redaction: Redaction, original: str, secret: str) -> bool:
    """True when every occurrence of secret is gone from the redacted text."""
    assert secret in original, "test text must contain the secret"
    return secret not in redaction.text


def types_of(redaction: Redaction) -> set[str]:
    """The placeholder types used in a redaction."""
    return {entity.type for entity in redaction.entities}


@pytest.mark.parametrize(
    ("text", "secret", "kind"),
    [
        # Phones: US and international formats.
        ("Call her at (713) 555-0198 after five.", "(713) 555-0198", "PHONE"),
        ("Her cell is 404.555.0133, texts are better.", "404.555.0133", "PHONE"),
        ("Best number: 313 555 0177 or the office.", "313 555 0177", "PHONE"),
        ("Mother in Honduras: +504 9876-5432.", "+504 9876-5432", "PHONE"),
        ("Tel. 600 555 412, solo por la tarde.", "600 555 412", "PHONE"),
        ("Téléphone : 06 12 34 56 78.", "06 12 34 56 78", "PHONE"),
        ("WhatsApp +55 11 98765-4321 depois das 18h.", "+55 11 98765-4321", "PHONE"),
        ("Grandma has a landline, 555-0142, no area code.", "555-0142", "PHONE"),
        # E-mail, plain and obfuscated.
        ("Write to rosa.dc91@example.com please.", "rosa.dc91@example.com", "EMAIL"),
        ("Her address is rosa_dc [at] yahoo [dot] com now.", "rosa_dc [at] yahoo [dot] com", "EMAIL"),
        ("He posted ads from lina dot m dot 1999 at gmail dot com last year.",
         "lina dot m dot 1999 at gmail dot com", "EMAIL"),
        # Handles and messaging ids.
        ("He posted her on IG as @lilbaddie_404 every night.", "@lilbaddie_404", "HANDLE"),
        ("Payments went through Cash App $kingdarnell.", "$kingdarnell", "HANDLE"),
        ("They talked on snapchat (user: treyx.3k) for weeks.", "treyx.3k", "HANDLE"),
        ("Profile: facebook.com/maria.lopez.5521 is still up.", "facebook.com/maria.lopez.5521",
         "HANDLE"),
        # Addresses.
        ("She lived at 4512 Bissonnet St, Apt 12 until May.", "4512 Bissonnet St, Apt 12", "ADDRESS"),
        ("Mail goes to P.O. Box 4411 in town.", "P.O. Box 4411", "ADDRESS"),
        ("Vive en Calle Hidalgo 221, col. Centro, desde enero.", "Calle Hidalgo 221", "ADDRESS"),
        ("Elle habite au 45 rue Saint-Denis depuis mars.", "45 rue Saint-Denis", "ADDRESS"),
        ("Mora na Rua das Flores, 123, apto 4 com a tia.", "Rua das Flores, 123", "ADDRESS"),
        ("they stayed at 1180 e. 14th st. for a month", "1180 e. 14th st", "ADDRESS"),
        # Dates of birth, in several formats and languages.
        ("Client DOB 03/14/1991, arrived 2019.", "03/14/1991", "DOB"),
        ("She was born on March 3, 1990 in Puebla.", "March 3, 1990", "DOB"),
        ("Ella nació el 5 de mayo de 1988 en Guatemala.", "5 de mayo de 1988", "DOB"),
        ("Elle est née le 12 mars 1985 à Dakar.", "12 mars 1985", "DOB"),
        ("Data de nascimento: 02/07/1990.", "02/07/1990", "DOB"),
        # Identifiers.
        ("Her A-number is A-204-556-781.", "A-204-556-781", "ID"),
        ("A# 219 876 543 on the NTA.", "219 876 543", "ID"),
        ("Her SSN 123-45-6789 was used to open accounts.", "123-45-6789", "ID"),
        ("Receipt number EAC2190012345 for the I-914.", "EAC2190012345", "ID"),
        ("The trafficker kept her passport (No. G12345678).", "G12345678", "ID"),
        ("Case No. 2023-CR-004512 is pending.", "2023-CR-004512", "ID"),
        ("Docket 2:21-cv-00456 in federal court.", "2:21-cv-00456", "ID"),
        ("He drives a white van, plate number GHT-4521.", "GHT-4521", "ID"),
        ("NIE del cliente: X1234567L. Trabaja en Almería.", "X1234567L", "ID"),
        ("Processo n.º 456/GAF/2023 no tribunal.", "456/GAF/2023", "ID"),
    ],
)
def test_each_type_is_removed_in_several_formats(
    redactor: Redactor, text: str, secret: str, kind: str
) -> None:
    redaction = redactor.redact(text)
    assert removed(redaction, text, secret)
    covering = [e for e in redaction.entities if e.start <= text.index(secret) < e.end]
    assert covering and covering[0].type == kind


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("Houston. Client Maria Elena Guzman was brought from Honduras.", "Maria Elena Guzman"),
        ("Her trafficker, Jose Ramirez, kept her papers.", "Jose Ramirez"),
        ('The crew boss, known as "Chato", kept the money.', "Chato"),
        ("Client J.A. (17) was advertised online.", "J.A."),
        ("Ms. R. from the shelter will call back.", "R."),
        ("her husband carlos took her earnings", "carlos"),
        ("a man named kenny was with her at the motel", "kenny"),
        ("Name: Amara Okafor\nAge: 29", "Amara Okafor"),
        ("Thanks,\nKaren Whitfield, LMSW\nCase Manager", "Karen Whitfield"),
        ("State v. Barrios is set for trial in June.", "Barrios"),
        ("Client Kim Soo-jin (김수진), 44, Korean.", "김수진"),
    ],
)
def test_names_of_people_are_removed(redactor: Redactor, text: str, secret: str) -> None:
    redaction = redactor.redact(text)
    assert removed(redaction, text, secret)
    assert "PERSON" in types_of(redaction)


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("Su esposo Juan la obligaba a trabajar en una cantina.", "Juan"),
        ("La clienta dice que su patrón, el güero, no le pagaba.", "güero"),
        ('Lo conocen como "El Tigre" en el pueblo.', "Tigre"),
        ("Nombre: María Guadalupe Ramírez Soto\nEdad: 24", "María Guadalupe Ramírez Soto"),
        ("La Sra. López quiere la visa T.", "López"),
        ("su mamá, doña chela, vive en Puebla", "chela"),
        ("Son mari Pierre la frappait.", "Pierre"),
        ("Nom : Sophie Dubois. Elle a 30 ans.", "Sophie Dubois"),
        ("Mme Dubois habite à Lyon.", "Dubois"),
        ("elle s'appelle grace, elle a 19 ans", "grace"),
        ("O patrão, seu Antônio, ficou com o passaporte.", "Antônio"),
        ("Nome: João Carlos Silva. Idade: 29.", "João Carlos Silva"),
        ('o dono, um tal de "baiano", pegou o RG dela', "baiano"),
    ],
)
def test_spanish_french_and_portuguese_cues(redactor: Redactor, text: str, secret: str) -> None:
    redaction = redactor.redact(text)
    assert removed(redaction, text, secret)


KEEP_TEXT = (
    "Houston, TX. Honduran woman, 34, detained by ICE in 2022; USCIS has her T visa "
    "application (I-914) since March 3, 2024. Her convictions in Harris County need vacatur "
    "under CPL 440.10 and she may sue under TVPRA §1595 and PC 236.14. The DA and the DOL "
    "were told; CBP had her passport. She is 16 y/o in the police report, now 19. "
    "Family court hearing on 06/12/2025. Rent was $1,500/month."
)


@pytest.mark.parametrize(
    "kept",
    [
        "Houston", "TX", "Honduran", "34", "ICE", "2022", "USCIS", "T visa", "I-914",
        "March 3, 2024", "Harris County", "CPL 440.10", "§1595", "PC 236.14", "DA", "DOL",
        "CBP", "16 y/o", "19", "Family court", "06/12/2025", "$1,500",
    ],
)
def test_places_agencies_legal_terms_ages_and_event_dates_are_kept(
    redactor: Redactor, kept: str
) -> None:
    assert kept in redactor.redact(KEEP_TEXT).text


def test_keep_text_has_nothing_removed(redactor: Redactor) -> None:
    assert redactor.redact(KEEP_TEXT).entities == []


@pytest.mark.parametrize(
    "text",
    [
        "Bilbao. Mujer colombiana de 27 años; el juicio es en la Audiencia Provincial de Álava.",
        "Raleigh, Carolina del Norte. Trabajo forzado en construcción desde 2021.",
        "Québec (ville). Le procès aura lieu au palais de justice de Québec en mars.",
        "Newark. Homem brasileiro, 29 anos, de Minas Gerais, entrou pelo México em 2022.",
        "Fort Collins (Larimer County). The DA filed charges in September.",
    ],
)
def test_places_in_other_languages_are_kept(redactor: Redactor, text: str) -> None:
    redaction = redactor.redact(text)
    assert [e for e in redaction.entities if e.type == "PERSON"] == []


def test_same_person_gets_the_same_number(redactor: Redactor) -> None:
    text = (
        "Maria Lopez came with her cousin Ana Torres. Ana Torres left in May, "
        "but maria lopez stayed. Later Lopez moved to Dallas."
    )
    redaction = redactor.redact(text)
    persons = [e for e in redaction.entities if e.type == "PERSON"]
    by_text = {text[e.start : e.end]: e.placeholder for e in persons}
    assert by_text["Maria Lopez"] == "[PERSON 1]"
    assert by_text["Ana Torres"] == "[PERSON 2]"
    assert by_text["maria lopez"] == "[PERSON 1]"
    assert by_text["Lopez"] == "[PERSON 1]"
    assert "[PERSON 1] came with her cousin [PERSON 2]" in redaction.text


def test_numbers_restart_per_type_and_repeat_for_the_same_value(redactor: Redactor) -> None:
    text = "Call 713-555-0101 or 713-555-0102; if busy, (713) 555-0101 again. Email a@b.co."
    redaction = redactor.redact(text)
    placeholders = [e.placeholder for e in redaction.entities]
    assert placeholders == ["[PHONE 1]", "[PHONE 2]", "[PHONE 1]", "[EMAIL 1]"]


def test_offsets_point_into_the_original_text(redactor: Redactor) -> None:
    text = (
        "Client Rosa Isela Mendoza (DOB 04/30/2003) lives at 2211 E 4th St, Apt 3. "
        "Her ex, Alberto Garza, calls from 956-555-0161 and writes to rosa.m@example.org."
    )
    redaction = redactor.redact(text)
    assert redaction.entities, "something must be removed"
    expected = {
        "Rosa Isela Mendoza": "PERSON", "04/30/2003": "DOB", "2211 E 4th St, Apt 3": "ADDRESS",
        "Alberto Garza": "PERSON", "956-555-0161": "PHONE", "rosa.m@example.org": "EMAIL",
    }
    found = {text[e.start : e.end]: e.type for e in redaction.entities}
    assert found == expected
    rebuilt, cursor = [], 0
    for entity in redaction.entities:
        rebuilt.append(text[cursor : entity.start] + entity.placeholder)
        cursor = entity.end
    assert "".join(rebuilt) + text[cursor:] == redaction.text


def test_entities_are_sorted_and_do_not_overlap(redactor: Redactor) -> None:
    text = (
        "Contact: Sione Taufa, 801-555-0124, sione.t@example.com, @sione_t, "
        "A123456789, 77 Elm Street, DOB 1/2/1980."
    )
    entities = redactor.redact(text).entities
    assert [e.start for e in entities] == sorted(e.start for e in entities)
    for before, after in zip(entities, entities[1:], strict=False):
        assert before.end <= after.start
    assert all(isinstance(e, RedactedSpan) for e in entities)
    assert all(re.fullmatch(r"\[[A-Z]+ \d+\]", e.placeholder) for e in entities)


def test_birth_date_is_removed_but_event_dates_are_kept(redactor: Redactor) -> None:
    text = "DOB: 07/04/1995. Arrested 07/04/2019, hearing March 3, 2025, born in Georgia."
    redaction = redactor.redact(text)
    assert "07/04/1995" not in redaction.text
    assert "07/04/2019" in redaction.text
    assert "March 3, 2025" in redaction.text
    assert "Georgia" in redaction.text
    assert types_of(redaction) == {"DOB"}


def test_birth_date_must_exist_on_the_calendar(rules_redactor: Redactor) -> None:
    assert rules_redactor.redact("DOB 02/30/1990").entities == []
    assert rules_redactor.redact("DOB 02/29/1992").entities != []  # a leap year
    assert rules_redactor.redact("born on 31 de junio de 1990").entities == []


def test_ssn_ranges_are_validated_without_a_label(rules_redactor: Redactor) -> None:
    for invalid in ("000-12-3456", "666-12-3456", "912-12-3456", "123-00-4567", "123-45-0000"):
        assert rules_redactor.redact(f"Numbers on the form: {invalid}.").entities == [], invalid
    assert types_of(rules_redactor.redact("Numbers on the form: 123-45-6789.")) == {"ID"}


def test_a_number_labelled_as_ssn_is_removed_even_outside_issued_ranges(
    redactor: Redactor,
) -> None:
    text = "Taxes were filed under her SSN 666-41-2087, bought by the trafficker."
    assert "666-41-2087" not in redactor.redact(text).text


def test_statutes_forms_and_money_are_not_identifiers(redactor: Redactor) -> None:
    text = (
        "Vacatur under 18 U.S.C. § 1589, T.C.A. § 40-32-101(g), Fla. Stat. 943.0583; "
        "file I-485 and DS-160; paid 1.500.000 pesos; years 2009-2014."
    )
    assert redactor.redact(text).entities == []


def test_empty_and_blank_text_return_an_empty_result(redactor: Redactor) -> None:
    assert redactor.redact("") == Redaction(text="", entities=[])
    assert redactor.redact("   \n") == Redaction(text="   \n", entities=[])


def test_batch_matches_single_redaction(redactor: Redactor) -> None:
    texts = ["Call 713-555-0101.", "", "Su esposo Juan la golpeaba.", "Houston, 2022."]
    assert redactor.redact_batch(texts) == [redactor.redact(text) for text in texts]


def test_shared_pipeline_is_left_whole(redactor: Redactor) -> None:
    pipeline = load_pipeline()
    names_before, disabled_before = list(pipeline.pipe_names), list(pipeline.disabled)
    redactor.redact_batch(["Maria Lopez lives in Houston.", "Call 713-555-0101."])
    assert pipeline.pipe_names == names_before
    assert pipeline.disabled == disabled_before
    doc = pipeline("Maria left. She is safe now.")
    assert len(list(doc.sents)) == 2


def test_errors_do_not_carry_the_narrative(redactor: Redactor) -> None:
    with pytest.raises(TypeError) as error:
        redactor.redact_batch(["Maria Lopez, 713-555-0101", b"secret bytes"])  # type: ignore[list-item]
    assert "Maria" not in str(error.value)
    assert "secret" not in str(error.value)


@pytest.mark.parametrize(
    ("text", "secret", "kind"),
    [
        # Birth dates in further languages, other calendars and after a place of birth.
        ("Born 5 Juli 1990, he left Java in 2015.", "5 Juli 1990", "DOB"),
        ("He was born 7 lipca 1979 per his ID.", "7 lipca 1979", "DOB"),
        ("Her birth date is 10 Boishakh 1408 (Bengali calendar).", "10 Boishakh 1408", "DOB"),
        ("Client born in Enugu on 29/02/2000, arrived 2019.", "29/02/2000", "DOB"),
        ("Fecha de nacimiento 3/ago/2005, entró en 2021.", "3/ago/2005", "DOB"),
        ("Cumpleaños: 5 de agosto de 1985.", "5 de agosto de 1985", "DOB"),
        ("Her DOB was listed as 01/01/1990 on the passport.", "01/01/1990", "DOB"),
        # Names: honorifics before and after, naming words, unfamiliar full names.
        ("The restaurant owner is Mizan bhai, who took the wages.", "Mizan", "PERSON"),
        ("Vítima, vulgo Branca, trabalhou numa casa.", "Branca", "PERSON"),
        ("He worked for a company run by Gurpreet Dhillon in Fresno.", "Gurpreet Dhillon", "PERSON"),
        ("She was sent there by Pak Hartono last year.", "Hartono", "PERSON"),
        # Handles after further messaging platforms.
        ("The pimp used VK id sergei_vl to post ads.", "sergei_vl", "HANDLE"),
    ],
)
def test_wider_cues_for_names_birth_dates_and_handles(
    redactor: Redactor, text: str, secret: str, kind: str
) -> None:
    redaction = redactor.redact(text)
    assert removed(redaction, text, secret)
    assert kind in types_of(redaction)


def test_unknown_word_runs_leave_places_and_event_dates(redactor: Redactor) -> None:
    text = ("Client born 14 March 1996 arrived in Houston on 2 April 2021 and lived in "
            "Staten Island with her cousin.")
    redaction = redactor.redact(text)
    assert "14 March 1996" not in redaction.text
    for kept in ("Houston", "2 April 2021", "Staten Island"):
        assert kept in redaction.text


@pytest.mark.parametrize(
    ("text", "secret", "kind"),
    [
        # A day word after a strong naming cue is a name.
        ("The boss goes by tuesday and runs two houses.", "tuesday", "PERSON"),
        # The agent of what was done: "recruited by X", "trazida ... por X".
        ("He was recruited by Tomasz at a bus station.", "Tomasz", "PERSON"),
        ("She was controlled by Vusi for a year.", "Vusi", "PERSON"),
        ("Mulher trazida para Boston por Rosângela Teixeira em 2020.", "Rosângela Teixeira",
         "PERSON"),
        # The surname after a bracketed nickname.
        ("Client Ekaterina (Katya) Morozova, 29, lives in Miami.", "Morozova", "PERSON"),
        # A lower-case word no dictionary knows, as the subject of a verb.
        ("Then chuy drove her to the motel.", "chuy", "PERSON"),
        # Plots and road kilometres without a street number.
        ("Vivía en Lote 5 Manzana 3, en Tijuana.", "Lote 5 Manzana 3", "ADDRESS"),
        ("Su familia vive en casa 23, pasaje Los Olivos.", "casa 23, pasaje Los Olivos", "ADDRESS"),
        ("La casa estaba en el Km 14 carretera a Masaya.", "Km 14 carretera a Masaya", "ADDRESS"),
    ],
)
def test_agents_day_names_nicknames_and_plots(
    redactor: Redactor, text: str, secret: str, kind: str
) -> None:
    redaction = redactor.redact(text)
    assert removed(redaction, text, secret)
    assert kind in types_of(redaction)


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("The deadline goes by Monday morning, then the court closes.", "Monday"),
        ("She was brought by bus to Houston and recruited by Craigslist ads.", "Craigslist"),
        ("Then police said the case was closed.", "police"),
        ("He walked 5 km along the highway to Laredo.", "5 km"),
        ("Sector 4 of the plant was closed in 2021.", "Sector 4"),
        ("Enviada a Miami por WhatsApp, ela chegou em 2019.", "Miami"),
    ],
)
def test_new_cues_leave_ordinary_words_and_places(
    redactor: Redactor, text: str, kept: str
) -> None:
    assert kept in redactor.redact(text).text
