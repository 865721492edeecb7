"""Every chapter opens with a learner's frame: what you will learn, what you need, how long.

The frame lives in the notebook's first markdown cell, under the title, for example::

    # ReLU

    **You will learn** ... (or "Learning objectives")
    **Prerequisites:** ...
    **Estimated time:** 25 minutes.

"About this build" is a reference page, not a lesson, and has no frame.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from nbutils import ROOT, all_notebooks

NOT_LESSONS = {Path("book/about.ipynb")}
CHAPTERS = [p for p in all_notebooks() if p not in NOT_LESSONS]

OBJECTIVES = re.compile(r"learning objectives?|\bobjectives?\b|\byou will\b|\byou'll\b", re.I)
PREREQUISITES = re.compile(r"prerequisites?", re.I)
TIME = re.compile(
    r"(estimated|expected|reading|about)?\s*time\b[^\n]{0,40}?\d+\s*(–|-|to)?\s*\d*\s*"
    r"(minutes?|mins?|hours?|h)\b",
    re.I,
)


def frame_problems(text: str) -> list[str]:
    """What the first markdown cell lacks, in words."""
    problems = []
    if not text.lstrip().startswith("# "):
        problems.append("it does not start with a '# Title'")
    if not OBJECTIVES.search(text):
        problems.append("no learning objectives ('You will learn' / 'Learning objectives')")
    if not PREREQUISITES.search(text):
        problems.append("no prerequisites ('Prerequisites:')")
    if not TIME.search(text):
        problems.append("no estimated time ('Estimated time: 20 minutes')")
    return problems


def test_the_frame_check_accepts_a_frame_and_rejects_a_stub() -> None:
    good = ("# ReLU\n\n**You will learn** why ReLU trains fast.\n\n"
            "**Prerequisites:** {doc}`intro`.\n\n**Estimated time:** 25 minutes.")
    assert frame_problems(good) == []
    assert frame_problems("# ReLU\n\n**Learning objectives**\n- a\n\n**Prerequisites**: b\n\n"
                          "*Time:* about 15–20 min") == []
    assert len(frame_problems("# ReLU\n\n*This chapter is being written.*")) == 3
    assert frame_problems("ReLU\n\nYou will learn x. Prerequisites: y. Estimated time: 5 min.") == [
        "it does not start with a '# Title'"]


@pytest.mark.parametrize("path", CHAPTERS, ids=str)
def test_chapter_opens_with_a_learners_frame(path: Path) -> None:
    nb = nbformat.read(ROOT / path, as_version=4)
    first = next((c.source for c in nb.cells if c.cell_type == "markdown"), "")
    assert frame_problems(first) == [], f"{path}: first markdown cell"
