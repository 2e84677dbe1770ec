"""The command-line contract of issue 2: classify, train, evaluate and their error paths."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from nlp.taxonomy import CATEGORY_IDS
from tests.support import run_cli as run

MULTI_NEED = (
    "Her husband trafficked her for six years and she finally left him in May. "
    "She wants a divorce and sole custody of their two children. "
    "She also has three prostitution convictions from when he was selling her, "
    "and she wants them vacated so she can get a job."
)




def test_classify_contract_and_evidence_offsets(capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    status, out, _ = run(["classify"], capsys, monkeypatch, MULTI_NEED.encode())
    assert status == 0
    result = json.loads(out)
    assert set(result) == {"labels", "scores", "evidence", "model"}
    assert set(result["scores"]) == set(CATEGORY_IDS)
    assert all(0.0 <= value <= 1.0 for value in result["scores"].values())
    assert {"family_law", "criminal_record_relief"} <= set(result["labels"])
    assert set(result["evidence"]) == set(result["labels"])
    for items in result["evidence"].values():
        assert items
        for item in items:
            assert MULTI_NEED[item["start"] : item["end"]] == item["text"]
    divorce_evidence = result["evidence"]["family_law"][0]["text"]
    assert "divorce" in divorce_evidence or "custody" in divorce_evidence
    assert "convictions" in " ".join(i["text"] for i in result["evidence"]["criminal_record_relief"])


@pytest.mark.parametrize(
    ("positive", "negative", "category"),
    [
        (
            "Labor trafficking survivor from Guatemala, worked on a dairy farm in Idaho. "
            "He needs help applying for a T visa. He also wants his unpaid wages.",
            "Labor trafficking survivor from Guatemala, worked on a dairy farm in Idaho. "
            "He is a US citizen, so there is no immigration issue. He wants his unpaid wages.",
            "immigration_relief",
        ),
        (
            "Survivor in Ohio wants to sue the motel owners who profited from her trafficking. "
            "She also needs a protective order against her ex.",
            "Survivor in Ohio does not want to sue anyone. "
            "She needs a protective order against her ex.",
            "civil_damages",
        ),
        (
            "Sobreviviente en Texas. Tiene antecedentes penales por robo que quiere borrar. "
            "Necesita vivienda urgente.",
            "Sobreviviente en Texas. No tiene antecedentes penales. Necesita vivienda urgente.",
            "criminal_record_relief",
        ),
    ],
)
def test_negation_does_not_fire_the_category(
    shipped_pipeline, positive: str, negative: str, category: str
) -> None:  # type: ignore[no-untyped-def]
    with_need, without_need = shipped_pipeline.classify_batch([positive, negative])
    assert category in with_need.labels
    assert category not in without_need.labels
    assert without_need.scores[category] < with_need.scores[category]


def test_classify_jsonl_carries_ids(capsys, monkeypatch, write_jsonl) -> None:  # type: ignore[no-untyped-def]
    path = write_jsonl([
        {"id": "a-1", "text": "Her boss never paid her for two years at the restaurant."},
        {"id": 7, "text": "Quiere divorciarse y la custodia de sus hijos."},
    ])
    status, out, _ = run(["classify", "--jsonl", str(path)], capsys, monkeypatch)
    assert status == 0
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["id"] for line in lines] == ["a-1", 7]
    assert "wage_claims" in lines[0]["labels"]
    assert "family_law" in lines[1]["labels"]


@pytest.mark.parametrize(
    ("stdin", "message"),
    [(b"", "empty"), (b"   \n\t ", "empty"), (b"\x00\x01\x02binary", "binary"),
     (b"\xff\xfe not utf8", "not UTF-8")],
)
def test_classify_refuses_bad_stdin(capsys, monkeypatch, stdin: bytes, message: str) -> None:  # type: ignore[no-untyped-def]
    status, out, err = run(["classify"], capsys, monkeypatch, stdin)
    assert status == 1 and out == ""
    assert message in err


def test_jsonl_errors_name_the_line(capsys, monkeypatch, write_jsonl, tmp_path) -> None:  # type: ignore[no-untyped-def]
    status, _, err = run(["classify", "--jsonl", str(tmp_path / "nope.jsonl")], capsys, monkeypatch)
    assert status == 1 and "no such file" in err
    path = write_jsonl([{"id": 1, "text": "fine"}, "{broken", {"id": 3, "text": "x"}])
    status, out, err = run(["classify", "--jsonl", str(path)], capsys, monkeypatch)
    assert status == 1 and out == "" and f"{path}:2" in err
    path = write_jsonl([{"id": 1, "text": ""}], "empty.jsonl")
    status, _, err = run(["classify", "--jsonl", str(path)], capsys, monkeypatch)
    assert status == 1 and "empty" in err


def test_evaluate_refuses_unknown_label(capsys, monkeypatch, write_jsonl) -> None:  # type: ignore[no-untyped-def]
    path = write_jsonl([{"text": "She needs a divorce.", "labels": ["space_law"]}])
    status, _, err = run(["evaluate", "--data", str(path)], capsys, monkeypatch)
    assert status == 1 and "unknown label 'space_law'" in err


def test_train_keeps_encodings_so_a_second_training_embeds_only_new_texts(  # type: ignore[no-untyped-def]
        capsys, monkeypatch, write_jsonl, tmp_path) -> None:
    monkeypatch.setenv("NEEDMATCH_DATA_DIR", str(tmp_path / "var"))
    wages = ("Her employer never paid her for {} months on the farm.",
             "Il ne lui a jamais versé son salaire pendant {} mois à l'usine.",
             "老板{}个月没有给她发工资。")
    divorce = ("She wants a divorce from the husband who sold her, after {} years.",
               "Она хочет развестись с мужем, который продал её {} лет назад.",
               "Gusto niyang makipaghiwalay sa asawang nagbenta sa kanya {} taon na ang nakaraan.")
    rows = [{"text": template.format(number), "labels": [label]} for number in range(2, 10)
            for label, templates in (("wages", wages), ("divorce", divorce)) for template in templates]
    first = write_jsonl(rows)
    arguments = ["train", "--keep-encodings", "--data", str(first), "--out", str(tmp_path / "a")]
    status, _, err = run(arguments, capsys, monkeypatch)
    assert status == 0 and "encodings: 0 kept, 48 new" in err
    more = tmp_path / "more.jsonl"
    more.write_text(json.dumps({"text": "Ang amo niya ay hindi nagbayad ng sahod.",
                                "labels": ["wages"]}) + "\n")
    status, _, err = run([*arguments[:-1], str(tmp_path / "b"), "--data", str(more)], capsys, monkeypatch)
    assert status == 0 and "encodings: 48 kept, 1 new" in err
    # Kept encodings train the same model as fresh ones.
    status, _, err = run(["train", "--data", str(first), "--data", str(more), "--out",
                          str(tmp_path / "c")], capsys, monkeypatch)
    assert status == 0 and "encodings:" not in err
    kept = np.load(tmp_path / "b" / "weights.npz")
    fresh = np.load(tmp_path / "c" / "weights.npz")
    assert sorted(kept.files) == sorted(fresh.files)
    for name in kept.files:
        np.testing.assert_allclose(kept[name], fresh[name], atol=1e-4)


def test_train_then_classify_and_evaluate_with_model(capsys, monkeypatch, write_jsonl, tmp_path) -> None:  # type: ignore[no-untyped-def]
    rows = []
    for index in range(8):
        rows.append({"text": f"Case {index}: her employer never paid her wages for the farm work.",
                     "labels": ["wages"], "negatives": ["divorce"]})
        rows.append({"text": f"Case {index}: she wants a divorce from the man who trafficked her.",
                     "labels": ["divorce"], "negatives": ["wages"]})
        rows.append({"text": f"Case {index}: she needs housing; other needs unknown.",
                     "labels": [], "negatives": []})
    data = write_jsonl(rows)
    model_dir = tmp_path / "model"
    status, out, _ = run(["train", "--data", str(data), "--out", str(model_dir)], capsys, monkeypatch)
    assert status == 0 and "written to" in out
    manifest = json.loads((model_dir / "manifest.json").read_text())
    assert manifest["labels"] == ["divorce", "wages"]
    assert manifest["training"]["partially_labelled"] is True
    assert json.loads((model_dir / "metrics.json").read_text())["primary"]
    status, out, _ = run(["classify", "--model", str(model_dir)], capsys, monkeypatch,
                         b"The boss kept all of her pay.")
    assert status == 0 and json.loads(out)["labels"] == ["wages"]
    chart = tmp_path / "chart.png"
    status, out, _ = run(["evaluate", "--data", str(data), "--model", str(model_dir),
                          "--chart", str(chart)], capsys, monkeypatch)
    assert status == 0
    assert "tfidf-baseline" in out and "mean balanced accuracy" in out
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.slow  # a subprocess
def test_console_script_reports_errors_with_exit_status(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "needmatch"
    completed = subprocess.run(
        [str(script), "train", "--data", str(tmp_path / "absent.jsonl"), "--out", str(tmp_path)],
        capture_output=True, text=True, timeout=120,
    )
    assert completed.returncode == 1
    assert "no such file" in completed.stderr
    assert "Traceback" not in completed.stderr


def test_responders_import_and_list(capsys, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NEEDMATCH_DATA_DIR", str(tmp_path / "var"))
    demo = Path(__file__).resolve().parents[2] / "api" / "demo" / "responders.jsonl"
    status, out, _ = run(["responders", "import", str(demo)], capsys, monkeypatch)
    assert status == 0 and "imported 160 responders: 160 new, 0 updated" in out
    status, out, _ = run(["responders", "list"], capsys, monkeypatch)
    listed = [json.loads(line) for line in out.splitlines()]
    assert len(listed) == 160 and listed[0]["id"] == "demo-r-001"
    assert all("email" not in row for row in listed)
    assert (tmp_path / "var" / "needmatch.db").is_file()
    status, out, _ = run(["responders", "import", str(demo)], capsys, monkeypatch)
    assert status == 0 and "0 new, 160 updated" in out


STORY = ("Maria was trafficked by her husband for six years in a restaurant in Houston. She has two "
         "kids. She wants that conviction vacated. The company still owes her those wages.")


@pytest.mark.parametrize("category", [
    "criminal_record_relief",
    # A known miss of the multilingual model (issue 12): a need said in passing, in lay words.
    # Its sentence alone scores 0.93, the story 0.14 (session 11): the stack trusts the document.
    # Session 12's model, trained with round 7's needs said once at the end of a long story,
    # still misses it: 0.27 against the English threshold 0.595; session 13's (rounds 8 and 9,
    # long stories with one need said once) too: 0.27 against 0.64.
    pytest.param("wage_claims", marks=pytest.mark.xfail(strict=True, reason="lay wording missed")),
])
def test_explicit_needs_in_a_story_are_found(shipped_pipeline, category: str) -> None:  # type: ignore[no-untyped-def]
    assert category in shipped_pipeline.classify(STORY).labels


# Forced to work two years in a massage parlour in New York without pay, she wants her wages
# back; her boss took her passport; she wants a T visa.
CHINESE_STORY = ("她在纽约的按摩店被强迫工作了两年，没有工资，想把工资要回来。"
                 "老板拿走了她的护照。她想申请T签证。")


@pytest.mark.parametrize("category", [
    "immigration_relief",
    # Missed by the model of session 10 (0.41 against its threshold 0.485): the wage claim
    # scores 0.73 in its own sentence. Found since session 11's second model (0.50 against 0.49),
    # trained with rounds 5 and 6: needs said in passing, and needs that are only background.
    "wage_claims",
])
def test_explicit_needs_in_a_chinese_story_are_found(shipped_pipeline, category: str) -> None:  # type: ignore[no-untyped-def]
    assert category in shipped_pipeline.classify(CHINESE_STORY).labels


def test_a_one_sentence_wage_claim_is_found(shipped_pipeline) -> None:  # type: ignore[no-untyped-def]
    # Missed by the model of session 10 (0.58 against the English threshold 0.59); found since
    # session 11's models were trained with round 5's needs said in passing (0.62 against 0.54).
    text = "She was forced to work without pay and wants her wages back."
    assert "wage_claims" in shipped_pipeline.classify(text).labels


@pytest.mark.parametrize("text", [
    "Ela trabalhou sem salário e quer receber o que lhe devem.",
    "Она работала без оплаты и хочет вернуть свою зарплату.",
    "Li te travay san yo pa peye l e li vle jwenn lajan li.",
    "Nagtrabaho siya nang walang sahod at gusto niyang makuha ang sahod niya.",
    # Known misses of vdaf110f57c (session 17: 0.28 and 0.49 against their thresholds): the
    # background "worked without pay", present in most stories with or without a wage claim,
    # pulls the score down ("She wants her wages back." alone scores 0.99). Both candidates of
    # session 17 fell on the English sentence above for the same reason.
    pytest.param("Ella trabajó sin paga y quiere recuperar su salario.",
                 marks=pytest.mark.xfail(strict=True, reason="background 'without pay' drags the claim")),
    pytest.param("Elle a travaillé sans salaire et veut récupérer son argent.",
                 marks=pytest.mark.xfail(strict=True, reason="background 'without pay' drags the claim")),
])
def test_a_one_sentence_wage_claim_in_other_languages(shipped_pipeline, text: str) -> None:  # type: ignore[no-untyped-def]
    assert "wage_claims" in shipped_pipeline.classify(text).labels


def test_each_model_is_served_with_the_sentence_splitting_it_was_trained_with() -> None:
    """The model of the evening of 2026-12-06 knew no splitting version (1: a Chinese paragraph
    is one sentence); the live model records version 2. One encoder serves both."""
    from api.bootstrap import load_pipeline
    from api.services.models import live_model_directory
    from nlp.classifier_store import read_manifest

    live = load_pipeline(live_model_directory())
    assert read_manifest(live_model_directory())["sentence_split"] == 2
    older = load_pipeline(live_model_directory().parent / "v8a4d3cf535", live.document_encoder)
    assert (live.document_encoder.splitter.version, older.document_encoder.splitter.version) == (2, 1)
    assert older.document_encoder.encoder is live.document_encoder.encoder
    story = "她在按摩店工作了两年，没有工资。老板拿走了她的护照。"
    assert len(live.document_encoder.splitter.split(story)) == 2
    assert len(older.document_encoder.splitter.split(story)) == 1
    assert older.classify(story).labels  # still served


def test_the_encoder_can_be_served_at_either_precision() -> None:
    from api.bootstrap import load_pipeline
    from api.services.models import live_model_directory

    full = load_pipeline(live_model_directory(), precision="fp32")
    assert full.document_encoder.encoder.precision == "fp32"
    assert full.classify(STORY).labels  # the same model, read in float32
