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
sys.path.insert(0, str(Path(__file__).resolve().parent))
