// Two files that would generate one class: both are named.
def log = new File(basedir, 'build.log').text
assert log.contains('eBPF sources net/xdp-drop.c and xdp_drop.c would both generate the class XdpDrop') : log
return true
