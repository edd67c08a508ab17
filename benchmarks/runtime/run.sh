#!/usr/bin/env bash
# Array-map lookup through the bpf2java runtime (JMH) against C with libbpf, in one run; see README.md.
#
#   benchmarks/runtime/run.sh [JMH options...]        e.g. run.sh -f 1 -i 5 for a quicker, rougher run
#
# Environment: JAVA (default: java from JAVA_HOME or PATH), JAVA_OPTS (flags for the JMH JVM and its forks, e.g.
# -Dbpf2java.foreign=false to keep JDK 22+ on JNA), C_ROUNDS (15), C_CALLS (1000000 per round), C_WARMUP (1000000
# calls), WORK (where the outputs go; default a new /tmp/bpf2java-lookup-bench.*).
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
read -r -a java_flags <<< "${JAVA_OPTS:-}"
bridge=JNA
if [ "${java_version%%.*}" -ge 22 ]; then
    java_flags+=(--enable-native-access=ALL-UNNAMED)
    [[ " ${JAVA_OPTS:-} " == *" -Dbpf2java.foreign=false "* ]] || bridge=java.lang.foreign
fi

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
echo "== Summary ($(nproc) cores, kernel $(uname -r), $("$java" -version 2>&1 | head -1), bpf(2) through $bridge)"
# Medians on both sides: of the C rounds, and of JMH's measurement iterations (all forks), which a burst of load
# from elsewhere on the machine moves less than a mean.
awk -v before="$(median_of before)" -v after="$(median_of after)" '
    function median(list,    n, v, i, j, t) {
        n = split(list, v, " ")
        for (i = 2; i <= n; i++)
            for (j = i; j > 1 && v[j - 1] + 0 > v[j] + 0; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
        return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
    }
    BEGIN {
        label["bpfMapDirectBuffers"] = "BpfMap.lookup(ByteBuffer, ByteBuffer)"
        label["bpfMapArray"] = "BpfMap.lookup(byte[])  (allocates)"
        label["mapFdAddresses"] = "MapFd.lookup(long, long)  (internal)"
        label["mapFdArrays"] = "MapFd.lookup(byte[], byte[])  (internal)"
        label["bareJnaSyscall"] = "control: bare JNA syscall, no runtime code"
    }
    /^# Benchmark: / { name = $3; sub(/.*\./, "", name); if (!(name in seen)) { seen[name]; order[++count] = name } }
    /^Iteration / { sub(/:$/, "", $2); iterations[name] = iterations[name] " " $3 }
    /^ArrayMapLookupBenchmark\./ { n = $1; sub(/.*\./, "", n); mean[n] = $4; error[n] = $6 }
    END {
        c = (before + after) / 2
        printf "   %-44s %9s %20s %7s\n", "", "median", "JMH mean ± error", "ratio"
        printf "   %-44s %9.1f %20s %7s   mean of the medians before (%.1f) and after (%.1f) JMH, drift %+.1f%%\n",
               "C: libbpf bpf_map_lookup_elem", c, "", "1", before, after, 100 * (after - before) / before
        for (i = 1; i <= count; i++) {
            n = order[i]
            m = median(iterations[n])
            printf "   %-44s %9.1f %11.1f ± %6.1f %7.3f\n", (n in label) ? label[n] : n, m, mean[n], error[n], m / c
            if (n != "bareJnaSyscall" && (best == "" || m < best)) { best = m; bestName = (n in label) ? label[n] : n }
        }
        printf "   best Java path: %s, ratio %.3f (goal <= 1.10); times in ns/op\n", bestName, best / c
    }
' "$work/jmh.txt"
echo "   outputs: $work"
