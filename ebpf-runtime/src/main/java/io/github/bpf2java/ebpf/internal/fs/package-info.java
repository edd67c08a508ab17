/**
 * The pseudo file systems the runtime reads and mounts: tracefs, bpffs, the mount table. Internal: not part of the
 * API.
 */
package io.github.bpf2java.ebpf.internal.fs;
