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


def test_depth_profile_relu_he_keeps_variance_and_glorot_halves_it():
    from acttutor.diagnostics.propagation import depth_profile

    he = depth_profile("relu", "he_normal", depth=10, width=256, n=128)
    glorot = depth_profile("relu", "glorot_normal", depth=10, width=256, n=128)
    assert {len(v) for v in he.values()} == {10}
    # The input acts as layer 0's pre-activations: every layer sees relu's output.
    assert he["pre_var"][0] == pytest.approx(1.0, rel=0.15)
    assert 0.5 < he["pre_var"][-1] < 2.0
    # g^2 E[relu(z)^2] = 1/2 per layer: 2^-9 after layer 1 (the input has variance 1)
    assert glorot["pre_var"][-1] / glorot["pre_var"][0] == pytest.approx(2.0**-9, rel=0.5)
    assert glorot["grad_var"][0] < 0.05 * he["grad_var"][0]


def test_depth_profile_gain_and_input_statistics():
    from acttutor.diagnostics.propagation import depth_profile

    p = depth_profile("linear", 2.0, depth=1, width=256, n=256, input_mean=0.0, input_std=3.0)
    assert p["pre_var"][0] == pytest.approx(4.0 * 9.0, rel=0.15)  # g^2 * input variance
    assert p["grad_var"][0] == pytest.approx(1.0, rel=0.15)  # linear top layer: the readout
    assert p["post_var"] == p["pre_var"]


def test_depth_profile_rejects_bad_input():
    from acttutor.diagnostics.propagation import depth_profile

    with pytest.raises(ValueError, match="positive gain"):
        depth_profile("relu", -1.0, depth=2, width=4, n=4)
    with pytest.raises(ValueError, match="activation name"):
        depth_profile("not_an_activation", depth=2, width=4, n=4)


def test_measured_correlation_follows_the_theory():
    from acttutor.diagnostics.meanfield import correlation_map
    from acttutor.diagnostics.propagation import measured_correlation

    linear = measured_correlation("linear", 1.0, c0=0.3, depth=3, width=1000)
    assert len(linear) == 4 and all(abs(c - 0.3) < 0.15 for c in linear)
    measured = measured_correlation("tanh", 1.0, 0.05, c0=0.5, depth=15, width=1000)
    theory = correlation_map("tanh", 1.0, 0.05, c0=0.5, depth=15)
    assert measured[-1] == pytest.approx(theory[-1], abs=0.05)
    with pytest.raises(ValueError, match="c0"):
        measured_correlation("tanh", 1.0, c0=1.5)
