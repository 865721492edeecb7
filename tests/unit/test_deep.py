"""acttutor.deep: 100-layer MLPs, plain or residual with LayerNorm, and their verdict."""

from __future__ import annotations

import numpy as np
import pytest

from acttutor.data import Dataset
from acttutor.deep import DeepRun, depth_verdict, train_deep_stack


def _easy_data() -> Dataset:
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 2, 256)
    x = rng.random((256, 784)).astype("float32") * 0.1
    x[:, 0] = labels  # the class is written in the first pixel
    y = np.eye(2, dtype="float32")[labels]
    return Dataset(x, y, x, y, "easy")


@pytest.mark.parametrize("residual", [False, True])
def test_a_shallow_stack_learns_an_easy_task(residual: bool) -> None:
    run = train_deep_stack(_easy_data(), depth=2, width=16, residual=residual, epochs=8,
                           learning_rate=1e-2)
    assert run.test_acc > 0.9
    assert len(run.losses) == 8 and run.losses[-1] < run.losses[0]
    assert run.settings["residual"] is residual and run.settings["data"] == "easy"


def test_bad_input_gets_a_clear_message() -> None:
    with pytest.raises(TypeError, match="Dataset"):
        train_deep_stack("data", depth=2)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="depth"):
        train_deep_stack(_easy_data(), depth=0)


def test_depth_verdict_rule() -> None:
    def run(acc: float) -> DeepRun:
        return DeepRun(acc, [1.0], 1.0)

    assert "plain stack did not train" in depth_verdict(run(0.12), run(0.9))
    assert "residual one trained (90%)" in depth_verdict(run(0.12), run(0.9))
    assert "trained only partly" in depth_verdict(run(0.3), run(0.5))
    assert depth_verdict(run(0.5), run(0.5)).startswith("the plain stack trained")
    with pytest.raises(TypeError, match="DeepRun"):
        depth_verdict(0.1, run(0.9))  # type: ignore[arg-type]
