#!/usr/bin/env bash
# Event reading with Java and libbpf taking turns in one process (InterleavedConsume): a second measurement beside
# run-events.sh that this machine's drifting speed cannot skew, since every Java read has a C read of the same kind
# of batch right next to it. See README.md ("Event readers").
#
#   benchmarks/runtime/run-interleaved.sh [rounds [warmup-rounds]]     defaults: ring 2000 and 3000, perf 1000 and 1000
#
# Environment: JAVA (default: java from JAVA_HOME or PATH), ONLY (a regular expression over "buffer size path",
# e.g. ONLY='ring 64 zeroCopy').
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d /tmp/bpf2java-interleaved.XXXXXX)
trap 'rm -rf "$work"' EXIT
java=${JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/}java}

[ "$(id -u)" -eq 0 ] || echo "run-interleaved.sh: not root; loading BPF programs needs CAP_BPF" >&2
command -v gcc >/dev/null || { echo "run-interleaved.sh: gcc not found (apt-get install gcc)" >&2; exit 1; }
[ -f /usr/include/bpf/libbpf.h ] || { echo "run-interleaved.sh: libbpf headers not found (apt-get install libbpf-dev)" >&2; exit 1; }

echo "== Building the C half: gcc -O2 -shared c/interleaved.c -lbpf"
gcc -O2 -Wall -Wextra -shared -fPIC -o "$work/libinterleaved.so" "$here/c/interleaved.c" -lbpf

echo "== Building the benchmark jar (reactor profile 'benchmarks')"
"$root/mvnw" -B -q -f "$root/pom.xml" -Pbenchmarks -pl benchmarks/runtime -am package -DskipTests

java_version=$("$java" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ {print $2}')
flags=()
[ "${java_version%%.*}" -ge 22 ] && flags+=(--enable-native-access=ALL-UNNAMED)
echo "== On $("$java" -version 2>&1 | head -1), kernel $(uname -r), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for buffer in ring perf; do
    for size in 64 1024; do
        for path in zeroCopy copyInto; do
            [[ -z "${ONLY:-}" || "$buffer $size $path" =~ ${ONLY} ]] || continue
            "$java" "${flags[@]}" -cp "$here/target/benchmarks.jar" io.github.bpf2java.benchmarks.InterleavedConsume \
                "$work/libinterleaved.so" "$buffer" "$size" "$path" "$@"
        done
    done
done
