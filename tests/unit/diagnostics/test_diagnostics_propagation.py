"""acttutor.diagnostics.propagation: signal statistics through a deep stack at initialisation."""

from __future__ import annotations

import pytest


def test_signal_statistics_shapes_and_known_behaviour():
    from acttutor.diagnostics import signal_statistics

    selu = signal_statistics("selu", "lecun_normal", depth=8, width=128, n=256)
    assert {len(v) for v in selu.values()} == {8}
    assert abs(selu["std"][-1] - 1.0) < 0.15 and abs(selu["mean"][-1]) < 0.1
    he = signal_statistics("relu", "he_normal", depth=8, width=128, n=256)
    glorot = signal_statistics("relu", "glorot_normal", depth=8, width=128, n=256)
    assert glorot["std"][-1] < 0.2 * he["std"][-1]
    assert he["grad_std"][-1] == pytest.approx(1.0, rel=0.1)  # the readout's own size
    again = signal_statistics("relu", "he_normal", depth=8, width=128, n=256)
    assert again == he  # seeded: reproducible


def test_signal_statistics_rejects_bad_input():
    from acttutor.diagnostics import signal_statistics

    with pytest.raises(ValueError, match="depth"):
        signal_statistics("relu", depth=0)
    with pytest.raises(ValueError, match="Unknown initializer"):
        signal_statistics("relu", "not_an_initializer", depth=2, width=4, n=4)
    with pytest.raises(ValueError, match="takes no seed"):
        signal_statistics("relu", "zeros", depth=2, width=4, n=4)
