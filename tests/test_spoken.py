"""Figures said in words are read as digits (sources/spoken.py)."""

from __future__ import annotations

import pytest

from execbrief.sources.spoken import spoken_figures


@pytest.mark.parametrize("said, read", [
    # money: money words after the figure, or shortly before it
    ("That's twelve hundred a month gone", "That's $1,200 a month gone"),
    ("so like eleven hundred bucks, I need to send that", "so like $1,100, I need to send that"),
    ("the quote for the roof is eighty-four hundred to redo it", "the quote for the roof is $8,400 to redo it"),
    ("the checking is at about eleven grand, eleven thousand two hundred, after",
     "the checking is at about $11,000, $11,200, after"),
    ("it's sixty-five dollars and they need", "it's $65 and they need"),
    ("Linda said the tax is about thirty-eight hundred, due January 15th",
     "Linda said the tax is about $3,800, due January 15th"),
    # the way prices are said: 1,295 when ten hundred or more, or beside money words
    ("listed at twelve ninety-five a month", "listed at $1,295 a month"),
    ("she pays thirteen fifty", "she pays $1,350"),
    ("four fifty a month for the site", "$450 a month for the site"),
    ("up from five twenty-five to five seventy-five", "up from five twenty-five to five seventy-five"),
    ("or they can patch it for six fifty for now", "or they can patch it for six fifty for now"),
    # percentages and plain counts
    ("going up fifteen percent from the first", "going up 15% from the first"),
    ("ten per cent off", "10% off"),
    ("about a hundred and ten cups Saturday", "about 110 cups Saturday"),
    ("the detectors are twelve years old", "the detectors are 12 years old"),
    # small numbers and what makes no number stay words
    ("two showings, one guy no-showed", "two showings, one guy no-showed"),
    ("income's like three and a half times the rent", "income's like three and a half times the rent"),
    ("a twelve-month lease", "a twelve-month lease"),
    ("twenty-four seven", "twenty-four seven"),
    ("no number words at all", "no number words at all"),
])
def test_a_figure_said_in_words_is_written_as_digits_where_it_is_clear(said, read):
    assert spoken_figures(said) == read
