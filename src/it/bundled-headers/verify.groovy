// <bundledHeaders>always</bundledHeaders>: the source compiled with the plugin's own headers (it uses BPF_LICENSE,
// which libbpf's do not define), extracted into the cache, and the mode and headers' digest are in the build state.
import java.util.zip.ZipFile

def include = new File(basedir, 'target/ebpf-cache/include/bpf')
['bpf_helpers.h', 'bpf_helper_defs.h', 'bpf_core_read.h', 'bpf_tracing.h', 'bpf_endian.h', 'usdt.bpf.h'].each {
    assert new File(include, it).isFile() : "$it not extracted to $include"
}
def state = new File(basedir, 'target/ebpf-cache/state').text
assert state =~ /headers=always [0-9a-f]{64}/ : state
def jar = new File(basedir, 'target/bundled-headers-1.0.jar')
def names = new ZipFile(jar).withCloseable { zip -> zip.entries().collect { it.name } }
['com/example/ebpf/packet_counter_bpfel.o', 'com/example/ebpf/packet_counter_bpfeb.o',
 'com/example/ebpf/PacketCounter.class'].each {
    assert names.contains(it) : "$it missing from the jar: $names"
}
def report = new File(basedir, 'target/surefire-reports/TEST-com.example.PacketCounterTest.xml').text
assert report.contains('tests="1"') && report.contains('failures="0"') && report.contains('errors="0"') : report
return true
