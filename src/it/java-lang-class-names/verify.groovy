// string.c beside counter.c: string.c's class is StringBpf (a class String would hide java.lang.String in the
// package and break every other class there), and the project's own tests used both classes.
def sources = new File(basedir, 'target/generated-sources/ebpf/com/example/ebpf')
assert new File(sources, 'StringBpf.java').isFile() : sources.list()
assert new File(sources, 'Counter.java').isFile() : sources.list()
assert !new File(sources, 'String.java').exists()
def report = new File(basedir, 'target/surefire-reports/TEST-com.example.JavaLangClassNamesTest.xml').text
assert report.contains('tests="3"') && report.contains('failures="0"') && report.contains('errors="0"') : report
return true
