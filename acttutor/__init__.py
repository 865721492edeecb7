"""acttutor: helpers for the course "Activation Functions in TensorFlow".

The chapters import this package for plotting, data, training, diagnostics
and the exercise checkers, so that a notebook shows only the lines that teach.

Example:

>>> import acttutor
>>> acttutor.setup(seed=0)
"""

from __future__ import annotations

import logging
import os
import random
import warnings

from acttutor.prose import glue_values  # a chapter's computed values, for its prose

__version__ = "0.1.0"
__all__ = ["setup", "glue_values", "__version__", "PALETTE"]

#: The Okabe–Ito colours, distinguishable with the common forms of colour blindness.
PALETTE: tuple[str, ...] = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#F0E442",  # yellow
    "#000000",  # black
)

# Quiet TensorFlow's C++ logging for anything imported after acttutor.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

# Capture NumPy's functions now, before any learner code can replace them: the
# exercise checkers compute their reference values with these.
from acttutor.exercises import references as _references  # noqa: E402, F401

# acttutor.progress() shows the learner's saved progress (this binds the function
# over the submodule's name).
from acttutor.progress import progress  # noqa: E402, F401


def _style_matplotlib() -> None:
    import matplotlib as mpl
    from cycler import cycler

    mpl.rcParams.update(
        {
            "axes.prop_cycle": cycler(color=list(PALETTE)),
            "figure.figsize": (6.4, 4.0),
            "figure.dpi": 100,
            "savefig.dpi": 100,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "lines.linewidth": 2.0,
            "legend.frameon": False,
        }
    )


def _show_figures_as_png() -> None:
    """Make IPython display a returned Figure as a PNG, whatever the matplotlib backend.

    Under a non-interactive backend (``MPLBACKEND=Agg``), IPython would otherwise show
    only ``<Figure size ...>``.
    """
    try:
        from IPython import get_ipython
    except ImportError:  # plain Python: nothing to display into
        return
    if get_ipython() is None:
        return
    from matplotlib_inline.backend_inline import set_matplotlib_formats

    set_matplotlib_formats("png")


def _quiet_tensorflow() -> None:
    import absl.logging
    import tensorflow as tf

    tf.get_logger().setLevel(logging.ERROR)
    absl.logging.set_verbosity(absl.logging.ERROR)
    # Keras 3 still triggers a few library-internal deprecation notices that
    # say nothing about the reader's code.
    warnings.filterwarnings(
        "ignore", category=DeprecationWarning, module=r"(tensorflow|keras|google)\b.*"
    )


def setup(seed: int = 0) -> None:
    """Prepare a notebook: seeds, plot style and quiet TensorFlow logs.

    Seeds Python's ``random``, NumPy and TensorFlow together through
    ``keras.utils.set_random_seed``, turns on TensorFlow's op determinism so
    that a rerun gives the same numbers, applies a colour-blind-safe plot
    style (:data:`PALETTE`), and lowers TensorFlow's Python logging to errors.

    Example:

    >>> import acttutor
    >>> acttutor.setup(seed=42)

    Args:
        seed: The seed for Python, NumPy and TensorFlow.

    Returns:
        None.
    """
    from acttutor import _checks

    seed = _checks.seed(seed, caller="setup")
    import keras
    import tensorflow as tf

    _quiet_tensorflow()
    random.seed(seed)
    keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()
    _style_matplotlib()
    _show_figures_as_png()
    from acttutor.a11y import enable_alt_text

    enable_alt_text()
