// Run 1 (verify): the XDP filter's tests ran through the ebpf-junit extension and passed.
def reports = new File(basedir, 'target/surefire-reports')
def xdp = new File(reports, 'TEST-com.example.XdpFilterTest.xml').text
assert xdp.contains('tests="2"') && xdp.contains('failures="0"') && xdp.contains('errors="0"') : xdp
if (System.getenv('EBPF_REQUIRE_KERNEL') == '1') {
    assert xdp.contains('skipped="0"') : xdp
}
// The same class loaded through @BpfLoadOptions with another port.
def otherPort = new File(reports, 'TEST-com.example.OtherPortTest.xml').text
assert otherPort.contains('tests="1"') && otherPort.contains('failures="0"') && otherPort.contains('errors="0"') : otherPort
if (System.getenv('EBPF_REQUIRE_KERNEL') == '1') {
    assert otherPort.contains('skipped="0"') : otherPort
}
// Run 2 (strict) failed, as invoker.buildResult.2 requires; run 3 (lenient) skipped the same test with the reason.
def future = new File(reports, 'TEST-com.example.FutureKernelTest.xml').text
assert future.contains('tests="1"') && future.contains('skipped="1"') && future.contains('failures="0"') : future
assert future.contains('99.0') : 'the skip names the kernel the test needs: ' + future
return true
