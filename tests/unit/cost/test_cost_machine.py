"""acttutor.cost.machine: the last-level cache size and the sentence built from it."""

from __future__ import annotations

from acttutor.cost.machine import cache_verdict, last_level_cache_bytes


def test_last_level_cache_bytes_reads_the_largest_level(tmp_path):
    for name, level, size in [("index0", 1, "48K"), ("index2", 2, "1024K"),
                              ("index3", 3, "32768K"), ("index9", "x", "1G")]:
        folder = tmp_path / name
        folder.mkdir()
        (folder / "level").write_text(f"{level}\n")
        (folder / "size").write_text(f"{size}\n")
    assert last_level_cache_bytes(str(tmp_path)) == 32 * 2**20
    assert last_level_cache_bytes(str(tmp_path / "missing")) is None
    real = last_level_cache_bytes()
    assert real is None or real > 0


def test_cache_verdict_compares_the_bytes_with_the_cache():
    assert cache_verdict(64 * 2**20, cache=32 * 2**20).startswith(
        "input and output together (64 MiB) are larger than this machine's last-level cache "
        "(32 MiB)")
    assert "fit in this machine's last-level cache (32 MiB)" in cache_verdict(
        8 * 2**20, cache=32 * 2**20)
    assert isinstance(cache_verdict(8), str)
