#!/usr/bin/env bash
# Loader coverage: loads BPF objects written by others (or in their conventions) whole, with default options, and
# writes a table of what loads, what the kernel refuses and what fails into docs/loader-coverage.md.
#
#   benchmarks/coverage/run.sh [report.md]
#
# Objects: every object embedded in Debian's libbpf-tools (extracted by the test), libbpf-style tutorial programs
# (src/libbpf-style, compiled as libbpf-bootstrap does: -target bpf, __TARGET_ARCH_x86, vmlinux.h) and
# cilium/ebpf-style programs (src/cilium-style, compiled as bpf2go does: -target bpfel, UAPI headers, the
# architecture define only for sources using bpf_tracing.h). linked_counter.c and linked_helper.c are linked into
# one object with `bpftool gen object`. All sources here were written for this report.
# Needs: clang, bpftool, libbpf-dev, libbpf-tools, root, and a JDK (.ci/install-deps installs the rest).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
report="$(realpath -m "${1:-$root/docs/loader-coverage.md}")"
out="$here/target/objects"
clang="${CLANG:-clang}"
arch="$(uname -m)"
case "$arch" in
    x86_64) target_arch=x86 ;;
    aarch64) target_arch=arm64 ;;
    *) target_arch="$arch" ;;
esac

rm -rf "$out"
mkdir -p "$out/libbpf-style" "$out/cilium-style" "$here/target/include"
bpftool btf dump file /sys/kernel/btf/vmlinux format c > "$here/target/include/vmlinux.h"
multiarch="/usr/include/$arch-linux-gnu"

for src in "$here"/src/libbpf-style/*.c; do
    name="$(basename "$src" .c)"
    "$clang" -g -O2 -target bpf -D__TARGET_ARCH_"$target_arch" -I"$here/target/include" -I"$multiarch" \
        -c "$src" -o "$out/libbpf-style/$name.bpf.o"
done
# The static linker's output stands in for the two halves.
bpftool gen object "$out/libbpf-style/linked_counter+helper.bpf.o" \
    "$out/libbpf-style/linked_counter.bpf.o" "$out/libbpf-style/linked_helper.bpf.o"
rm "$out/libbpf-style/linked_counter.bpf.o" "$out/libbpf-style/linked_helper.bpf.o"

for src in "$here"/src/cilium-style/*.c; do
    name="$(basename "$src" .c)"
    flags=()
    if grep -q 'bpf/bpf_tracing.h' "$src"; then
        flags+=(-D__TARGET_ARCH_"$target_arch")
    fi
    "$clang" -O2 -g -Wall -Werror -target bpfel "${flags[@]}" -I"$multiarch" \
        -c "$src" -o "$out/cilium-style/$name.o"
done

cd "$root"
./mvnw -B -q -o verify -pl ebpf-runtime -Dtest=LoaderCoverageReport -Dsurefire.failIfNoSpecifiedTests=false \
    -Debpf.guest.skip=true -Dmaven.javadoc.skip=true -Dmaven.source.skip=true -Djacoco.skip=true \
    -Debpf.coverage.objects="$out" -Debpf.coverage.report="$report"
echo "loader coverage written to $report"
