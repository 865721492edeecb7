"""What this copy of the course ran on: library versions, devices and the data source.

The book's "About this build" page calls :func:`build_info` so that the versions it
states are the versions that executed the notebooks, not numbers typed into the prose.

Example:

>>> from acttutor.about import versions
>>> "TensorFlow" in versions()
True
"""

from __future__ import annotations

import html
import importlib.metadata
import os
import platform
from dataclasses import dataclass, field
from datetime import UTC, datetime

__all__ = ["BuildInfo", "build_info", "devices", "versions"]

#: Distributions reported besides the core libraries (shown only when installed).
OPTIONAL_DISTRIBUTIONS: tuple[tuple[str, str], ...] = (
    ("scikit-learn", "scikit-learn"),
    ("Jupyter Book", "jupyter-book"),
    ("MyST-NB", "myst-nb"),
)


def versions() -> dict[str, str]:
    """Return the versions of Python and the libraries the course uses.

    TensorFlow, Keras, NumPy and matplotlib are imported and asked for their
    ``__version__``, so the answer is what this process really runs. Optional
    tools (scikit-learn, Jupyter Book, MyST-NB) are read from the installed
    package metadata and left out when they are not installed.

    Example:

    >>> v = versions()
    >>> v["Python"] == ".".join(map(str, __import__("sys").version_info[:3]))
    True

    Returns:
        A dict from a library's display name to its version string.
    """
    import keras
    import matplotlib
    import numpy as np
    import tensorflow as tf

    import acttutor

    found = {
        "Python": platform.python_version(),
        "TensorFlow": tf.__version__,
        "Keras": keras.__version__,
        "NumPy": np.__version__,
        "matplotlib": matplotlib.__version__,
        "acttutor": acttutor.__version__,
    }
    for label, dist in OPTIONAL_DISTRIBUTIONS:
        try:
            found[label] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            continue
    return found


def devices() -> list[str]:
    """Return the devices TensorFlow can compute on, such as ``["CPU"]``.

    Example:

    >>> "CPU" in devices()
    True

    Returns:
        One entry per physical device: its type, with a count when there are several.
    """
    import tensorflow as tf

    kinds = [d.device_type for d in tf.config.list_physical_devices()]
    return [kind if kinds.count(kind) == 1 else f"{kind} x{kinds.count(kind)}"
            for kind in dict.fromkeys(kinds)]


@dataclass(frozen=True)
class BuildInfo:
    """A summary of the environment that executed a notebook; shows itself as a table.

    Example:

    >>> info = BuildInfo({"Python": "3.11.7"}, "mnist-10k.npz", ("CPU",), "Linux", "today")
    >>> info.rows()[0]
    ('Python', '3.11.7')
    >>> info.data_kind
    'real MNIST digits'

    Args:
        versions: Library name to version, as from :func:`versions`.
        data_source: What :func:`acttutor.data.load_mnist` loaded (its ``source``).
        devices: Devices TensorFlow saw, as from :func:`devices`.
        platform: The operating system and machine, from ``platform.platform()``.
        executed_at: When the information was gathered (UTC, to the minute).
        cpu_count: Logical CPU cores of the machine.
    """

    versions: dict[str, str]
    data_source: str
    devices: tuple[str, ...]
    platform: str
    executed_at: str
    cpu_count: int | None = field(default=None)

    def rows(self) -> list[tuple[str, str]]:
        """Return the summary as ``(label, value)`` pairs, in display order.

        Returns:
            The versions first, then the devices, the platform, the data source and the time.
        """
        rows = list(self.versions.items())
        cores = f" ({self.cpu_count} CPU cores)" if self.cpu_count else ""
        rows += [
            ("Devices", ", ".join(self.devices) + cores),
            ("Platform", self.platform),
            ("MNIST data source", self.data_source),
            ("Executed at", self.executed_at),
        ]
        return rows

    @property
    def data_kind(self) -> str:
        """What kind of digits the chapters trained on, in words.

        ``"real MNIST digits"``, or, when :attr:`data_source` names the offline
        stand-in, a phrase saying that it is not MNIST.
        """
        if "offline stand-in" in self.data_source:
            return "the offline stand-in (scikit-learn digits enlarged to 28×28, not MNIST)"
        return "real MNIST digits"

    def __str__(self) -> str:
        width = max(len(label) for label, _ in self.rows())
        return "\n".join(f"{label:<{width}}  {value}" for label, value in self.rows())

    def _repr_html_(self) -> str:
        body = "".join(
            f"<tr><th scope='row' style='text-align:left'>{html.escape(label)}</th>"
            f"<td style='text-align:left'>{html.escape(value)}</td></tr>"
            for label, value in self.rows()
        )
        return (
            "<table class='acttutor-build-info'><thead><tr><th>What</th><th>Value</th>"
            f"</tr></thead><tbody>{body}</tbody></table>"
        )


def build_info(data_source: str | None = None) -> BuildInfo:
    """Gather the versions, devices and data source of this environment.

    Example:

    >>> info = build_info(data_source="a file I named")
    >>> info.data_source
    'a file I named'

    Args:
        data_source: What the notebooks' data came from. By default this calls
            :func:`acttutor.data.load_mnist` and takes its ``source``: the same search
            (argument, ``ACTTUTOR_MNIST_PATH``, Keras, offline stand-in) that the
            chapters make in this environment.

    Returns:
        A :class:`BuildInfo`, which a notebook shows as a table.
    """
    if data_source is None:
        from acttutor.data import load_mnist

        data_source = load_mnist().source
    if not isinstance(data_source, str):
        raise TypeError(f"build_info(data_source=...) takes a string, got {data_source!r}.")
    return BuildInfo(
        versions=versions(),
        data_source=data_source,
        devices=tuple(devices()),
        platform=platform.platform(terse=True),
        executed_at=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        cpu_count=os.cpu_count(),
    )


if __name__ == "__main__":  # pragma: no cover - `python -m acttutor.about`
    print(build_info())
