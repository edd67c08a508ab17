// Built with the Maven clang, the plugin's headers and a vmlinux.h written by the build, on a PATH without clang,
// llvm-strip or bpftool and without the system's headers (-nostdlibinc), twice (the second offline, from the
// cache); the program loaded and counted in both; the objects are stripped of DWARF by the clang's own llvm-objcopy.
import java.util.zip.ZipFile

def log = new File(basedir, 'build.log').text
def compiled = log.readLines().findAll { it.contains('Compiling 1 eBPF source') }
assert compiled.size() == 2 : log
compiled.each {
    assert it.contains('with clang 17.0.6 (') : it
    assert it.contains('/.cache/bpf2java/llvm-17.0.6-1.5.10-linux-x86_64/bin/clang)') : it
}
assert log.count('Tests run: 2, Failures: 0, Errors: 0, Skipped: 0') >= 2 : log
assert !log.contains('llvm-strip') : log
// No bpftool either: the vmlinux.h the source includes was written by the build from the kernel's BTF.
assert new File(basedir, 'target/ebpf/vmlinux/vmlinux.h').isFile() : 'no vmlinux.h written'
// Compiled with -Wall: the written vmlinux.h and the plugin's headers give clang 17 nothing to warn about.
assert !log.contains('warning:') : log

def jar = new File(basedir, 'target/maven-toolchain-1.0.jar')
new ZipFile(jar).withCloseable { zip ->
    ['bpfel', 'bpfeb'].each { target ->
        def entry = zip.getEntry("com/example/ebpf/opens_${target}.o")
        assert entry != null : "no opens_${target}.o in $jar"
        def text = new String(zip.getInputStream(entry).bytes, 'ISO-8859-1')
        assert text.contains('.BTF') && !text.contains('.debug_info') : "opens_${target}.o is not stripped"
    }
}
return true
