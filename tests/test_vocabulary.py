"""The vocabulary's own machinery (what it reads is tested with the notes and analyzers)."""

from __future__ import annotations


def test_the_words_that_wake_an_unsaid_entry_are_found_in_one_scan_as_one_look_each_finds_them():
    """``_Triggers`` finds exactly the words ``word in text`` holds for, overlapping ones too."""
    import random

    from execbrief.vocabulary import _Triggers

    words = {"late", "late fee", "lat", "ate", " up", " up ", "no ", "no-", "not", "nothing", "?", "tax", "x"}
    triggers = _Triggers(words)
    rng = random.Random(3)
    pieces = [*words, "a", " ", "late fees", "update", "notice", "up", "-", "tax?"]
    for _ in range(500):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 8)))
        assert triggers.present(text) == {w for w in words if w in text}, text
    assert _Triggers(set()).present("anything") == frozenset()
