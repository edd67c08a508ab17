// A project with a module-info.java: surefire ran its tests on the module path, and the generated class read its
// embedded object from the module without the module opening its package to the runtime.
def report = new File(basedir, 'target/surefire-reports/TEST-com.example.NamedModuleTest.xml').text
assert report.contains('tests="3"') && report.contains('failures="0"') && report.contains('errors="0"') : report
if (System.getenv('EBPF_REQUIRE_KERNEL') == '1') {
    assert report.contains('skipped="0"') : report
}
return true
