// struct event named in <types> became a record; the project's test checked it against the BTF.
def source = new File(basedir, 'target/generated-sources/ebpf/com/example/ebpf/Events.java').text
assert source.contains('public record Event(int pid, byte kind, long timestampNs, byte[] comm, Location where,')
def report = new File(basedir, 'target/surefire-reports/TEST-com.example.EventLayoutTest.xml').text
assert report.contains('tests="1"') && report.contains('failures="0"') && report.contains('errors="0"') : report
return true
