"""The redaction score counts a partly removed span as a leak."""

from __future__ import annotations

from training.evaluate_redaction import _coverage


def test_a_span_is_removed_only_when_every_occurrence_is_removed_whole() -> None:
    text = "Mercedes Brianna Holloway called. Later Mercedes left."
    whole_name = [(0, 25)]
    assert _coverage(text, "Mercedes Brianna Holloway", whole_name) == "whole"
    assert _coverage(text, "Mercedes", whole_name) == "partial"  # the second mention is left
    assert _coverage(text, "Mercedes", whole_name + [(40, 48)]) == "whole"
    assert _coverage(text, "Mercedes Brianna Holloway", [(9, 25)]) == "partial"
    assert _coverage(text, "Holloway", []) == "none"


def test_spaces_and_punctuation_need_not_be_covered() -> None:
    text = "她叫王秀英，今年30岁。"
    assert _coverage(text, "王秀英", [(2, 5)]) == "whole"
    assert _coverage(text, "王秀英", [(2, 3)]) == "partial"


def test_a_title_or_article_left_beside_a_removed_name_is_no_leak() -> None:
    text = "Madam Joy runs the house; el güero drives."
    assert _coverage(text, "Madam Joy", [(6, 9)]) == "whole"
    assert _coverage(text, "el güero", [(29, 34)]) == "whole"
    assert _coverage(text, "Madam Joy", [(0, 5)]) == "none"  # the title alone went


def test_the_command_names_the_tagger_and_can_measure_the_rules_alone(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    import json

    from nlp.pii.tagger import shipped_tagger_directory
    from training.evaluate_redaction import main

    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({
        "id": "t1", "language": "tl", "text": "sabi ni boss rodel babalik siya sa Naga City",
        "must_remove": [{"text": "rodel", "type": "PERSON"}], "must_keep": ["Naga City"]}) + "\n")
    main(["--data", str(gold), "--skip-benchmark", "--no-tagger", "--by-language"])
    rules = capsys.readouterr().out
    assert rules.startswith("tagger: none") and "tl 0.000/1.000" in rules
    main(["--data", str(gold), "--skip-benchmark", "--tagger", str(shipped_tagger_directory())])
    tagged = capsys.readouterr().out
    version = json.loads((shipped_tagger_directory() / "manifest.json").read_text())["version"]
    assert tagged.startswith(f"tagger: {version}") and "removed whole (1.000)" in tagged
