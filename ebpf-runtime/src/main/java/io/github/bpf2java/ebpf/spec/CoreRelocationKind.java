package io.github.bpf2java.ebpf.spec;

/** {@code enum bpf_core_relo_kind} from {@code linux/bpf.h}; the ordinal is the UAPI value. */
public enum CoreRelocationKind {
    FIELD_BYTE_OFFSET,
    FIELD_BYTE_SIZE,
    FIELD_EXISTS,
    FIELD_SIGNED,
    FIELD_LSHIFT_U64,
    FIELD_RSHIFT_U64,
    TYPE_ID_LOCAL,
    TYPE_ID_TARGET,
    TYPE_EXISTS,
    TYPE_SIZE,
    ENUMVAL_EXISTS,
    ENUMVAL_VALUE,
    TYPE_MATCHES
}
