// A source with nothing to load fails the build naming it and the fix, not with a hint about -g0 or <strip>.
def log = new File(basedir, 'build.log').text
assert log.contains('eBPF source helpers.c defines no program, map or global variable: there is nothing to load'
        + ' and no class Helpers to generate') : log
assert log.contains('<excludes>') : log
assert !log.contains('-g0') && !log.contains('<strip>') : log
assert !new File(basedir, 'target/generated-sources/ebpf/com/example/ebpf/Counter.java').exists()
return true
