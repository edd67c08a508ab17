// A clang that cannot be found: the message says what was searched where, and how to fix it.
def log = new File(basedir, 'build.log').text
assert log.contains("Cannot find clang to compile the eBPF sources: no executable 'no-such-clang-for-bpf2java'") : log
assert log.contains('in the PATH directories /') : log
assert log.contains('-Debpf.clang=/path/to/clang') && log.contains('apt-get install clang') : log
return true
