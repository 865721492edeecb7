"""pytest configuration shared by every test module."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
# The tests (and the notebook kernels they start, which inherit this) never write the
# reader's progress: every check records into a scratch folder instead.
os.environ["ACTTUTOR_HOME"] = tempfile.mkdtemp(prefix="acttutor-test-home-")
# The checkers stop a learner's call after a few seconds. The suite runs two workers on
# two cores beside notebook kernels, so correct answers get four times the budget here;
# the tests of the budgets themselves set their own (tests/exercises/test_timelimit.py).
os.environ.setdefault("ACTTUTOR_TIME_SCALE", "4")
sys.path.insert(0, str(Path(__file__).resolve().parent))
