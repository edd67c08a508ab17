#!/usr/bin/env bash
# Array-map lookup through the bpf2java runtime (JMH) against C with libbpf, in one run; see README.md.
#
#   benchmarks/runtime/run.sh [JMH options...]        e.g. run.sh -f 1 -i 5 for a quicker, rougher run
#
# Runs the C baseline, then each JMH benchmark followed by the C baseline again, so every Java figure is bracketed
# by C figures taken just before and just after it; prints ns/op and the ratio runtime / C for each Java path.
#
# Environment: JAVA (default: java from JAVA_HOME or PATH), JAVA_OPTS (flags for the JMH JVM and its forks, e.g.
# -Dbpf2java.foreign=false to keep JDK 22+ on JNA), C_ROUNDS (11), C_CALLS (1000000 per round), C_WARMUP (1000000
# calls), WORK (where the outputs go; default a new /tmp/bpf2java-lookup-bench.*).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=${WORK:-$(mktemp -d /tmp/bpf2java-lookup-bench.XXXXXX)}
java=${JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/}java}
c_args=("${C_ROUNDS:-11}" "${C_CALLS:-1000000}" "${C_WARMUP:-1000000}")
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

# JDK 22+ warns about (and later refuses) native calls without this flag; JDK 17 does not know it. JMH's forks
# inherit the flags of this JVM.
java_version=$("$java" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ {print $2}')
read -r -a java_flags <<< "${JAVA_OPTS:-}"
bridge=JNA
if [ "${java_version%%.*}" -ge 22 ]; then
    java_flags+=(--enable-native-access=ALL-UNNAMED)
    [[ " ${JAVA_OPTS:-} " == *" -Dbpf2java.foreign=false "* ]] || bridge=java.lang.foreign
fi
java_description="$("$java" -version 2>&1 | head -1)${java_flags[*]:+ ${java_flags[*]}}"

# Runs the C baseline into $work/c-$1.txt.
run_c() {
    "$work/lookup" "${c_args[@]}" > "$work/c-$1.txt"
    echo "   C baseline: median $(awk '/^median/ {print $2}' "$work/c-$1.txt") ns/op" \
         "(${c_args[0]} rounds of ${c_args[1]} lookups: $(awk '/^round/ {printf "%s ", $3}' "$work/c-$1.txt"))"
}

mapfile -t benchmarks < <("$java" "${java_flags[@]}" -jar "$jar" -l | grep '^io\.github\.bpf2java\.benchmarks\.ArrayMapLookupBenchmark\.' \
    | sed 's/.*\.//')
echo "== ${#benchmarks[@]} JMH benchmarks on $java_description, each between two runs of the C baseline"
run_c 0
for i in "${!benchmarks[@]}"; do
    b=${benchmarks[$i]}
    echo "   JMH $b"
    "$java" "${java_flags[@]}" -jar "$jar" "ArrayMapLookupBenchmark\\.$b\$" -rf csv -rff "$work/jmh-$b.csv" "$@" \
        > "$work/jmh-$b.txt"
    grep -E '^(# (Warmup|Measurement):|ArrayMapLookupBenchmark\.)' "$work/jmh-$b.txt" | sed 's/^/      /'
    run_c $((i + 1))
done

echo
echo "== Summary: $(nproc) cores, kernel $(uname -r), $java_description, bpf(2) through $bridge"
# Medians on both sides: of the C rounds, and of JMH's measurement iterations (all forks), which a burst of load
# from elsewhere on the machine moves less than a mean. Each Java path is compared with the mean of the C medians
# taken right before and right after it.
for i in "${!benchmarks[@]}"; do
    b=${benchmarks[$i]}
    echo "$b $(awk '/^median/ {print $2}' "$work/c-$i.txt") $(awk '/^median/ {print $2}' "$work/c-$((i + 1)).txt")" \
        "$(awk '/^Iteration / {printf "%s ", $3}' "$work/jmh-$b.txt")" \
        "$(awk '/^ArrayMapLookupBenchmark\./ {print $4, $6}' "$work/jmh-$b.txt")"
done | awk '
    function median(list,    n, v, i, j, t) {
        n = split(list, v, " ")
        for (i = 2; i <= n; i++)
            for (j = i; j > 1 && v[j - 1] + 0 > v[j] + 0; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
        return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
    }
    BEGIN {
        label["bareJnaSyscall"] = "control: bare JNA syscall, no runtime code"
        label["bpfMapDirectBuffers"] = "BpfMap.lookup(ByteBuffer, ByteBuffer)"
        label["bpfMapArray"] = "BpfMap.lookup(byte[])  (allocates)"
        label["mapFdAddresses"] = "MapFd.lookup(long, long)  (internal)"
        label["mapFdArrays"] = "MapFd.lookup(byte[], byte[])  (internal)"
        printf "   %-44s %9s %19s %9s %7s\n", "path", "median", "JMH mean ± error", "C median", "ratio"
    }
    {
        name = $1; before = $2; after = $3; mean = $(NF - 1); error = $NF
        list = ""
        for (i = 4; i <= NF - 2; i++) list = list " " $i
        m = median(list); c = (before + after) / 2
        shown = (name in label) ? label[name] : name
        printf "   %-44s %9.1f %9.1f ± %6.1f %9.1f %7.3f\n", shown, m, mean, error, c, m / c
        if (name != "bareJnaSyscall" && (best == "" || m / c < best)) { best = m / c; bestName = shown }
    }
    END { printf "   best runtime path: %s, ratio %.3f (goal <= 1.10); times in ns/op\n", bestName, best }
'
echo "   outputs: $work"
