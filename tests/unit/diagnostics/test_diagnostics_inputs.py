"""acttutor.diagnostics._inputs: every diagnostic checks its model and batch the same way."""

from __future__ import annotations

import keras
import numpy as np
import pytest
from toys import batch, planted_model

from acttutor.diagnostics import dead_unit_fraction, inactive_unit_fraction, layer_outputs


@pytest.mark.parametrize("fn", [layer_outputs, dead_unit_fraction, inactive_unit_fraction])
def test_bad_model_and_x(fn):
    model = planted_model()
    with pytest.raises(TypeError, match="needs a keras.Model"):
        fn("model", batch())
    with pytest.raises(TypeError, match="x is None"):
        fn(model, None)
    with pytest.raises(ValueError, match=r"one example without the batch axis.*x\[None"):
        fn(model, batch()[0])
    with pytest.raises(ValueError, match=r"shape \(40, 2\), but the model expects \(n, 3\)"):
        fn(model, batch(d=2))
    with pytest.raises(ValueError, match="no examples"):
        fn(model, batch()[:0])
    bad = batch()
    bad[3, 1] = np.nan
    with pytest.raises(ValueError, match="1 NaN or infinite"):
        fn(model, bad)
    with pytest.raises(TypeError, match="must hold numbers"):
        fn(model, np.array([["a", "b", "c"]]))
    with pytest.raises(ValueError, match="no defined inputs yet.*keras.Input"):
        fn(keras.Sequential([keras.layers.Dense(2, activation="relu")]), batch())
