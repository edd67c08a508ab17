// The header is written from the running kernel's BTF.
return new File('/sys/kernel/btf/vmlinux').canRead()
