// options.c used to crash the plugin ("duplicate element: Options"): its class is OptionsBpf, nesting Options.
def sources = new File(basedir, 'target/generated-sources/ebpf/com/example/ebpf')
assert new File(sources, 'OptionsBpf.java').isFile() : sources.list()
def log = new File(basedir, 'build.log').text
assert !log.contains('duplicate element') : log
def report = new File(basedir, 'target/surefire-reports/TEST-com.example.OptionsBpfTest.xml').text
assert report.contains('tests="1"') && report.contains('failures="0"') && report.contains('errors="0"') : report
return true
