// Two clean builds give byte-identical objects and generated sources.
def compare = { String dir ->
    def one = new File(basedir, "target/$dir")
    def two = new File(basedir, "target2/$dir")
    def files = []
    one.eachFileRecurse { if (it.isFile()) files << one.toPath().relativize(it.toPath()).toString() }
    assert !files.isEmpty() : "nothing in $one"
    files.each { name ->
        def a = new File(one, name).bytes
        def b = new File(two, name).bytes
        assert Arrays.equals(a, b) : "$dir/$name differs between the two builds"
    }
    return files.size()
}
assert compare('generated-resources/ebpf') == 4
assert compare('generated-sources/ebpf') == 2
return true
