// The PATH of a machine with only a JDK: java and the few commands Maven's launcher script uses, linked into one
// directory. No clang, llvm-strip, llvm-objcopy or bpftool.
import java.nio.file.Files
import java.nio.file.LinkOption
import java.nio.file.Path
import java.nio.file.Paths

Path bin = basedir.toPath().resolve('no-clang-bin')
Files.createDirectories(bin)
def link = { String name, Path target ->
    Path l = bin.resolve(name)
    if (!Files.exists(l, LinkOption.NOFOLLOW_LINKS)) {
        Files.createSymbolicLink(l, target)
    }
}
link('java', Paths.get(System.getProperty('java.home'), 'bin', 'java'))
['sh', 'uname', 'ls', 'expr', 'dirname', 'basename', 'tr', 'sed', 'cat', 'mkdir', 'rm'].each { name ->
    Path found = ['/usr/bin', '/bin'].collect { Paths.get(it, name) }.find { Files.isExecutable(it) }
    if (found != null) {
        link(name, found)
    }
}
['clang', 'llvm-strip', 'llvm-objcopy', 'bpftool'].each { assert !Files.exists(bin.resolve(it)) }
return true
