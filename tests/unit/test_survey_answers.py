"""Survey answers are checked per question, and results show nothing of a group under k = 5."""

from __future__ import annotations

import csv
import io

from hypothesis import given
from hypothesis import strategies as st

from wallet.surveys import answers
from wallet.surveys import questions
from wallet.surveys import results
from wallet.surveys.questions import Question

QUESTIONS = [
    Question(id="q1", type="nps", text="Recommend us?", required=True),
    Question(id="q2", type="rating", text="How useful?", required=True),
    Question(id="q3", type="single", text="Got a job?", required=True, options=("Yes", "No")),
    Question(id="q4", type="multiple", text="Used it for", options=("CV", "Promotion", "Fun")),
    Question(id="q5", type="text", text="Anything else?", max_length=20),
]
GOOD = {"q1": ["9"], "q2": ["4"], "q3": ["Yes"], "q4": ["Fun", "CV"], "q5": ["Great course"]}


def test_good_answers_are_kept_clean() -> None:
    clean, problems = answers.check(QUESTIONS, GOOD)
    assert problems == {}
    assert clean == {"q1": 9, "q2": 4, "q3": "Yes", "q4": ["CV", "Fun"], "q5": "Great course"}


def test_optional_questions_may_stay_empty_and_unknown_ids_are_ignored() -> None:
    sent = {"q1": ["0"], "q2": ["1"], "q3": ["No"], "q4": [], "q5": ["  "], "q99": ["x"]}
    clean, problems = answers.check(QUESTIONS, sent)
    assert problems == {}
    assert clean == {"q1": 0, "q2": 1, "q3": "No"}


def test_each_wrong_answer_is_an_error_on_its_own_question() -> None:
    sent = {
        "q1": ["11"],  # out of range
        "q2": ["four"],  # wrong type
        "q3": ["Maybe"],  # unknown option
        "q4": ["CV", "Hacking"],  # unknown option among good ones
        "q5": ["x" * 21],  # too long
    }
    clean, problems = answers.check(QUESTIONS, sent)
    assert set(problems) == {"q1", "q2", "q3", "q4", "q5"}
    assert problems["q1"] == "Choose a number from 0 to 10."
    assert problems["q2"] == "Choose a number from 1 to 5."
    assert problems["q3"] == "Choose one of the listed options."
    assert problems["q4"] == "Choose among the listed options."
    assert problems["q5"] == "Write at most 20 characters (you wrote 21)."


def test_missing_required_answers_are_named() -> None:
    _clean, problems = answers.check(QUESTIONS, {})
    assert problems == {q: "Answer this question." for q in ("q1", "q2", "q3")}


def test_two_values_for_a_one_value_question_are_refused() -> None:
    _clean, problems = answers.check(QUESTIONS, {**GOOD, "q1": ["9", "10"], "q3": ["Yes", "No"]})
    assert set(problems) == {"q1", "q3"}


def test_scores_must_be_plain_digits() -> None:
    for value in ("-1", "4.0", "٣", " 1e1", "0x5"):
        _clean, problems = answers.check(QUESTIONS, {**GOOD, "q2": [value]})
        assert "q2" in problems, value


@given(st.dictionaries(st.sampled_from(["q1", "q2", "q3", "q4", "q5", "x"]), st.lists(st.text())))
def test_any_input_gives_clean_answers_or_errors_never_a_crash(sent: dict[str, list[str]]) -> None:
    clean, problems = answers.check(QUESTIONS, sent)
    assert not set(clean) & set(problems)
    for qid, value in clean.items():
        question = next(q for q in QUESTIONS if q.id == qid)
        if question.type == "nps":
            assert 0 <= int(value) <= 10  # type: ignore[arg-type]
        if question.type == "multiple":
            assert set(value) <= set(question.options)  # type: ignore[arg-type]


def test_a_definition_keeps_known_ids_and_gives_new_ones() -> None:
    rows = [
        {"id": "q2", "type": "nps", "text": "Recommend?", "required": True},
        {"id": "", "type": "single", "text": "Pick", "options": "A\nB\n"},
        {"id": "q7", "type": "text", "text": "Say", "max_length": ""},
        {"type": "rating", "text": ""},
    ]
    found, problems = questions.define(rows, used_ids={"q1", "q2"})
    assert problems == {}
    assert [q.id for q in found] == ["q2", "q3", "q4"]
    assert found[1].options == ("A", "B")
    assert found[2].max_length == questions.ANSWER_DEFAULT


def test_a_bad_definition_says_which_row() -> None:
    rows = [
        {"type": "single", "text": "Only one option", "options": ["A"]},
        {"type": "poll", "text": "What?"},
        {"type": "text", "text": "Say", "max_length": "99999"},
        {"type": "multiple", "text": "Twice", "options": ["A", "A"]},
        {"type": "nps", "text": "Fine"},
    ]
    _found, problems = questions.define(rows)
    assert set(problems) == {0, 1, 2, 3}


def _responses(n: int, named: int = 0) -> list[results.Response]:
    return [
        results.Response(
            answers={"q1": 10 if i % 2 else 3, "q3": "Yes", "q5": f"text {i}"},
            name=f"Person {i}" if i < named else None,
        )
        for i in range(n)
    ]


def test_fewer_than_five_responses_show_nothing() -> None:
    found = results.aggregate(QUESTIONS, _responses(4))
    assert not found.shown
    for item in found.questions:
        assert not item.shown
        assert item.counts == []
        assert item.texts == []
        assert item.nps is None


def test_five_responses_show_distributions_nps_and_sorted_texts() -> None:
    found = results.aggregate(QUESTIONS, _responses(5))
    assert found.shown
    nps = found.questions[0]
    assert nps.nps == round(100 * (2 - 3) / 5)
    assert [c.count for c in nps.counts if c.count] == [3, 2]
    assert found.questions[2].counts[0] == results.Count("Yes", 5, 100)
    assert found.questions[4].texts == sorted(f"text {i}" for i in range(5))
    assert found.questions[4].named == []
    # an optional question nobody answered is a group of 0
    assert not found.questions[3].shown


def test_named_answers_cannot_be_subtracted_to_reveal_a_few_anonymous_ones() -> None:
    # 7 responses, 4 named: the 3 anonymous ones would show as total minus named.
    found = results.aggregate(QUESTIONS, _responses(7, named=4))
    assert not found.shown
    assert [name for name, _a in found.questions[4].named] == [f"Person {i}" for i in range(4)]
    assert found.questions[4].texts == []
    assert results.aggregate(QUESTIONS, _responses(9, named=4)).shown
    assert results.aggregate(QUESTIONS, _responses(5, named=5)).shown


def test_csv_holds_no_small_group_and_no_formula() -> None:
    small = results.to_csv(
        results.aggregate(QUESTIONS, _responses(3)),
        header=["question", "answer", "count", "share", "note"],
        too_few="Fewer than 5",
        nps_label="NPS",
    )
    assert "text 0" not in small
    assert "Fewer than 5" in small
    rows = [results.Response(answers={"q5": "=HYPERLINK(1)"}) for _ in range(5)]
    text = results.to_csv(
        results.aggregate(QUESTIONS, rows),
        header=["question", "answer", "count", "share", "note"],
        too_few="Fewer than 5",
        nps_label="NPS",
    )
    cells = [row[1] for row in csv.reader(io.StringIO(text))]
    assert "'=HYPERLINK(1)" in cells
    assert "=HYPERLINK(1)" not in cells
