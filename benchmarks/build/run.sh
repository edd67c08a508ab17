#!/usr/bin/env bash
# Build benchmark of ebpf-maven-plugin's ebpf:generate against plain serial clang; see README.md.
#
#   benchmarks/build/run.sh [work-dir]
#
# Environment: CLANG (default: none, the plugin's default toolchain, the Maven clang; set e.g. CLANG=clang-19 for a
# system clang), NOOP_RUNS (default 5).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
work=${1:-$(mktemp -d /tmp/bpf2java-build-bench.XXXXXX)}
clang=${CLANG:-}
noop_runs=${NOOP_RUNS:-5}
mvnw="$root/mvnw"
repo="$root/ebpf-maven-plugin/target/local-repo"

now() { date +%s.%N; }
elapsed() { echo "$2 - $1" | bc; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

command -v bpftool >/dev/null || { echo "bpftool is needed to dump vmlinux.h (apt-get install bpftool)" >&2; exit 1; }
[ -z "$clang" ] || command -v "$clang" >/dev/null || { echo "$clang not found" >&2; exit 1; }

echo "== Building the plugin into $repo"
"$mvnw" -B -q -f "$root/pom.xml" -pl ebpf-maven-plugin -am package invoker:install -DskipTests
version=$("$mvnw" -B -q -f "$root/pom.xml" help:evaluate -Dexpression=project.version -DforceStdout)
settings="$work/settings.xml"
mkdir -p "$work"
sed "s#@localRepositoryUrl@#file://$HOME/.m2/repository#" "$root/src/it/settings.xml" > "$settings"

project="$work/project"
rm -rf "$project"
echo "== Writing 20 sources to $project/src/main/bpf"
"$(dirname "$0")/generate-sources.sh" "$project"
cat > "$project/pom.xml" <<POM
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>com.example</groupId>
  <artifactId>build-benchmark</artifactId>
  <version>1.0</version>
  <build>
    <plugins>
      <plugin>
        <groupId>io.github.bpf2java</groupId>
        <artifactId>ebpf-maven-plugin</artifactId>
        <version>$version</version>
        <executions><execution><goals><goal>generate</goal></goals></execution></executions>
        <configuration>$([ -n "$clang" ] && echo "<clang>$clang</clang>" || echo "<toolchain>maven</toolchain>")</configuration>
      </plugin>
    </plugins>
  </build>
</project>
POM

mvn_project() { "$mvnw" -B -s "$settings" -Dmaven.repo.local="$repo" -f "$project/pom.xml" "$@"; }

if [ -n "$clang" ]; then
    clang_path=$(command -v "$clang")
else
    # The Maven clang: fetched and unpacked by a first build (not measured), whose outputs are then deleted.
    echo "== Fetching the Maven clang (a build not measured)"
    mvn_project -q generate-sources > "$work/fetch.log"
    clang_path=$(ls "$repo"/.cache/bpf2java/llvm-*/bin/clang | head -1)
    rm -rf "$project/target"
fi
multiarch=/usr/include/$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
echo "== (1) Plain serial clang: 20 sources x bpfel, bpfeb with the plugin's flags ($clang_path)"
out="$work/serial"
mkdir -p "$out"
start=$(now)
for c in "$project"/src/main/bpf/*.c; do
    for target in bpfel bpfeb; do
        (cd "$project" && "$clang_path" -O2 -g -Wall -fno-ident "-fdebug-prefix-map=$project=." \
            -fdebug-compilation-dir=. -mcpu=v3 -target "$target" "-I$multiarch" \
            -c "src/main/bpf/$(basename "$c")" -o "$out/$(basename "$c" .c)_$target.o")
    done
done
serial=$(elapsed "$start" "$(now)")
echo "   serial clang: ${serial} s"

echo "== (2) ebpf:generate on the clean project"
mvn_project -q dependency:resolve-plugins >/dev/null 2>&1 || true
start=$(now)
mvn_project generate-sources > "$work/clean.log"
wall=$(elapsed "$start" "$(now)")
mojo=$(grep -o 'generated their classes in [0-9.]* s' "$work/clean.log" | grep -o '[0-9.]* s' | tr -d ' s')
grep -E 'Compiling|Compiled' "$work/clean.log" | sed 's/^/   /'
echo "   mojo: ${mojo} s, whole mvn: ${wall} s"

echo "== (3) No-op rebuild, $noop_runs runs (mvn -X for the debug timings)"
sleep 2.1  # outside the stat cache's racy window, as a real edit-build cycle would be
: > "$work/noop-mojo.txt"
: > "$work/noop-check.txt"
for i in $(seq 1 "$noop_runs"); do
    mvn_project -X generate-sources > "$work/noop-$i.log"
    grep -q 'Nothing to compile - all eBPF objects are up to date' "$work/noop-$i.log" \
        || { echo "run $i was not a no-op, see $work/noop-$i.log" >&2; exit 1; }
    grep -o 'ebpf:generate took [0-9]* ms' "$work/noop-$i.log" | grep -o '[0-9]*' >> "$work/noop-mojo.txt"
    grep -o 'eBPF source(s) in [0-9]* ms' "$work/noop-$i.log" | grep -o '[0-9]* ms' | tr -d ' ms' \
        >> "$work/noop-check.txt"
done
noop=$(median < "$work/noop-mojo.txt")
check=$(median < "$work/noop-check.txt")
echo "   no-op mojo time: median ${noop} ms (runs: $(tr '\n' ' ' < "$work/noop-mojo.txt")), up-to-date check:" \
     "median ${check} ms"

echo
echo "== Summary ($(nproc) cores, $("$clang_path" --version | head -1))"
printf '   %-38s %8s s\n' "plain serial clang, 40 compiles" "$serial"
printf '   %-38s %8s s   ratio %.2f (target <= 0.40)\n' "ebpf:generate, clean (mojo time)" "$mojo" \
    "$(echo "$mojo / $serial" | bc -l)"
printf '   %-38s %8s s   ratio %.2f\n' "mvn generate-sources, clean (wall)" "$wall" "$(echo "$wall / $serial" | bc -l)"
printf '   %-38s %8s ms  (target <= 50)\n' "ebpf:generate, no-op (mojo time)" "$noop"
echo "   logs and outputs: $work"
