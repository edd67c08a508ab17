// struct event, carried only by a ring buffer and named in <types>, became a record without any trick in the C
// source; the project's test checked it against the BTF.
def source = new File(basedir, 'target/generated-sources/ebpf/com/example/ebpf/Events.java').text
assert source.contains('public record Event(int pid, byte kind, long timestampNs, String comm, Location where,')
assert !source.contains('unused_event_type')
assert !source.contains('private static byte[] getBytes') : 'no codec code copied into the class'
def report = new File(basedir, 'target/surefire-reports/TEST-com.example.EventLayoutTest.xml').text
assert report.contains('tests="1"') && report.contains('failures="0"') && report.contains('errors="0"') : report
return true
