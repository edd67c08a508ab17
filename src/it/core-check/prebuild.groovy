// Prepares what the build reads: vmlinux.h for the CO-RE source (from the running kernel's BTF, with bpftool), and
// the BTF of an "old kernel" (kernels/old-kernel.c) as an ELF object (target/old-kernel.o) and as raw BTF
// (target/kernels/old-kernel.btf), for the second invocation's check to fail against.
def find(List<String> names) {
    def dirs = System.getenv('PATH').split(File.pathSeparator).toList() + ['/usr/sbin', '/sbin']
    for (name in names) {
        def hit = dirs.collect { new File(it, name) }.find { it.canExecute() }
        if (hit) return hit.path
    }
    assert false : "none of $names is installed (.ci/install-deps installs them)"
}

def run(List<String> command, File output = null) {
    def builder = new ProcessBuilder(command).directory(basedir)
    if (output) {
        builder.redirectOutput(output)
    } else {
        builder.redirectErrorStream(true)
    }
    def process = builder.start()
    def text = output ? process.errorStream.text : process.inputStream.text
    assert process.waitFor() == 0 : "${command.join(' ')} failed: $text"
}

def target = new File(basedir, 'target')
new File(target, 'vmlinux').mkdirs()
new File(target, 'kernels').mkdirs()
run([find(['bpftool']), 'btf', 'dump', 'file', '/sys/kernel/btf/vmlinux', 'format', 'c'],
        new File(target, 'vmlinux/vmlinux.h'))
run([find(['clang', 'clang-19', 'clang-14']), '-g', '-O2', '-target', 'bpf', '-c', 'kernels/old-kernel.c',
     '-o', 'target/old-kernel.o'])
run([find(['llvm-objcopy', 'llvm-objcopy-19', 'llvm-objcopy-14']), '--dump-section',
     '.BTF=target/kernels/old-kernel.btf', 'target/old-kernel.o', 'target/old-kernel.tmp.o'])
return true
