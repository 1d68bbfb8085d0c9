#!/usr/bin/env python3
"""Time shell commands side by side: each round runs every command once, in turn, so machine noise
hits them alike. Prints percentiles of each and the median of its per-round ratio to the first.

usage: python3 bench/compare-commands.py ROUNDS 'label::command' 'label::command' ...
"""
import statistics
import subprocess
import sys
import time

if len(sys.argv) < 3:
    sys.exit(__doc__)
rounds = int(sys.argv[1])
commands = [argument.split('::', 1) for argument in sys.argv[2:]]
times = {label: [] for label, _ in commands}
for _ in range(rounds):
    for label, command in commands:
        started = time.perf_counter()
        subprocess.run(command, shell=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times[label].append((time.perf_counter() - started) * 1000)
first = commands[0][0]
for label, _ in commands:
    ordered = sorted(times[label])
    at = lambda share: ordered[int(share * (len(ordered) - 1))]
    paired = statistics.median(a / b for a, b in zip(times[label], times[first]))
    print(f'{label:14s} p10 {at(0.1):6.0f} ms  median {at(0.5):6.0f} ms  paired ratio to {first}: {paired:.2f}x')
