"""The review scorecard: five criteria, scores as text and as a meter, an average."""

from __future__ import annotations

from bs4 import BeautifulSoup, Tag

from mkdocs_sysdesign.review import CRITERIA, render_scorecard

SCRIPT = "<script>alert(1)</script>"
FULL = {
    "problem-solving": 4,
    "solution-design": 3,
    "technical-excellence": 4,
    "communication": 5,
    "steering": 4,
}


def card(
    review: dict[str, int],
    criteria_url: str | None = None,
    labels: dict[str, str] | None = None,
) -> Tag:
    soup = BeautifulSoup(render_scorecard(review, criteria_url, labels), "html.parser")
    found = soup.select_one("div.sysdesign-review")
    assert found is not None
    return found


def row_texts(scorecard: Tag) -> list[tuple[str, str]]:
    rows = []
    for tr in scorecard.select("tbody tr"):
        cells = [" ".join(td.get_text(" ", strip=True).split()) for td in tr.find_all("td")]
        rows.append((cells[0], cells[1]))
    return rows


def average(scorecard: Tag) -> str:
    cell = scorecard.select_one("tfoot .sysdesign-review__average td")
    assert cell is not None
    return cell.get_text(strip=True)


def test_the_five_criteria_in_order() -> None:
    assert [(c.id, c.title) for c in CRITERIA] == [
        ("problem-solving", "Problem Solving"),
        ("solution-design", "Solution Design"),
        ("technical-excellence", "Technical Excellence"),
        ("communication", "Communication"),
        ("steering", "Steering"),
    ]
    for criterion_id, title, meaning in CRITERIA:
        assert criterion_id and title
        assert meaning.endswith(".") and "\n" not in meaning


def test_every_score_is_written_as_text_and_drawn_as_a_meter() -> None:
    scorecard = card(FULL)
    assert [th.get_text() for th in scorecard.select("thead th")] == ["Criterion", "Score"]
    assert row_texts(scorecard) == [
        ("Problem Solving", "4 / 5"),
        ("Solution Design", "3 / 5"),
        ("Technical Excellence", "4 / 5"),
        ("Communication", "5 / 5"),
        ("Steering", "4 / 5"),
    ]
    rows = scorecard.select("tbody tr")
    assert [(tr["data-criterion"], tr["data-score"]) for tr in rows] == [
        (criterion_id, str(score)) for criterion_id, score in FULL.items()
    ]
    meters = scorecard.select("meter")
    assert [(m["min"], m["max"], m["value"]) for m in meters] == [
        ("1", "5", str(score)) for score in FULL.values()
    ]
    assert all(m["aria-hidden"] == "true" for m in meters)
    assert average(scorecard) == "4.0 / 5"
    assert scorecard["data-average"] == "4.0"


def test_a_missing_criterion_reads_not_scored_and_is_left_out_of_the_average() -> None:
    scorecard = card({"problem-solving": 5, "communication": 2})
    rows = scorecard.select("tbody tr")
    assert [tr["data-criterion"] for tr in rows] == [c.id for c in CRITERIA]
    assert [tr.get("data-score") for tr in rows] == ["5", None, None, "2", None]
    scores = [tr.select_one(".sysdesign-review__score") for tr in rows]
    assert [s.get_text() for s in scores if s is not None] == [
        "5 / 5",
        "not scored",
        "not scored",
        "2 / 5",
        "not scored",
    ]
    assert len(scorecard.select("meter")) == 2
    assert average(scorecard) == "3.5 / 5"


def test_an_empty_review_has_no_average() -> None:
    scorecard = card({})
    assert all(score == "not scored" for _, score in row_texts(scorecard))
    assert average(scorecard) == "not scored"
    assert scorecard.get("data-average") is None


def test_the_average_has_one_decimal() -> None:
    assert average(card({"problem-solving": 4, "solution-design": 4, "steering": 5})) == ("4.3 / 5")


def test_criterion_titles_link_to_the_criteria_page_when_given() -> None:
    scorecard = card(FULL, criteria_url="../../process/review/")
    links = scorecard.select("tbody a.sysdesign-review__criterion")
    assert [a["href"] for a in links] == [f"../../process/review/#{c.id}" for c in CRITERIA]
    assert [a["title"] for a in links] == [c.meaning for c in CRITERIA]
    assert [a.get_text() for a in links] == [c.title for c in CRITERIA]


def test_without_a_criteria_page_titles_are_plain_text_with_their_meaning() -> None:
    scorecard = card(FULL)
    assert scorecard.find("a") is None
    spans = scorecard.select("tbody span.sysdesign-review__criterion")
    assert [(s.get_text(), s["title"]) for s in spans] == [(c.title, c.meaning) for c in CRITERIA]


def test_a_score_under_an_unknown_id_is_shown_unlinked_after_the_five() -> None:
    scorecard = card({"communication": 4, "teamwork": 2}, criteria_url="review/")
    rows = scorecard.select("tbody tr")
    assert [tr["data-criterion"] for tr in rows] == [c.id for c in CRITERIA] + ["teamwork"]
    last = rows[-1]
    assert last.find("a") is None
    assert last.get_text(" ", strip=True) == "teamwork 2 / 5"
    assert average(scorecard) == "3.0 / 5"


def test_labels_can_be_overridden() -> None:
    labels = {
        "review": "Bewertung",
        "criterion": "Kriterium",
        "score": "Punkte",
        "average": "Durchschnitt",
        "not_scored": "nicht bewertet",
        "out_of": "von 5",
    }
    scorecard = card({"steering": 3}, labels=labels)
    title = scorecard.select_one(".sysdesign-review__title")
    assert title is not None and title.get_text() == "Bewertung"
    assert [th.get_text() for th in scorecard.select("thead th")] == ["Kriterium", "Punkte"]
    assert row_texts(scorecard)[0] == ("Problem Solving", "nicht bewertet")
    assert row_texts(scorecard)[-1] == ("Steering", "3 von 5")
    foot = scorecard.select_one("tfoot tr")
    assert foot is not None and foot.get_text(" ", strip=True) == "Durchschnitt 3.0 von 5"


def test_partial_labels_keep_the_english_defaults() -> None:
    scorecard = card({"steering": 3}, labels={"score": "Note"})
    assert [th.get_text() for th in scorecard.select("thead th")] == ["Criterion", "Note"]


def test_script_in_labels_url_and_criterion_ids_is_text() -> None:
    scorecard = card(
        {SCRIPT: 3, "steering": 4},
        criteria_url=f'"><{SCRIPT}',
        labels={"review": SCRIPT, "out_of": SCRIPT},
    )
    assert scorecard.find("script") is None
    title = scorecard.select_one(".sysdesign-review__title")
    assert title is not None and title.get_text() == SCRIPT
    last = scorecard.select("tbody tr")[-1]
    assert last["data-criterion"] == SCRIPT
    assert last.get_text(" ", strip=True) == f"{SCRIPT} 3 {SCRIPT}"
    link = scorecard.select_one('tr[data-criterion="steering"] a')
    assert link is not None and link["href"] == f'"><{SCRIPT}#steering'
