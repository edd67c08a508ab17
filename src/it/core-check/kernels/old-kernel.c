// The BTF of an imaginary old kernel whose task_struct has neither pid nor real_parent. Compiled with
// clang -g -target bpf by setup.groovy, and extracted to raw BTF with llvm-objcopy, so that the check reads both
// forms: the ELF object's .BTF section and a raw .btf file as BTFHub ships them.
struct task_struct {
    int other;
    int tgid;
};

struct task_struct *old_kernel_task;
