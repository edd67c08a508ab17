// A deleted source's class and objects leave the build: from the generated directories, from target/classes (where
// Maven's resources step copied the objects and never cleans) and so from the jar.
import java.util.zip.ZipFile

def log = new File(basedir, 'build.log').text
assert log.contains('Removed the outputs of 1 deleted eBPF source(s): retired.c') : log
def pkg = 'com/example/ebpf'
for (target in ['bpfel', 'bpfeb']) {
    assert !new File(basedir, "target/generated-resources/ebpf/${pkg}/retired_${target}.o").exists()
    assert !new File(basedir, "target/classes/${pkg}/retired_${target}.o").exists() : 'the copy in target/classes'
    assert new File(basedir, "target/classes/${pkg}/counter_${target}.o").isFile()
}
assert !new File(basedir, "target/generated-sources/ebpf/${pkg}/Retired.java").exists()
def jar = new ZipFile(new File(basedir, 'target/deleted-source-1.0.jar'))
try {
    def names = jar.entries().collect { it.name }
    assert !names.any { it.contains('retired') } : names
    assert names.contains("${pkg}/counter_bpfel.o".toString()) : names
} finally {
    jar.close()
}
return true
