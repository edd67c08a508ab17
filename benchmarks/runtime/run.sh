#!/usr/bin/env bash
# The runtime's data paths (JMH) against C with libbpf, in one run; see README.md.
#
#   benchmarks/runtime/run.sh [JMH options...]        e.g. run.sh -f 1 -i 5 for a quicker, rougher run
#   BENCHMARKS='Batch|Global' benchmarks/runtime/run.sh   only the classes matching this regular expression
#
# Three benchmark classes, each with its C baseline: ArrayMapLookupBenchmark (one map lookup; c/lookup.c),
# BatchLookupBenchmark (a 10,000-entry map read whole, in batches and by single lookups; c/batch.c) and
# GlobalReadBenchmark (a .bss global read through the mapping and through a lookup; c/global.c). The C baseline of a
# class runs before and after each of its JMH benchmarks, so every Java figure is bracketed by C figures taken just
# before and just after it; the summary prints medians, JMH's mean and error, and the ratios.
#
# Environment: JAVA (default: java from JAVA_HOME or PATH), JAVA_OPTS (flags for the JMH JVM and its forks, e.g.
# -Dbpf2java.foreign=false to keep JDK 22+ on JNA), C_ROUNDS (11), C_CALLS (1000000 lookups per round), C_WARMUP
# (1000000 lookups), C_WALKS (100 whole-map reads per round), C_READS (100000000 global reads per round), BENCHMARKS
# (a regular expression over the class names; default all), WORK (where the outputs go; default a new
# /tmp/bpf2java-bench.*).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=${WORK:-$(mktemp -d /tmp/bpf2java-bench.XXXXXX)}
java=${JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/}java}
rounds=${C_ROUNDS:-11}
# The event readers have their own script with their own C baselines (run-events.sh).
only=${BENCHMARKS:-ArrayMapLookup|BatchLookup|Global}
mkdir -p "$work"

[ "$(id -u)" -eq 0 ] || echo "run.sh: not root; creating maps needs CAP_BPF (and loading the object more)" >&2
command -v gcc >/dev/null || { echo "run.sh: gcc not found (apt-get install gcc)" >&2; exit 1; }
[ -f /usr/include/bpf/bpf.h ] || { echo "run.sh: libbpf headers not found (apt-get install libbpf-dev)" >&2; exit 1; }
command -v "$java" >/dev/null || { echo "run.sh: $java not found; set JAVA or JAVA_HOME" >&2; exit 1; }

echo "== Building the C baselines: gcc -O2 c/{lookup,batch,global}.c -lbpf"
for c in lookup batch global; do
    gcc -O2 -Wall -Wextra -o "$work/$c" "$here/c/$c.c" -lbpf
done

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

# The C baseline of a benchmark class, into $work/c-<run>.txt.
run_c() {
    local class=$1 out=$work/c-$2.txt
    case $class in
        ArrayMapLookupBenchmark)
            "$work/lookup" "$rounds" "${C_CALLS:-1000000}" "${C_WARMUP:-1000000}" > "$out"
            echo "   C lookup: median $(awk '$1 == "median" {print $2}' "$out") ns/op," \
                 "with a second thread $(awk '$1 == "median-shared" {print $2}' "$out")" ;;
        BatchLookupBenchmark)
            "$work/batch" "$rounds" "${C_WALKS:-100}" > "$out"
            echo "   C batch: median $(awk '/^median-batch/ {print $2}' "$out") us per 10,000 entries;" \
                 "single lookups: median $(awk '/^median-single/ {print $2}' "$out") us" ;;
        GlobalReadBenchmark)
            "$work/global" "$rounds" "${C_READS:-100000000}" > "$out"
            echo "   C mmap'd global read: median $(awk '/^median/ {print $2}' "$out") ns/op" ;;
    esac
}

# The bare java.lang.foreign control needs JDK 22 or later.
skip='^$'
[ "${java_version%%.*}" -ge 22 ] || skip='\.bareForeignSyscall$'
mapfile -t benchmarks < <("$java" "${java_flags[@]}" -jar "$jar" -l | grep '^io\.github\.bpf2java\.' \
    | sed 's/^io\.github\.bpf2java\.benchmarks\.//' | grep -E "^($only)" | grep -Ev "$skip")
echo "== ${#benchmarks[@]} JMH benchmarks on $java_description, each between two runs of its C baseline"
declare -A before after
run=0
previous_class=
for b in "${benchmarks[@]}"; do
    class=${b%%.*}
    if [ "$class" != "$previous_class" ]; then
        run=$((run + 1)); run_c "$class" "$run"
        previous_class=$class
    fi
    before[$b]=$run
    echo "   JMH $b"
    "$java" "${java_flags[@]}" -jar "$jar" "${b//./\\.}\$" -rf csv -rff "$work/jmh-$b.csv" "$@" > "$work/jmh-$b.txt"
    grep -E '^(# (Warmup|Measurement):|[A-Za-z]+Benchmark\.)' "$work/jmh-$b.txt" | sed 's/^/      /'
    run=$((run + 1)); run_c "$class" "$run"
    after[$b]=$run
done

echo
echo "== Summary: $(nproc) cores, kernel $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)," \
     "$java_description, bpf(2) through $bridge"
# Medians on both sides: of the C rounds, and of JMH's measurement iterations (all forks), which a burst of load
# from elsewhere on the machine moves less than a mean. Each Java figure is compared with the mean of the C medians
# taken right before and right after it. (With a single iteration JMH's result line has no count and no error.)
for b in "${benchmarks[@]}"; do
    class=${b%%.*}
    case $class in
        BatchLookupBenchmark) [ "${b#*.}" = singleLookups ] && key=median-single || key=median-batch ;;
        *) key=median ;;
    esac
    echo "$b $(awk -v k="$key" '$1 == k {print $2}' "$work/c-${before[$b]}.txt")" \
        "$(awk -v k="$key" '$1 == k {print $2}' "$work/c-${after[$b]}.txt")" \
        "$(awk '$1 == "median-shared" {print $2}' "$work/c-${before[$b]}.txt" "$work/c-${after[$b]}.txt" | tr '\n' ' ')" \
        "$(awk '/^Iteration / {printf "%s ", $3}' "$work/jmh-$b.txt")" \
        "$(awk '/^[A-Za-z]+Benchmark\./ {if (NF >= 7) print $4, $6; else print $3, 0}' "$work/jmh-$b.txt" | head -1)"
done | awk -v lookups="$(printf '%s\n' "${benchmarks[@]}" | grep -c '^ArrayMapLookupBenchmark\.')" '
    function median(list,    n, v, i, j, t) {
        n = split(list, v, " ")
        for (i = 2; i <= n; i++)
            for (j = i; j > 1 && v[j - 1] + 0 > v[j] + 0; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
        return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
    }
    BEGIN {
        label["ArrayMapLookupBenchmark.bareJnaSyscall"] = "lookup: control, bare JNA syscall (ns)"
        label["ArrayMapLookupBenchmark.bareForeignSyscall"] = "lookup: control, bare foreign syscall (ns)"
        label["ArrayMapLookupBenchmark.bpfMapDirectBuffers"] = "lookup: BpfMap.lookup(ByteBuffer, ByteBuffer) (ns)"
        label["ArrayMapLookupBenchmark.bpfMapArray"] = "lookup: BpfMap.lookup(byte[]) (ns)"
        label["ArrayMapLookupBenchmark.mapFdAddresses"] = "lookup: MapFd.lookup(long, long) (ns)"
        label["ArrayMapLookupBenchmark.mapFdArrays"] = "lookup: MapFd.lookup(byte[], byte[]) (ns)"
        label["ArrayMapLookupBenchmark.typedMapGet"] = "lookup: TypedMap.get (ns)"
        label["BatchLookupBenchmark.batchLookup"] = "10k entries: BpfMap.lookupBatch (us)"
        label["BatchLookupBenchmark.singleLookups"] = "10k entries: 10k single lookups (us)"
        label["BatchLookupBenchmark.typedEntries"] = "10k entries: TypedMap.entries() (us)"
        label["GlobalReadBenchmark.generatedGetter"] = "global: globals().counter() (ns)"
        label["GlobalReadBenchmark.mappedBuffer"] = "global: mapped ByteBuffer.getLong (ns)"
        label["GlobalReadBenchmark.sectionLookup"] = "global: lookup of the section (ns)"
        if (lookups > 0)
            printf "   %-52s %9s %21s %9s %7s %9s %7s\n", "path", "median", "JMH mean ± error", "C median", "ratio",
                "C shared", "ratio"
        else
            printf "   %-52s %9s %21s %9s %7s\n", "path", "median", "JMH mean ± error", "C median", "ratio"
    }
    {
        # name, C before, C after, [C shared before, C shared after,] JMH iterations..., mean, error
        name = $1; before = $2; after = $3; mean = $(NF - 1); error = $NF
        first = 4; shared = 0
        if (name ~ /^ArrayMapLookupBenchmark\./) { shared = ($4 + $5) / 2; first = 6 }
        list = ""
        for (i = first; i <= NF - 2; i++) list = list " " $i
        m = median(list); c = (before + after) / 2
        java[name] = m
        shown = (name in label) ? label[name] : name
        if (shared > 0) {
            shared_shown = 1
            printf "   %-52s %9.2f %10.2f ± %8.2f %9.2f %7.3f %9.2f %7.3f\n", shown, m, mean, error, c, m / c,
                shared, m / shared
        } else
            printf "   %-52s %9.2f %10.2f ± %8.2f %9.2f %7.3f\n", shown, m, mean, error, c, m / c
    }
    END {
        if (shared_shown)
            print "   C shared: the C lookups made while a second, idle thread lives, so that the file table is shared, as in a JVM"
        if (("BatchLookupBenchmark.batchLookup" in java) && ("BatchLookupBenchmark.singleLookups" in java))
            printf "   10k single lookups / one batch lookup, Java: %.1fx (goal >= 10x)\n",
                java["BatchLookupBenchmark.singleLookups"] / java["BatchLookupBenchmark.batchLookup"]
        if (("GlobalReadBenchmark.generatedGetter" in java) && ("GlobalReadBenchmark.sectionLookup" in java))
            printf "   section lookup / mapped global read, Java: %.0fx (goal >= 50x)\n",
                java["GlobalReadBenchmark.sectionLookup"] / java["GlobalReadBenchmark.generatedGetter"]
    }
'
# The C side of the same ratio, from every run of the batch baseline.
for f in "$work"/c-*.txt; do
    if grep -q '^median-batch' "$f"; then
        awk '/^median-batch/ {b = $2} /^median-single/ {s = $2}
            END {printf "   C: 10k single lookups / one batch lookup: %.1fx (%s)\n", s / b, FILENAME}' "$f"
    fi
done
echo "   outputs: $work"
