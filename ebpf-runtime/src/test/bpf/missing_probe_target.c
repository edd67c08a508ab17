// A uprobe whose section names a function bash does not have: attach() fails saying which program's section asked
// for it, where the symbol lookup alone names only the file.
#include "fixture.h"

SEC("uprobe//bin/bash:no_such_function_in_bash")
int probe_of_nothing(void *ctx)
{
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
