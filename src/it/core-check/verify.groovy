// ebpf:check runs the runtime's CO-RE engine over the built objects: the first build checks against the running
// kernel's BTF and passes; the second also checks against an old kernel's BTF (as raw BTF in a directory and as an
// ELF object's .BTF section) that lacks task_struct's pid and real_parent, and fails naming both relocations.
def log = new File(basedir, 'build.log').text

// First invocation: the default <kernelBtfs>, /sys/kernel/btf/vmlinux.
assert log.contains('Checking the CO-RE relocations of 2 eBPF objects against 1 kernel BTF') : log
assert log =~ /\/sys\/kernel\/btf\/vmlinux: OK \(\d+ relocations in 1 object\)/
assert log.contains('CO-RE check passed: every relocation of 1 object is satisfied on 1 kernel. Not checked, as'
        + ' no kernel listed has their byte order: com/example/ebpf/task_info_bpfeb.o') : log

// Second invocation (profile old-kernel): the running kernel passes, both forms of the old kernel fail.
assert log.contains('Checking the CO-RE relocations of 2 eBPF objects against 3 kernel BTFs') : log
assert log =~ /target\/kernels\/old-kernel\.btf: 2 failures \(of \d+ relocations in 1 object\)/
assert log =~ /target\/old-kernel\.o: 2 failures \(of \d+ relocations in 1 object\)/
assert log.contains('CO-RE check failed: 2 relocations in 1 object cannot be satisfied on 2 of 3 kernels'
        + ' (target/kernels/old-kernel.btf, target/old-kernel.o)') : log
['pid', 'real_parent'].each { field ->
    def relocation = ~("com/example/ebpf/task_info_bpfel\\.o: program 'record_exec' instruction \\d+:"
            + " FIELD_BYTE_OFFSET of task_struct\\.$field \\(local type struct task_struct\\)")
    assert log =~ relocation : "no failure named for task_struct.$field"
    assert log.contains("struct task_struct has no field '$field'") : "no reason given for task_struct.$field"
}
assert log =~ /(?m)^\s+.+: target\/kernels\/old-kernel\.btf, target\/old-kernel\.o$/
assert log.contains('BUILD FAILURE')
return true
