#!/usr/bin/env bash
# Ring buffer and perf buffer reading through the bpf2java runtime (JMH) against C with libbpf's
# ring_buffer__consume / perf_buffer__consume, in one run; see README.md ("Event readers").
#
#   benchmarks/runtime/run-events.sh [JMH options...]     e.g. run-events.sh -f 1 -i 5 for a quicker, rougher run
#
# For each buffer (ring, perf), record size (64, 1024) and path (zeroCopy, copyInto, copyArray): the C baseline,
# the JMH benchmark, the C baseline again. Both sides load the same object (src/main/bpf/event_output.c as the
# plugin compiled it), let the kernel fill the buffer with BPF_PROG_TEST_RUN (repeat = 4096, not timed), then time
# reading all 4096 records. Both report the median over single reads of a batch, divided by the batch: C over its
# rounds, Java over JMH's samples (sample mode, one sample per invocation, p0.50), so that a read preempted by other
# load on the machine moves neither side's figure. JMH's mean (which such preemptions do move) is printed too.
#
# Environment: JAVA (default: java from JAVA_HOME or PATH), JAVA_OPTS (flags for the JMH JVM), C_ROUNDS (201),
# C_WARMUP (300), WORK (where the outputs go; default a new /tmp/bpf2java-event-bench.*), ONLY (a regular
# expression: run only the configurations "kind size path" it matches, e.g. ONLY='ring 64').
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=${WORK:-$(mktemp -d /tmp/bpf2java-event-bench.XXXXXX)}
java=${JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/}java}
batch=4096
mkdir -p "$work"

[ "$(id -u)" -eq 0 ] || echo "run-events.sh: not root; loading BPF programs needs CAP_BPF and CAP_PERFMON" >&2
command -v gcc >/dev/null || { echo "run-events.sh: gcc not found (apt-get install gcc)" >&2; exit 1; }
[ -f /usr/include/bpf/libbpf.h ] || { echo "run-events.sh: libbpf headers not found (apt-get install libbpf-dev)" >&2; exit 1; }
command -v "$java" >/dev/null || { echo "run-events.sh: $java not found; set JAVA or JAVA_HOME" >&2; exit 1; }

echo "== Building the C baseline: gcc -O2 c/events.c -lbpf"
gcc -O2 -Wall -Wextra -o "$work/events" "$here/c/events.c" -lbpf

echo "== Building the JMH jar (reactor profile 'benchmarks': runtime, plugin, benchmark module)"
"$root/mvnw" -B -q -f "$root/pom.xml" -Pbenchmarks -pl benchmarks/runtime -am package -DskipTests
jar="$here/target/benchmarks.jar"
object="$here/target/classes/io/github/bpf2java/benchmarks/ebpf/event_output_bpfel.o"
[ "$(printf '\1\0' | od -An -tx2 | tr -d ' ')" = "0100" ] && \
    object="$here/target/classes/io/github/bpf2java/benchmarks/ebpf/event_output_bpfeb.o"

java_version=$("$java" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ {print $2}')
read -r -a java_flags <<< "${JAVA_OPTS:-}"
[ "${java_version%%.*}" -ge 22 ] && java_flags+=(--enable-native-access=ALL-UNNAMED)
java_description="$("$java" -version 2>&1 | head -1)${java_flags[*]:+ ${java_flags[*]}}"

# Runs the C baseline for $1 (ring|perf) $2 (size) $3 (zeroCopy|copyInto) into $work/c-$4.txt.
run_c() {
    "$work/events" "$object" "$1" "$2" "$3" "${C_ROUNDS:-201}" "$batch" "${C_WARMUP:-300}" > "$work/c-$4.txt"
}

summary="$work/summary.txt"
: > "$summary"
echo "== On $java_description, kernel $(uname -r), $(nproc) cores"
for kind in ring perf; do
    class=$([ "$kind" = ring ] && echo RingBufferConsumeBenchmark || echo PerfBufferConsumeBenchmark)
    for size in 64 1024; do
        for path in zeroCopy copyInto copyArray; do
            label="$kind $size $path"
            [[ -z "${ONLY:-}" || "$label" =~ ${ONLY} ]] || continue
            c_path=$([ "$path" = zeroCopy ] && echo zeroCopy || echo copyInto)
            id="$kind-$size-$path"
            run_c "$kind" "$size" "$c_path" "$id-before"
            "$java" "${java_flags[@]}" -jar "$jar" "$class\\.consume\$" -p recordSize="$size" -p path="$path" \
                -bm sample -tu us -opi 1 -rf csv -rff "$work/jmh-$id.csv" "$@" > "$work/jmh-$id.txt"
            run_c "$kind" "$size" "$c_path" "$id-after"
            c_before=$(awk '/^median/ {print $2}' "$work/c-$id-before.txt")
            c_after=$(awk '/^median/ {print $2}' "$work/c-$id-after.txt")
            # p0.50 of the whole run, in microseconds per batch, as ns per record.
            java_median=$(awk -v batch="$batch" '/consume:p0\.50/ {printf "%.2f", $(NF-1) * 1000 / batch}' \
                "$work/jmh-$id.txt")
            java_mean=$(awk -v batch="$batch" '$1 ~ /\.consume$/ {printf "%.2f %.2f", $(NF-3) * 1000 / batch,
                $(NF-1) * 1000 / batch}' "$work/jmh-$id.txt")
            echo "$label $java_median $c_before $c_after $java_mean" | tee -a "$summary" | awk '
                { c = ($5 + $6) / 2
                  printf "   %-22s Java %7.2f ns/record (mean %.2f ± %.2f)   C %6.2f / %6.2f   events/s Java / C = %.2f\n",
                         $1 " " $2 " " $3, $4, $7, $8, $5, $6, c / $4 }'
        done
    done
done

echo
echo "== Summary (ns per record: medians of single batch reads; C before and after the Java run; JMH's mean ± error)"
awk '
    BEGIN { printf "   %-6s %5s %-10s %10s %16s %12s %18s\n", "buffer", "size", "path", "Java", "C before/after",
                   "Java/C ev/s", "Java mean ± error" }
    { c = ($5 + $6) / 2; printf "   %-6s %5s %-10s %10.2f %7.2f/%-7.2f %12.2f %10.2f ± %.2f\n", $1, $2, $3, $4, $5, $6,
                                c / $4, $7, $8 }
' "$summary"
echo "   outputs: $work"
