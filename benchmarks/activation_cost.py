"""What each element-wise activation costs, as a ratio to a plain memory copy.

Times every element-wise function of ``acttutor.activations.CATALOG`` (aliases
once) on one large float32 tensor, forward and forward + backward, against the
fastest of three real copies (``acttutor.cost.COPIES``) timed in the same
rounds, and prints one row per function: the ratios, the number of eager
kernels, their memory traffic in copies, and the memory-/compute-bound verdict
of ``acttutor.cost.classify``. With ``--fused`` (the default) it also times each
function compiled by XLA (``tf.function(jit_compile=True)``) against the same floor.

This is the full-size version of the book chapter ``book/cost.ipynb``, which
measures the same things on a tensor half this size to keep the build fast.

Usage (from the repository root)::

    .venv/bin/python benchmarks/activation_cost.py               # 2**24 values, 1 thread
    .venv/bin/python benchmarks/activation_cost.py --threads 0   # TensorFlow's default threads
    .venv/bin/python benchmarks/activation_cost.py --clock wall --json out.json

Speed claims are ratios: seconds depend on the machine, ratios much less.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

CLOCKS = {"cpu": time.process_time, "wall": time.perf_counter}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=2**24,
                        help="float32 values in the tensor (default 2**24 = 64 MiB)")
    parser.add_argument("--repeats", type=int, default=9, help="timed rounds (default 9)")
    parser.add_argument("--threads", type=int, default=1,
                        help="TensorFlow intra-op threads; 0 = TensorFlow's default (all cores)")
    parser.add_argument("--clock", choices=sorted(CLOCKS), default="cpu",
                        help="cpu: process CPU time (default, robust on a shared machine); "
                             "wall: elapsed time")
    parser.add_argument("--no-fused", dest="fused", action="store_false",
                        help="skip the XLA-compiled timings")
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    args = parser.parse_args(argv)
    if args.size < 1 or args.repeats < 1 or args.threads < 0:
        parser.error("--size and --repeats must be positive and --threads non-negative")
    return args


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table."""
    args = parse_args(argv)
    import tensorflow as tf

    # Thread settings only take effect before TensorFlow runs its first op.
    if args.threads:
        tf.config.threading.set_intra_op_parallelism_threads(args.threads)
    import acttutor
    from acttutor.cost import (
        MEMORY_BOUND_MAX,
        elementwise_activations,
        measure_costs,
        ratios_to_floor,
    )

    acttutor.setup()
    clock = CLOCKS[args.clock]
    fns = elementwise_activations()
    started = time.perf_counter()
    table = measure_costs(fns, size=args.size, repeats=args.repeats, clock=clock)
    fused: dict[str, float] = {}
    if args.fused:
        x = 3.0 * tf.random.stateless_normal([args.size], seed=[0, 0])
        compiled = {f"{r.name} (XLA)": tf.function(fns[r.name], jit_compile=True)
                    for r in table.rows}
        measured = ratios_to_floor(compiled, x, repeats=args.repeats, clock=clock).ratios
        fused = {r.name: measured[f"{r.name} (XLA)"] for r in table.rows}
    seconds = time.perf_counter() - started

    threads = args.threads or f"default ({os.cpu_count()} cores)"
    print(f"acttutor activation cost: {args.size:,} float32 values "
          f"({args.size * 4 / 2**20:.0f} MiB), {args.repeats} rounds, "
          f"{args.clock} clock, intra-op threads: {threads}")
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs; "
          f"TensorFlow {tf.__version__}; Python {sys.version.split()[0]}")
    print(f"floor (fastest copy): {table.floor_seconds() * 1e3:.2f} ms per pass, "
          f"{table.copy_bandwidth_gb_s():.1f} GB/s read + write; "
          + ", ".join(f"{n} {s * 1e3:.2f} ms" for n, s in table.copy_seconds["forward"].items()))
    print(f"control (floor timed again / floor): {table.control['forward']:.2f} forward, "
          f"{table.control['forward_backward']:.2f} forward + backward")
    print()
    head = (f"{'activation':<15} {'forward':>8} {'fwd+bwd':>8} {'kernels':>8} {'traffic':>8} "
            f"{'fwd/traffic':>11} {'bound':>8}" + (f" {'XLA fwd':>8}" if fused else ""))
    print(head)
    print("-" * len(head))
    for r in table.rows:
        line = (f"{r.name:<15} {r.forward:8.2f} {r.forward_backward:8.2f} {len(r.kernels):8d} "
                f"{r.traffic:8.2f} {r.per_traffic:11.2f} {r.bound:>8}")
        if fused:
            line += f" {fused[r.name]:8.2f}"
        print(line)
    for name, why in table.skipped.items():
        print(f"{name:<15} not timed: {why}")
    print()
    print(f"rule: memory-bound if forward <= {MEMORY_BOUND_MAX} x traffic, else compute-bound")
    for bound in ("memory", "compute"):
        names = [r.name for r in table.rows if r.bound == bound]
        print(f"{bound}-bound ({len(names)}): {', '.join(names)}")
    print(f"\nmeasured in {seconds:.1f} s")

    if args.json:
        payload = {
            "size": args.size, "repeats": args.repeats, "threads": args.threads,
            "clock": args.clock, "tensorflow": tf.__version__, "cpus": os.cpu_count(),
            "floor_seconds": table.floor_seconds(), "control": table.control,
            "rows": [{"name": r.name, "forward": r.forward,
                      "forward_backward": r.forward_backward, "kernels": list(r.kernels),
                      "traffic": r.traffic, "bound": r.bound,
                      "fused": fused.get(r.name)} for r in table.rows],
            "skipped": table.skipped,
        }
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(payload, fh, indent=1)
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
