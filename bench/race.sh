#!/usr/bin/env bash
# The book's initialization race (three 784-100-100-100-100-10 ReLU nets,
# SGD lr 0.01, batch 128 with replacement, 2000 iterations) timed with
# initlab and with the plain NumPy reference, alternately, plus a large
# square sgemm for the machine's matrix-multiply throughput.
#
#   bench/race.sh [ROUNDS]          default 5 rounds
#
# Environment: DATA (default ../shared/data/mnist), REFERENCE (default
# ../shared/bench/numpy_reference.py). Needs python3 with numpy.
# initlab is timed as a whole process, data loading included; the NumPy
# reference reports its training loop only. Both record the loss of the
# forward pass that computed the gradient (--loss-before-update).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
data=${DATA:-../shared/data/mnist}
reference=${REFERENCE:-../shared/bench/numpy_reference.py}
python3 -c 'import numpy' 2>/dev/null || { echo "race.sh: needs numpy (pip install numpy)" >&2; exit 1; }
cargo build --release --quiet --bin initlab --example sgemm
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Wall seconds of a command, its output kept in $work/$1.
timed() {
  local name=$1; shift
  local start end
  start=$(date +%s.%N)
  "$@" > "$work/$name.out" 2> "$work/$name.err"
  end=$(date +%s.%N)
  python3 -c "print($end - $start)"
}

# The NumPy reference on its own terms: OpenBLAS tuning variables, set on
# some machines for old builds, slow a current NumPy down.
numpy() { env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3 "$reference" --data "$data" --loss-before-update "$@"; }

for round in $(seq "$rounds"); do
  echo "round $round of $rounds" >&2
  t=$(timed "initlab2-$round" ./target/release/initlab -q compare --data "$data" --out "$work/run2-$round")
  echo "initlab_2threads $t" >> "$work/times"
  t=$(timed "initlab1-$round" env RAYON_NUM_THREADS=1 ./target/release/initlab -q compare --data "$data" --out "$work/run1-$round")
  echo "initlab_1thread $t" >> "$work/times"
  timed "np64-$round" numpy > /dev/null
  echo "numpy_f64 $(sed -n 's/^training loop: \(.*\) s$/\1/p' "$work/np64-$round.out")" >> "$work/times"
  timed "np32-$round" numpy --float32 > /dev/null
  echo "numpy_f32 $(sed -n 's/^training loop: \(.*\) s$/\1/p' "$work/np32-$round.out")" >> "$work/times"
  for f in "$work"/run2-"$round"/summary.json "$work"/run1-"$round"/summary.json; do
    python3 -c 'import json,sys; print(sys.argv[2], json.load(open(sys.argv[1]))["training_ms"] / 1e3)' \
      "$f" "loop_$(basename "$(dirname "$f")" | cut -d- -f1)" >> "$work/times"
  done
done
./target/release/examples/sgemm 2048 2 10 > "$work/sgemm2"
./target/release/examples/sgemm 2048 1 10 > "$work/sgemm1"

python3 - "$work" <<'PY'
import statistics, sys, re
work = sys.argv[1]
times = {}
for line in open(f"{work}/times"):
    name, value = line.split()
    times.setdefault(name, []).append(float(value))
med = {k: statistics.median(v) for k, v in times.items()}
gflops = lambda f: float(re.search(r"([0-9.]+) GFLOP/s", open(f"{work}/{f}").read()).group(1))
peak2, peak1 = gflops("sgemm2"), gflops("sgemm1")
# Useful FLOPs of the race: 3 nets x 2000 steps x (forward x W, backward
# xT dout for every layer, dout WT for all but the first) x 2 per multiply-add.
sizes = [784, 100, 100, 100, 100, 10]
macs = sum((2 if l == 0 else 3) * 128 * a * b for l, (a, b) in enumerate(zip(sizes, sizes[1:])))
total = 3 * 2000 * 2 * macs
print(f"rounds: {len(times['numpy_f64'])}   (medians; seconds)")
for k in ["initlab_2threads", "initlab_1thread", "loop_run2", "loop_run1", "numpy_f64", "numpy_f32"]:
    print(f"  {k:18} {med[k]:7.3f}   all: {' '.join(f'{v:.2f}' for v in times[k])}")
print(f"speed-up, whole initlab process vs NumPy f64 loop: {med['numpy_f64'] / med['initlab_2threads']:.2f}x")
print(f"speed-up, whole initlab process vs NumPy f32 loop: {med['numpy_f32'] / med['initlab_2threads']:.2f}x")
print(f"initlab 2 threads vs 1 (training loop): {med['loop_run1'] / med['loop_run2']:.2f}x")
print(f"useful work: {total / 1e9:.0f} GFLOP")
print(f"initlab training loop: {total / med['loop_run2'] / 1e9:.1f} GFLOP/s on 2 threads, "
      f"{total / med['loop_run1'] / 1e9:.1f} on 1")
print(f"sgemm 2048: {peak2:.1f} GFLOP/s on 2 threads, {peak1:.1f} on 1")
print(f"training loop / sgemm: {total / med['loop_run2'] / 1e9 / peak2:.0%} (2 threads), "
      f"{total / med['loop_run1'] / 1e9 / peak1:.0%} (1 thread)")
PY
