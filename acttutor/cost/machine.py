"""This machine's caches: does the timed tensor really go to main memory?

:func:`~acttutor.cost.machine.last_level_cache_bytes` reads the size of the CPU's
largest cache and :func:`~acttutor.cost.machine.cache_verdict` turns it into the
sentence the cost chapter prints: a tensor pair larger than the cache makes
every pass go to main memory, so the floor is main memory's speed.

Example:

>>> cache_verdict(64 * 2**20, cache=32 * 2**20).endswith("really goes to main memory")
True
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["cache_verdict", "last_level_cache_bytes"]


def last_level_cache_bytes(root: str = "/sys/devices/system/cpu/cpu0/cache") -> int | None:
    """Return the size of this CPU's largest cache in bytes, or ``None`` if unknown.

    Reads Linux's ``/sys/devices/system/cpu/cpu0/cache``; other systems give
    ``None``. A tensor pair (input and output) larger than this cannot stay
    in the cache, so every pass over it goes to main memory.

    Example:

    >>> size = last_level_cache_bytes()
    >>> size is None or size > 0
    True

    Args:
        root: The folder describing CPU 0's caches (one ``index*`` folder per cache).

    Returns:
        The size in bytes, or ``None``.
    """
    best: tuple[int, int] | None = None
    for index in sorted(Path(root).glob("index*")):
        try:
            level = int((index / "level").read_text().strip())
            text = (index / "size").read_text().strip().upper()
        except (OSError, ValueError):
            continue
        units = {"K": 2**10, "M": 2**20, "G": 2**30}
        try:
            size = int(text[:-1]) * units[text[-1]] if text[-1] in units else int(text)
        except ValueError:
            continue
        if best is None or level > best[0]:
            best = (level, size)
    return best[1] if best else None


def cache_verdict(nbytes: int, cache: int | None = None) -> str:
    """Say whether ``nbytes`` of tensors fit in the last-level cache, as a sentence part.

    Example:

    >>> cache_verdict(64 * 2**20, cache=32 * 2**20)[:46]
    'input and output together (64 MiB) are larger '

    Args:
        nbytes: Bytes the timed op touches (input and output together).
        cache: Cache size in bytes; :func:`last_level_cache_bytes` by default.

    Returns:
        A phrase such as "input and output together (64 MiB) are larger than this
        machine's last-level cache (32 MiB), so every pass really goes to main memory".
    """
    if cache is None:
        cache = last_level_cache_bytes()
    if cache is None:
        return "this system does not report its cache size, so we cannot check here"
    size = f"input and output together ({nbytes / 2**20:.0f} MiB)"
    if nbytes > cache:
        return (f"{size} are larger than this machine's last-level cache "
                f"({cache / 2**20:.0f} MiB), so every pass really goes to main memory")
    return (f"{size} fit in this machine's last-level cache ({cache / 2**20:.0f} MiB), so "
            "the floor here is the cache's speed, not main memory's")
