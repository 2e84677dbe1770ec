import pytest

from nlp.sentences import MAX_CHARACTERS_WITHOUT_SPACES, MAX_WORDS_PER_SENTENCE, SentenceSplitter


def test_offsets_point_at_the_sentence_text() -> None:
    text = "Client is 34. She wants a divorce!  Her boss never paid her.\n- T visa\n- custody"
    sentences = SentenceSplitter().split(text)
    assert len(sentences) >= 5
    for sentence in sentences:
        assert text[sentence.start : sentence.end] == sentence.text
        assert sentence.text == sentence.text.strip()


def test_line_breaks_end_sentences_in_bullet_lists() -> None:
    text = "Needs:\n- divorce\n- unpaid wages\n- sealing of old arrests"
    texts = [sentence.text for sentence in SentenceSplitter().split(text)]
    assert texts == ["Needs:", "- divorce", "- unpaid wages", "- sealing of old arrests"]


def test_run_on_text_is_windowed_not_truncated() -> None:
    words = [f"word{index}" for index in range(MAX_WORDS_PER_SENTENCE * 2 + 10)]
    text = " ".join(words)
    sentences = SentenceSplitter().split(text)
    assert len(sentences) == 3
    assert sentences[-1].text.endswith(words[-1])
    assert all(len(sentence.text.split()) <= MAX_WORDS_PER_SENTENCE for sentence in sentences)


def test_batch_keeps_texts_apart_and_blank_text_has_no_sentence() -> None:
    batch = SentenceSplitter().split_batch(["One. Two.", "   \n  ", "Three."])
    assert [len(item) for item in batch] == [2, 0, 1]


def test_placeholders_are_never_split() -> None:
    text = "She left in March. Her name is [PERSON 1], phone [PHONE 1]. She needs a divorce."
    sentences = SentenceSplitter().split(text)
    assert any("[PERSON 1], phone [PHONE 1]." in sentence.text for sentence in sentences)
    assert all(sentence.text.count("[") == sentence.text.count("]") for sentence in sentences)
    for sentence in sentences:
        assert text[sentence.start : sentence.end] == sentence.text


def test_chinese_and_nepali_full_stops_end_sentences() -> None:
    chinese = "她在按摩店工作了两年，没有工资。老板拿走了她的护照！她想申请T签证吗？「好。」"
    sentences = SentenceSplitter().split(chinese)
    assert [s.text for s in sentences] == [
        "她在按摩店工作了两年，没有工资。", "老板拿走了她的护照！", "她想申请T签证吗？", "「好。」"]
    nepali = "मालिकले तलब दिएन। उनी घर फर्कन चाहन्छिन्॥ राहदानी मालिकसँग छ।"
    assert len(SentenceSplitter().split(nepali)) == 3
    for text, found in ((chinese, sentences), (nepali, SentenceSplitter().split(nepali))):
        assert all(text[s.start : s.end] == s.text for s in found)


def test_version_one_still_reads_a_chinese_paragraph_as_one_sentence() -> None:
    """Models trained before version 2 are served with the splitting they were trained on."""
    text = "她在按摩店工作了两年，没有工资。老板拿走了她的护照。"
    assert len(SentenceSplitter(version=1).split(text)) == 1
    assert len(SentenceSplitter(version=2).split(text)) == 2


def test_text_without_spaces_is_windowed_by_characters() -> None:
    text = "没有工资" * 100  # 400 characters, no full stop, no space
    sentences = SentenceSplitter().split(text)
    assert len(sentences) == 3
    assert "".join(s.text for s in sentences) == text
    assert all(len(s.text) <= MAX_CHARACTERS_WITHOUT_SPACES for s in sentences)


def test_placeholders_are_not_split_by_a_full_stop_and_punctuation_alone_is_dropped() -> None:
    text = "我叫[PERSON 1]。」。她的电话是[PHONE 1]。"
    texts = [s.text for s in SentenceSplitter().split(text)]
    assert texts == ["我叫[PERSON 1]。」", "她的电话是[PHONE 1]。"]


def test_an_unknown_splitting_version_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown sentence splitting version 7"):
        SentenceSplitter(version=7)
