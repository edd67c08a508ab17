// One .c file: both objects and the generated class are in the jar, and the project's own test used the class.
import java.util.zip.ZipFile

def jar = new File(basedir, 'target/minimal-1.0.jar')
assert jar.isFile() : "no jar at $jar"
def names = new ZipFile(jar).withCloseable { zip -> zip.entries().collect { it.name } }
['com/example/ebpf/counter_bpfel.o', 'com/example/ebpf/counter_bpfeb.o', 'com/example/ebpf/Counter.class'].each {
    assert names.contains(it) : "$it missing from the jar: $names"
}
def report = new File(basedir, 'target/surefire-reports/TEST-com.example.CounterTest.xml').text
assert report.contains('tests="2"') && report.contains('failures="0"') && report.contains('errors="0"') : report
def log = new File(basedir, 'build.log').text
assert log.contains('Compiling 1 eBPF source for 2 targets (bpfel, bpfeb) with clang ')
return true
