// Three sources (one in a subdirectory, one excluded directory): three classes, six objects, one package.
import java.util.zip.ZipFile

def names = new ZipFile(new File(basedir, 'target/multiple-files-1.0.jar')).withCloseable { zip ->
    zip.entries().collect { it.name }
}
['exec_counter', 'packet_types', 'xdp_pass'].each { base ->
    ['bpfel', 'bpfeb'].each { assert names.contains("com/example/probes/${base}_${it}.o".toString()) : "$base $it: $names" }
}
['ExecCounter', 'PacketTypes', 'XdpPass'].each { assert names.contains("com/example/probes/${it}.class".toString()) : it }
assert !names.any { it.contains('broken') } : names
def log = new File(basedir, 'build.log').text
assert log.contains('Compiling 3 eBPF sources for 2 targets')
assert log.contains('Tests run: 1, Failures: 0, Errors: 0')
return true
