// The second invocation runs no clang and rewrites no output.
import java.text.SimpleDateFormat

def log = new File(basedir, 'build.log').text
assert log.contains('Compiling 2 eBPF sources for 2 targets') : log
assert log.contains('Nothing to compile - all eBPF objects are up to date') : log
def checked = log.readLines().find { it.contains('Checked 2 eBPF source(s) in') }
assert checked != null : log
println "no-op check: $checked"
// The first time-stamped line belongs to the second invocation.
def first = log.readLines().find { it =~ /^\d{4}-\d\d-\d\dT/ }
assert first != null : 'the second invocation has time-stamped lines'
def secondStarted = new SimpleDateFormat("yyyy-MM-dd'T'HH:mm:ss.SSSZ").parse(first.split(' ')[0]).time
def outputs = []
new File(basedir, 'target/generated-resources/ebpf').eachFileRecurse { if (it.isFile()) outputs << it }
new File(basedir, 'target/generated-sources/ebpf').eachFileRecurse { if (it.isFile()) outputs << it }
assert outputs.size() == 6 : outputs
outputs.each { assert it.lastModified() < secondStarted : "$it was rewritten by the second build" }
def secondRun = log.substring(log.indexOf(first))
assert !secondRun.contains('Compiling ') : secondRun
return true
