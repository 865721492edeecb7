"""The "About this build" page states the versions and data source that executed the book."""

from __future__ import annotations

import platform

import keras
import numpy as np
import tensorflow as tf
from nbutils import executed, glued, outputs_text


def test_about_page_states_the_versions_that_executed_the_book() -> None:
    nb = executed("book/about.ipynb")
    values = glued(nb)
    assert values["python_version"] == platform.python_version()
    assert values["tf_version"] == tf.__version__
    assert values["keras_version"] == keras.__version__
    assert values["numpy_version"] == np.__version__
    source = values["data_source"]
    assert source and source in outputs_text(nb)  # the table shows the same source
    is_stand_in = "offline stand-in" in source
    assert ("not MNIST" in values["data_kind"]) == is_stand_in
    assert values["devices"].split(", ")[0] == "CPU"
