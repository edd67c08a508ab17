// Changing a header rebuilds the source that includes it, and only that one.
def log = new File(basedir, 'build.log').text
assert log.contains('Compiling 2 eBPF sources for 2 targets') : log
assert log.contains('Compiling 1 eBPF source for 2 targets') : log
assert new File(basedir, 'src/main/bpf/limits.h').text.contains('LIMIT 1')
assert new File(basedir, 'target/generated-resources/ebpf/com/example/ebpf/uses_limits_bpfel.o').isFile()
return true
