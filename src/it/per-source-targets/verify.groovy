// Per-source targets: the plain source has both byte orders, the BPF_KPROBE source was found to need an
// architecture (clang's refusal) and has only the host's, the configured uprobe source has amd64 only; the
// project's own test loaded all three.
def dir = new File(basedir, 'target/classes/com/example/ebpf')
def objects = dir.list().findAll { it.endsWith('.o') }.sort()
def arch = System.getProperty('os.arch') == 'amd64' ? 'amd64' : (System.getProperty('os.arch') == 'aarch64' ? 'arm64' : null)
def expected = ['counter_bpfeb.o', 'counter_bpfel.o', 'uprobe_getenv_amd64.o']
if (arch != null) {
    expected += "kprobe_opens_${arch}.o".toString()
}
assert objects == expected.sort() : objects
def log = new File(basedir, 'build.log').text
assert log.contains('kprobe_opens.c needs __TARGET_ARCH_<arch>') : 'the detection is reported'
// The first line names the targets the sources are compiled for, the <sourceTarget>'s amd64 included.
assert log.contains('Compiling 3 eBPF sources for 3 targets (bpfel, bpfeb, amd64) with clang ') : log
// The summary counts the objects built, not sources times the configured targets.
assert log.contains("Compiled 3 eBPF sources into ${objects.size()} objects") : log
def kprobe = new File(basedir, 'target/generated-sources/ebpf/com/example/ebpf/KprobeOpens.java').text
assert kprobe.contains("\"${arch}\"") && !kprobe.contains('"bpfel"')
def report = new File(basedir, 'target/surefire-reports/TEST-com.example.PerSourceTargetsTest.xml').text
assert report.contains('tests="3"') && report.contains('failures="0"') && report.contains('errors="0"') : report
if (System.getenv('EBPF_REQUIRE_KERNEL') == '1') {
    assert report.contains('skipped="0"') : report
}
return true
