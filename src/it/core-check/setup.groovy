// Prepares what the second build reads: the BTF of an "old kernel" (kernels/old-kernel.c) as an ELF object
// (target/old-kernel.o) and as raw BTF (target/kernels/old-kernel.btf), for its check to fail against.
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
new File(target, 'kernels').mkdirs()
run([find(['clang', 'clang-19', 'clang-14']), '-g', '-O2', '-target', 'bpf', '-c', 'kernels/old-kernel.c',
     '-o', 'target/old-kernel.o'])
run([find(['llvm-objcopy', 'llvm-objcopy-19', 'llvm-objcopy-14']), '--dump-section',
     '.BTF=target/kernels/old-kernel.btf', 'target/old-kernel.o', 'target/old-kernel.tmp.o'])
return true
