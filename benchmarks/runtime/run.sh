#!/usr/bin/env bash
# Array-map lookup through the bpf2java runtime (JMH) against C with libbpf, in one run; see README.md.
#
#   benchmarks/runtime/run.sh [JMH options...]        e.g. run.sh -f 1 -i 5 for a quicker, rougher run
#
# Environment: JAVA (default: java from JAVA_HOME or PATH), C_ROUNDS (15), C_CALLS (1000000 per round),
# C_WARMUP (1000000 calls), WORK (where the outputs go; default a new /tmp/bpf2java-lookup-bench.*).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=${WORK:-$(mktemp -d /tmp/bpf2java-lookup-bench.XXXXXX)}
java=${JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/}java}
c_args=("${C_ROUNDS:-15}" "${C_CALLS:-1000000}" "${C_WARMUP:-1000000}")
mkdir -p "$work"

[ "$(id -u)" -eq 0 ] || echo "run.sh: not root; creating maps needs CAP_BPF (and loading the object more)" >&2
command -v gcc >/dev/null || { echo "run.sh: gcc not found (apt-get install gcc)" >&2; exit 1; }
[ -f /usr/include/bpf/bpf.h ] || { echo "run.sh: libbpf headers not found (apt-get install libbpf-dev)" >&2; exit 1; }
command -v "$java" >/dev/null || { echo "run.sh: $java not found; set JAVA or JAVA_HOME" >&2; exit 1; }

echo "== Building the C baseline: gcc -O2 c/lookup.c -lbpf"
gcc -O2 -Wall -Wextra -o "$work/lookup" "$here/c/lookup.c" -lbpf

echo "== Building the JMH jar (reactor profile 'benchmarks': runtime, plugin, benchmark module)"
"$root/mvnw" -B -q -f "$root/pom.xml" -Pbenchmarks -pl benchmarks/runtime -am package -DskipTests
jar="$here/target/benchmarks.jar"

# JDK 22+ warns about (and later refuses) JNA's native calls without this flag; JDK 17 does not know it. JMH's
# forks inherit the flags of this JVM.
java_version=$("$java" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ {print $2}')
java_flags=()
[ "${java_version%%.*}" -ge 22 ] && java_flags+=(--enable-native-access=ALL-UNNAMED)

# Runs the C baseline into $work/c-$1.txt and prints its median.
run_c() {
    echo "== C baseline ($1): ${c_args[0]} rounds of ${c_args[1]} lookups after ${c_args[2]} warmup lookups"
    "$work/lookup" "${c_args[@]}" > "$work/c-$1.txt"
    echo "   median $(awk '/^median/ {print $2}' "$work/c-$1.txt") ns/op" \
         "(rounds: $(awk '/^round/ {printf "%s ", $3}' "$work/c-$1.txt"))"
}
median_of() { awk '/^median/ {print $2}' "$work/c-$1.txt"; }

run_c before

echo "== JMH on $("$java" -version 2>&1 | head -1) ${java_flags[*]}"
"$java" "${java_flags[@]}" -jar "$jar" ArrayMapLookupBenchmark -rf csv -rff "$work/jmh.csv" "$@" \
    | tee "$work/jmh.txt" \
    | grep -E '^(# (VM version|Warmup:|Measurement:|Benchmark:)|Benchmark |ArrayMap)' \
    | awk '!seen[$0]++ {print "   " $0}'

run_c after

echo
echo "== Summary ($(nproc) cores, kernel $(uname -r), $("$java" -version 2>&1 | head -1))"
awk -v before="$(median_of before)" -v after="$(median_of after)" '
    BEGIN {
        c = (before + after) / 2
        printf "   %-52s %9.1f ns/op           mean of the medians before (%.1f) and after (%.1f) JMH," \
               " drift %+.1f%%\n", "C, libbpf bpf_map_lookup_elem", c, before, after, 100 * (after - before) / before
        FS = ","
    }
    NR > 1 {
        gsub(/"/, "")
        name = $1; sub(/.*\./, "", name)
        path["bpfMapDirectBuffers"] = "BpfMap.lookup(ByteBuffer, ByteBuffer)"
        path["bpfMapArray"] = "BpfMap.lookup(byte[])  (allocates)"
        path["mapFdAddresses"] = "MapFd.lookup(long, long)  (internal)"
        path["mapFdArrays"] = "MapFd.lookup(byte[], byte[])  (internal)"
        label = (name in path) ? path[name] : name
        printf "   %-52s %9.1f ns/op ± %5.1f   ratio %.3f\n", label, $5, $6, $5 / c
        if (best == "" || $5 < best) { best = $5; bestName = label }
    }
    END { printf "   best Java path: %s, ratio %.3f (goal <= 1.10)\n", bestName, best / c }
' "$work/jmh.csv"
echo "   outputs: $work"
