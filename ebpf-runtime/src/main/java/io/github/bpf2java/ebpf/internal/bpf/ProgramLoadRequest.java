package io.github.bpf2java.ebpf.internal.bpf;

import io.github.bpf2java.ebpf.internal.host.KernelVersion;
import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.spec.AttachType;
import io.github.bpf2java.ebpf.spec.ProgramType;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The attributes of {@code BPF_PROG_LOAD}. Build one with {@link #builder(ProgramType, byte[], String)}.
 *
 * <p>Internal: part of the syscall layer, not of the stable API.
 *
 * @param type               {@code prog_type}
 * @param instructions       {@code insns}: the relocated instructions, 8 bytes each, in host byte order
 * @param license            {@code license}, e.g. {@code GPL} (GPL-only helpers need a GPL-compatible one)
 * @param name               {@code prog_name}; sanitized and truncated to 15 characters when sent, but the full name
 *                           appears in errors
 * @param kernVersion        {@code kern_version}: {@link KernelVersion#code()}, needed by kprobes before Linux 5.0
 * @param flags              {@code prog_flags}, see {@link ProgramFlag}
 * @param ifindex            {@code prog_ifindex} for offloaded or device-bound programs, 0 for none
 * @param expectedAttachType {@code expected_attach_type}
 * @param btf                {@code prog_btf_fd}: the object's BTF, needed with func or line info
 * @param funcInfo           {@code func_info}: {@code bpf_func_info} records from {@code .BTF.ext}
 * @param lineInfo           {@code line_info}: {@code bpf_line_info} records from {@code .BTF.ext}
 * @param coreRelocations    {@code core_relos}: {@code bpf_core_relo} records the kernel applies itself against its
 *                           own BTF before verifying (Linux 5.17+); their offsets are in bytes, their access strings
 *                           offsets into the program's BTF ({@code prog_btf_fd}), which they need
 * @param attachBtfId        {@code attach_btf_id}: the BTF id of the attach target (fentry, tp_btf, LSM, ...)
 * @param attachTarget       {@code attach_prog_fd} (freplace: the target program) or {@code attach_btf_obj_fd}
 *                           (a kernel module's BTF)
 * @param fdArray            {@code fd_array}: the descriptors {@code BPF_PSEUDO_MAP_IDX} instructions index
 * @param logLevel           the verifier log level for the retry after a failed load: 1, 2, or'ed with 4 for
 *                           statistics
 * @param structOpsMember    for {@code STRUCT_OPS} programs, the index of the kernel structure's member the
 *                           program implements, which the kernel takes in {@code expected_attach_type}; else 0
 */
public record ProgramLoadRequest(ProgramType type, byte[] instructions, String license, String name,
        int kernVersion, int flags, int ifindex, Optional<AttachType> expectedAttachType, Optional<Fd> btf,
        Optional<BtfExtRecords> funcInfo, Optional<BtfExtRecords> lineInfo,
        Optional<BtfExtRecords> coreRelocations, int attachBtfId,
        Optional<Fd> attachTarget, List<Fd> fdArray, int logLevel, int structOpsMember) {

    /** The most instructions a privileged load may have ({@code BPF_COMPLEXITY_LIMIT_INSNS}); unprivileged: 4096. */
    private static final int MAX_INSNS = 1_000_000;

    public ProgramLoadRequest {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(license, "license");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(expectedAttachType, "expectedAttachType");
        Objects.requireNonNull(btf, "btf");
        Objects.requireNonNull(funcInfo, "funcInfo");
        Objects.requireNonNull(lineInfo, "lineInfo");
        Objects.requireNonNull(coreRelocations, "coreRelocations");
        Objects.requireNonNull(attachTarget, "attachTarget");
        fdArray = List.copyOf(fdArray);
        instructions = instructions.clone();
        if (instructions.length == 0 || instructions.length % 8 != 0) {
            throw new IllegalArgumentException("program '" + name + "': instructions must be a non-empty multiple "
                    + "of 8 bytes, got " + instructions.length);
        }
        if (instructions.length / 8 > MAX_INSNS) {
            throw new IllegalArgumentException("program '" + name + "': " + instructions.length / 8
                    + " instructions exceed the kernel's limit of " + MAX_INSNS);
        }
        if (logLevel < 1 || (logLevel & ~7) != 0) {
            throw new IllegalArgumentException("program '" + name + "': log level must be 1, 2 or 4 or'ed: "
                    + logLevel);
        }
    }

    /** The instructions (a copy). */
    @Override
    public byte[] instructions() {
        return instructions.clone();
    }

    /** The number of 8-byte instruction slots ({@code insn_cnt}). */
    public int instructionCount() {
        return instructions.length / 8;
    }

    /** A builder for a program with no BTF, flags or attach target. */
    public static Builder builder(ProgramType type, byte[] instructions, String license) {
        return new Builder(type, instructions, license);
    }

    /** What the program is called in messages. */
    String subject() {
        return "program '" + name + "'";
    }

    /** Builds a {@link ProgramLoadRequest}. */
    public static final class Builder {
        private final ProgramType type;
        private final byte[] instructions;
        private final String license;
        private String name = "";
        private int kernVersion;
        private int flags;
        private int ifindex;
        private AttachType expectedAttachType;
        private Fd btf;
        private BtfExtRecords funcInfo;
        private BtfExtRecords lineInfo;
        private BtfExtRecords coreRelocations;
        private int attachBtfId;
        private Fd attachTarget;
        private List<Fd> fdArray = List.of();
        private int logLevel = 1;
        private int structOpsMember;

        private Builder(ProgramType type, byte[] instructions, String license) {
            this.type = type;
            this.instructions = instructions;
            this.license = license;
        }

        /** {@code prog_name}. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name);
            return this;
        }

        /** {@code kern_version}. */
        public Builder kernVersion(int code) {
            this.kernVersion = code;
            return this;
        }

        /** {@code prog_flags}. */
        public Builder flags(int flags) {
            this.flags = flags;
            return this;
        }

        /** {@code prog_ifindex}. */
        public Builder ifindex(int ifindex) {
            this.ifindex = ifindex;
            return this;
        }

        /** {@code expected_attach_type}. */
        public Builder expectedAttachType(AttachType type) {
            this.expectedAttachType = type;
            return this;
        }

        /** {@code prog_btf_fd}. */
        public Builder btf(Fd btf) {
            this.btf = btf;
            return this;
        }

        /** {@code func_info_rec_size}, {@code func_info}, {@code func_info_cnt}. */
        public Builder funcInfo(BtfExtRecords records) {
            this.funcInfo = records;
            return this;
        }

        /** {@code line_info_rec_size}, {@code line_info}, {@code line_info_cnt}. */
        public Builder lineInfo(BtfExtRecords records) {
            this.lineInfo = records;
            return this;
        }

        /** {@code core_relos}, {@code core_relo_cnt}, {@code core_relo_rec_size}. */
        public Builder coreRelocations(BtfExtRecords records) {
            this.coreRelocations = records;
            return this;
        }

        /** {@code attach_btf_id}. */
        public Builder attachBtfId(int id) {
            this.attachBtfId = id;
            return this;
        }

        /** {@code attach_prog_fd} / {@code attach_btf_obj_fd}. */
        public Builder attachTarget(Fd target) {
            this.attachTarget = target;
            return this;
        }

        /** {@code fd_array}. */
        public Builder fdArray(List<Fd> fds) {
            this.fdArray = List.copyOf(fds);
            return this;
        }

        /** The verifier log level of the retry after a failure: 1 (default), 2, or'ed with 4 for statistics. */
        public Builder logLevel(int level) {
            this.logLevel = level;
            return this;
        }

        /** For a struct_ops program: the member index of the kernel structure it implements. */
        public Builder structOpsMember(int index) {
            this.structOpsMember = index;
            return this;
        }

        public ProgramLoadRequest build() {
            return new ProgramLoadRequest(type, instructions, license, name, kernVersion, flags, ifindex,
                    Optional.ofNullable(expectedAttachType), Optional.ofNullable(btf), Optional.ofNullable(funcInfo),
                    Optional.ofNullable(lineInfo), Optional.ofNullable(coreRelocations), attachBtfId, Optional.ofNullable(attachTarget), fdArray,
                    logLevel, structOpsMember);
        }
    }
}
