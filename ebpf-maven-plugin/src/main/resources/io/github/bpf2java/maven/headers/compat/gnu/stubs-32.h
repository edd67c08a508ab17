/*
 * gnu/stubs-32.h for BPF programs, shipped by bpf2java's ebpf-maven-plugin.
 *
 * glibc's <gnu/stubs.h> picks the stubs file of a word size from the target's
 * macros; for the BPF target, which defines none of them, it asks for this
 * 32-bit one, which only a multilib C library (Debian: gcc-multilib) installs.
 * The real file only lists, as __stub_* macros, C library functions that are
 * not implemented on the platform: nothing a BPF program can call anyway.
 *
 * So this file is empty on purpose. The plugin puts it on clang's include path
 * after every other directory (-idirafter): an installed stubs-32.h wins.
 */
