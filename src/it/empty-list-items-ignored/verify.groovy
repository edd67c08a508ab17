// Empty list items (<cflag/>, an unset property, an empty <includeDirectory/>, <exclude/>, <type/>, and the empty
// item of -Debpf.targets=bpfeb,,bpfel) are ignored: both builds succeed and use the real items.
def log = new File(basedir, 'build.log').text
assert !log.contains('NullPointerException') : log
assert log.contains('Compiling 1 eBPF source for 2 targets (bpfel, bpfeb)') : log
assert log.contains('Compiling 1 eBPF source for 2 targets (bpfeb, bpfel)') : log
def objects = new File(basedir, 'target/generated-resources/ebpf/com/example/ebpf')
['flags_bpfel.o', 'flags_bpfeb.o'].each { assert new File(objects, it).isFile() : objects.list() }
assert new File(basedir, 'target/generated-sources/ebpf/com/example/ebpf/Flags.java').isFile()
return true
