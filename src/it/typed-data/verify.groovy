// The generated class of a struct with bit fields, unions, arrays, strings, enums and anonymous members was used
// against the kernel by the project's own test; the class calls the runtime's codecs and copies none.
def source = new File(basedir, 'target/generated-sources/ebpf/com/example/ebpf/TypedData.java').text
assert source.contains('public static final int EXPECT_PID = 4242;')
assert source.contains('Codec<Sample> CODEC')
assert source.contains('Codecs.longs(object.map("stacks").valueSize() / Long.BYTES)') : 'stack frames follow the loaded map'
assert !source.contains('private static long getBits') : 'no codec code copied into the class'
def report = new File(basedir, 'target/surefire-reports/TEST-com.example.TypedDataTest.xml').text
assert report.contains('tests="4"') && report.contains('failures="0"') && report.contains('errors="0"') : report
if (System.getenv('EBPF_REQUIRE_KERNEL') == '1') {
    assert report.contains('skipped="0"') : report
}
return true
