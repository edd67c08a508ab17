// An unknown target is named, with the allowed values.
def log = new File(basedir, 'build.log').text
assert log.contains("Unknown eBPF target 'vax' in <targets> (ebpf.targets). Allowed values: bpfel, bpfeb, amd64") : log
return true
