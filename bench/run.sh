#!/usr/bin/env bash
# The benchmark of issue 12: backbone end to end (charts and PDF included) on large seeded
# exports of the bundled instrument, against two pandas + scipy scripts (bench/reference.py,
# straightforward; bench/reference_fast.py, categoricals and numpy as a pandas hand would), with
# the numbers of all three checked to agree to 1e-9; the ratio printed is to the faster script.
# Writes bench/results.md.
#
#   bench/run.sh [SIZES...]        # default: S M L
#
# S = 200 respondents x 3 waves, M = 20,000 x 5, L = 200,000 x 5 (45 items each).
# Exports are written once to $BENCH_DIR (default /tmp/backbone-bench), never committed.
# Builds release once (CARGO_TARGET_DIR is honoured). Needs python3 with pandas and scipy,
# and GNU time (/usr/bin/time -v) for peak memory.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
bench=${BENCH_DIR:-/tmp/backbone-bench}
target=${CARGO_TARGET_DIR:-$root/target}
sizes=("${@:-S M L}")
read -r -a sizes <<<"${sizes[*]}"

cd "$root"
cargo build --release --quiet --bin backbone --example bench-exports --example stage-times
bin=$target/release/backbone
examples=$target/release/examples

declare -A respondents=([S]=200 [M]=20000 [L]=200000)
declare -A waves=([S]=3 [M]=5 [L]=5)
declare -A runs=([S]=7 [M]=5 [L]=3)
declare -A ref_runs=([S]=3 [M]=3 [L]=1)
declare -A stage_runs=([S]=5 [M]=3 [L]=1)

# median of the numbers on stdin
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# runs "$@" under GNU time; prints "wall_seconds peak_kib cpu_seconds"
timed() {
    local log
    log=$(mktemp)
    /usr/bin/time -v "$@" >/dev/null 2>"$log"
    awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,t,":"); s=0; for(i=1;i<=n;i++) s=s*60+t[i]; w=s}
                /User time/ {c+=$2} /System time/ {c+=$2}
                /Maximum resident set size/ {m=$2} END {print w, m, c}' "$log"
    rm -f "$log"
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
rows=()
stage_rows=()
checks=()
for size in "${sizes[@]}"; do
    dir=$bench/$size
    n=${respondents[$size]}
    w=${waves[$size]}
    if [[ ! -f $dir/backbone.toml ]]; then
        echo "generating $size: $n respondents x $w waves in $dir"
        "$examples/bench-exports" "$dir" "$n" "$w" plain >/dev/null
    fi
    bytes=$(cat "$dir"/*.csv | wc -c)

    echo "== $size: backbone, ${runs[$size]} runs"
    walls=() peaks=() cpus=()
    for _ in $(seq "${runs[$size]}"); do
        read -r wall peak cpu < <(timed "$bin" run --config "$dir/backbone.toml" --out "$dir/reports")
        walls+=("$wall") peaks+=("$peak") cpus+=("$cpu")
    done
    bb_wall=$(printf '%s\n' "${walls[@]}" | median)
    bb_cpu=$(printf '%s\n' "${cpus[@]}" | median)
    bb_peak=$(printf '%s\n' "${peaks[@]}" | sort -g | tail -1)

    echo "== $size: per stage"
    stages=$("$examples/stage-times" "$dir/backbone.toml" --runs "${stage_runs[$size]}" --dump "$dir/dump" --out "$dir/stage-reports")
    echo "$stages"
    stage_rows+=("| $size | $(echo "$stages" | awk '/ ms$/ {printf "%s | ", $2}')")
    cells=$(echo "$stages" | awk '/answer cells/ {print $3}')

    echo "== $size: reference, ${ref_runs[$size]} runs"
    walls=() peaks=() cpus=()
    for _ in $(seq "${ref_runs[$size]}"); do
        read -r wall peak cpu < <(timed python3 bench/reference.py "$dir" "$dir/reference")
        walls+=("$wall") peaks+=("$peak") cpus+=("$cpu")
    done
    ref_wall=$(printf '%s\n' "${walls[@]}" | median)
    ref_cpu=$(printf '%s\n' "${cpus[@]}" | median)
    ref_peak=$(printf '%s\n' "${peaks[@]}" | sort -g | tail -1)

    echo "== $size: fast reference, ${ref_runs[$size]} runs"
    walls=() peaks=() cpus=()
    for _ in $(seq "${ref_runs[$size]}"); do
        read -r wall peak cpu < <(timed python3 bench/reference_fast.py "$dir" "$dir/reference-fast")
        walls+=("$wall") peaks+=("$peak") cpus+=("$cpu")
    done
    fast_wall=$(printf '%s\n' "${walls[@]}" | median)
    fast_cpu=$(printf '%s\n' "${cpus[@]}" | median)
    fast_peak=$(printf '%s\n' "${peaks[@]}" | sort -g | tail -1)

    check=$(python3 bench/compare.py "$dir/dump" "$dir/reference" 1e-9 || true)
    fast_check=$(python3 bench/compare.py "$dir/dump" "$dir/reference-fast" 1e-9 || true)
    echo "$check / fast: $fast_check"
    checks+=("- $size: reference.py: $check; reference_fast.py: $fast_check")
    rows+=("$(awk -v s="$size" -v n="$n" -v w="$w" -v c="$cells" -v b="$bytes" -v bw="$bb_wall" -v bp="$bb_peak" \
        -v bc="$bb_cpu" -v rw="$ref_wall" -v rp="$ref_peak" -v rc="$ref_cpu" \
        -v fw="$fast_wall" -v fp="$fast_peak" -v fc="$fast_cpu" 'BEGIN {
        best = (fw < rw) ? fw : rw
        printf "| %s | %d x %d | %.2fM | %.1f MiB | %.2f s | %.2f s | %.0f MiB | %.1fM/s | %.2f s | %.2f s | %.0f MiB | %.2f s | %.2f s | %.0f MiB | %.1fx |",
            s, n, w, c/1e6, b/1048576, bw, bc, bp/1024, c/bw/1e6, rw, rc, rp/1024, fw, fc, fp/1024, best/bw }')")
done

# Notes kept by hand below this marker survive a new run.
marker='<!-- notes: kept by bench/run.sh -->'
notes=""
if [[ -f bench/results.md ]] && grep -qF "$marker" bench/results.md; then
    notes=$(sed -n "/$marker/,\$p" bench/results.md)
fi

{
    echo "# Benchmark results"
    echo
    echo "Written by \`bench/run.sh\` on $(date -u +%Y-%m-%d), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) memory."
    echo "Release build, end to end from the raw exports (charts and PDF included); wall time is the"
    echo "median of several runs (S 7, M 5, L 3; each reference S 3, M 3, L 1), peak is the largest"
    echo "maximum resident set size (GNU time), cpu is user + system seconds (median). Answer cells:"
    echo "respondent rows x 45 items. Load average (1, 5, 15 min) before: $load_before; after:"
    echo "$(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine stretches wall times; cpu less so)."
    echo
    echo "| size | respondents x waves | answer cells | CSV | backbone wall | cpu | peak | cells/s | reference.py wall | cpu | peak | reference_fast.py wall | cpu | peak | ratio to the faster (wall) |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
    printf '%s\n' "${rows[@]}"
    echo
    echo "Per stage (ms, median of S 5, M 3, L 1 runs; \`stage-times\`, each stage over all waves, stages in turn):"
    echo
    echo "| size | ingest | map | score | groups | reliability | compare | render | total |"
    echo "|---|---|---|---|---|---|---|---|---|"
    printf '%s\n' "${stage_rows[@]}"
    echo
    echo "Same numbers (\`bench/compare.py\`: n, mean, SD, t-interval per wave and node; Welch"
    echo "difference, interval, df, t, p and BH q per pair of waves, to 1e-9):"
    echo
    printf '%s\n' "${checks[@]}"
    if [[ -n $notes ]]; then
        echo
        echo "$notes"
    fi
} >bench/results.md
cat bench/results.md
