// vmlinux.h was written into target/ from the kernel's BTF, on the include path, once; ebpf:vmlinux writes the same.
def log = new File(basedir, 'build.log').text
def header = new File(basedir, 'target/ebpf/vmlinux/vmlinux.h')
assert log.contains('Wrote ' + header.path + ' from the BTF of /sys/kernel/btf/vmlinux') : log
assert log.contains('Nothing to compile - all eBPF objects are up to date') : log
assert header.text.contains('struct task_struct {')
assert header.text.contains('#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)')
assert new File(basedir, 'target/copy/vmlinux.h').text == header.text
assert new File(basedir, 'target/generated-resources/ebpf/com/example/ebpf/task_info_bpfel.o').isFile()
assert new File(basedir, 'target/generated-sources/ebpf/com/example/ebpf/TaskInfo.java').isFile()
return true
