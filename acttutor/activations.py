"""The activation catalog: every function in ``keras.activations``, with its properties.

``CATALOG`` maps each public name of ``keras.activations`` (except
``serialize``, ``deserialize`` and ``get``) to an :class:`Activation`.
Properties such as the output range are computed from the function itself.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import tensorflow as tf

__all__ = ["derivative", "resolve"]

TensorFn = Callable[[tf.Tensor], tf.Tensor]


def derivative(fn: TensorFn, x: np.ndarray | tf.Tensor) -> np.ndarray:
    """Return the element-wise derivative ``dfn/dx`` at every point of ``x``.

    Uses ``tf.GradientTape``: because ``fn`` acts element by element, the
    gradient of ``sum(fn(x))`` with respect to ``x`` is exactly ``fn'(x)``.

    Example:

    >>> import numpy as np, tensorflow as tf
    >>> derivative(tf.nn.relu, np.array([-1.0, 2.0]))
    array([0., 1.], dtype=float32)

    Args:
        fn: An element-wise function of one tensor.
        x: Points at which to evaluate the derivative.

    Returns:
        A NumPy array of the same shape as ``x``.
    """
    xt = tf.convert_to_tensor(x, dtype=tf.float32)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        y = fn(xt)
    grad = tape.gradient(y, xt)
    if grad is None:  # fn ignores x entirely (a constant): its derivative is 0
        return np.zeros(xt.shape, dtype=np.float32)
    return grad.numpy()


def resolve(fn_or_name: str | TensorFn) -> tuple[str, TensorFn]:
    """Turn a name or a callable into ``(display_name, fn)``.

    Names are looked up in :data:`CATALOG` when it exists, then in
    ``keras.activations``.

    Example:

    >>> name, fn = resolve("relu")
    >>> name
    'relu'

    Args:
        fn_or_name: An activation name such as ``"relu"``, or a callable.

    Returns:
        A pair of a display name and a function of one tensor.
    """
    if callable(fn_or_name):
        return getattr(fn_or_name, "__name__", type(fn_or_name).__name__), fn_or_name
    if not isinstance(fn_or_name, str):
        raise TypeError(
            f"Expected an activation name or a callable, got {type(fn_or_name).__name__}."
        )
    catalog = globals().get("CATALOG")
    if catalog is not None and fn_or_name in catalog:
        return fn_or_name, catalog[fn_or_name].fn
    import keras

    try:
        return fn_or_name, keras.activations.get(fn_or_name)
    except (ValueError, TypeError) as exc:
        raise ValueError(
            f"Unknown activation {fn_or_name!r}. Use a name from keras.activations, "
            "such as 'relu', 'sigmoid' or 'tanh', or pass a function."
        ) from exc
