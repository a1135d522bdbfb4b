#!/usr/bin/env bash
# How the training loop's time scales with iterations, batch size, hidden
# width, depth and threads, beside what the FLOP count predicts. Three
# arms (the book's), one seed, the shared MNIST; the time is the training
# loop's (summary.json's training_ms), the median of ROUNDS runs.
#
#   bench/scaling.sh [ROUNDS]       default 3
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
data=${DATA:-../shared/data/mnist}
cargo build --release --quiet --bin initlab
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# run NAME THREADS ITERATIONS BATCH HIDDEN: median training ms of ROUNDS runs
run() {
  local name=$1 threads=$2 iterations=$3 batch=$4 hidden=$5
  for r in $(seq "$rounds"); do
    RAYON_NUM_THREADS=$threads ./target/release/initlab -q compare --data "$data" \
      --iterations "$iterations" --batch-size "$batch" --hidden-sizes "$hidden" \
      --diagnose-every 0 --out "$work/$name-$r" > /dev/null
    python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["training_ms"])' \
      "$work/$name-$r/summary.json"
  done | sort -g | awk -v name="$name" -v t="$threads" -v i="$iterations" -v b="$batch" -v h="$hidden" \
    '{a[NR]=$1} END {print name, t, i, b, h, a[int((NR+1)/2)]}' >> "$work/results"
}

run base        2 2000 128 100,100,100,100
run iter500     2 500  128 100,100,100,100
run iter1000    2 1000 128 100,100,100,100
run iter4000    2 4000 128 100,100,100,100
run batch32     2 2000 32  100,100,100,100
run batch64     2 2000 64  100,100,100,100
run batch256    2 2000 256 100,100,100,100
run width50     2 2000 128 50,50,50,50
run width200    2 2000 128 200,200,200,200
run width400    2 500  128 400,400,400,400
run depth2      2 2000 128 100,100
run depth8      2 2000 128 100,100,100,100,100,100,100,100
run threads1    1 2000 128 100,100,100,100

python3 - "$work/results" <<'PY'
import sys
rows = [line.split() for line in open(sys.argv[1])]
def flops(iterations, batch, hidden):
    sizes = [784] + [int(h) for h in hidden.split(",")] + [10]
    macs = sum((2 if l == 0 else 3) * batch * a * b for l, (a, b) in enumerate(zip(sizes, sizes[1:])))
    return 3 * iterations * 2 * macs
base = next(r for r in rows if r[0] == "base")
base_ms, base_flops = float(base[5]), flops(int(base[2]), int(base[3]), base[4])
print(f"{'run':10} {'thr':>3} {'iter':>5} {'batch':>5} {'hidden':>32} {'ms':>8} {'x base':>7} {'FLOP x':>7} {'GFLOP/s':>8}")
for name, threads, it, batch, hidden, ms in rows:
    f = flops(int(it), int(batch), hidden)
    ms = float(ms)
    print(f"{name:10} {threads:>3} {it:>5} {batch:>5} {hidden:>32} {ms:8.0f} {ms / base_ms:7.2f} "
          f"{f / base_flops:7.2f} {f / ms / 1e6:8.1f}")
PY
