// A C error fails the build with clang's own file:line:col diagnostic.
def log = new File(basedir, 'build.log').text
assert log.contains('clang could not compile 1 eBPF source:') : log
assert log.contains("src/main/bpf/broken.c:8:12: error: use of undeclared identifier 'undeclared_variable'") : log
assert log.contains('BUILD FAILURE')
assert !new File(basedir, 'target/generated-resources/ebpf/com/example/ebpf/broken_bpfel.o').exists()
return true
