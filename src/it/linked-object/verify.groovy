// Two C files, one object: tracer_<target>.o linked in Java and one class Tracer, nothing built per file; the
// project's own test ran the linked program.
def dir = new File(basedir, 'target/classes/com/example/ebpf')
def objects = dir.list().findAll { it.endsWith('.o') }.sort()
assert objects == ['tracer_bpfeb.o', 'tracer_bpfel.o'] : objects
def generated = new File(basedir, 'target/generated-sources/ebpf/com/example/ebpf').list().sort()
assert generated == ['Tracer.java'] : generated
def report = new File(basedir, 'target/surefire-reports/TEST-com.example.LinkedObjectTest.xml').text
assert report.contains('tests="1"') && report.contains('failures="0"') && report.contains('errors="0"') : report
if (System.getenv('EBPF_REQUIRE_KERNEL') == '1') {
    assert report.contains('skipped="0"') : report
}
return true
