// <toolchain>system</toolchain>: the clang on PATH compiles (not the Maven one), and the jar is as with any clang.
import java.util.zip.ZipFile

def log = new File(basedir, 'build.log').text
def compiled = log.readLines().find { it.contains('Compiling 1 eBPF source for 2 targets (bpfel, bpfeb) with clang ') }
assert compiled != null : log
assert !compiled.contains('.cache/bpf2java') : compiled
assert !log.contains('Fetching clang') : log
def jar = new File(basedir, 'target/system-toolchain-1.0.jar')
def names = new ZipFile(jar).withCloseable { zip -> zip.entries().collect { it.name } }
['com/example/ebpf/counter_bpfel.o', 'com/example/ebpf/counter_bpfeb.o', 'com/example/ebpf/Counter.class'].each {
    assert names.contains(it) : "$it missing from the jar: $names"
}
def report = new File(basedir, 'target/surefire-reports/TEST-com.example.CounterTest.xml').text
assert report.contains('tests="2"') && report.contains('failures="0"') && report.contains('errors="0"') : report
return true
