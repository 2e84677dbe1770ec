from nlp.sentences import MAX_WORDS_PER_SENTENCE, SentenceSplitter


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
