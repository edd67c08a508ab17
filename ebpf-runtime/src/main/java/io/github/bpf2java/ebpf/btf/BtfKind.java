package io.github.bpf2java.ebpf.btf;

/** The {@code BTF_KIND_*} numbers of {@code linux/btf.h} and the fixed layout facts the reader and encoder share. */
final class BtfKind {
    static final int INT = 1;
    static final int PTR = 2;
    static final int ARRAY = 3;
    static final int STRUCT = 4;
    static final int UNION = 5;
    static final int ENUM = 6;
    static final int FWD = 7;
    static final int TYPEDEF = 8;
    static final int VOLATILE = 9;
    static final int CONST = 10;
    static final int RESTRICT = 11;
    static final int FUNC = 12;
    static final int FUNC_PROTO = 13;
    static final int VAR = 14;
    static final int DATASEC = 15;
    static final int FLOAT = 16;
    static final int DECL_TAG = 17;
    static final int TYPE_TAG = 18;
    static final int ENUM64 = 19;

    /** {@code struct btf_type}: name_off, info, size/type. */
    static final int TYPE_SIZE = 12;
    /** {@code struct btf_header} as this reader writes it. */
    static final int HEADER_SIZE = 24;
    static final int MAGIC = 0xeB9F;

    private BtfKind() {}

    /** The kind's name as {@code bpftool btf dump} spells it. */
    static String name(int kind) {
        return switch (kind) {
            case INT -> "INT";
            case PTR -> "PTR";
            case ARRAY -> "ARRAY";
            case STRUCT -> "STRUCT";
            case UNION -> "UNION";
            case ENUM -> "ENUM";
            case FWD -> "FWD";
            case TYPEDEF -> "TYPEDEF";
            case VOLATILE -> "VOLATILE";
            case CONST -> "CONST";
            case RESTRICT -> "RESTRICT";
            case FUNC -> "FUNC";
            case FUNC_PROTO -> "FUNC_PROTO";
            case VAR -> "VAR";
            case DATASEC -> "DATASEC";
            case FLOAT -> "FLOAT";
            case DECL_TAG -> "DECL_TAG";
            case TYPE_TAG -> "TYPE_TAG";
            case ENUM64 -> "ENUM64";
            default -> "UNKNOWN(" + kind + ")";
        };
    }

    /**
     * The bytes following the 12-byte {@code btf_type} for a type of this kind with {@code vlen} entries, or -1 for
     * an unknown kind.
     */
    static long extraSize(int kind, int vlen) {
        return switch (kind) {
            case INT, VAR, DECL_TAG -> 4;
            case PTR, FWD, TYPEDEF, VOLATILE, CONST, RESTRICT, FUNC, FLOAT, TYPE_TAG -> 0;
            case ARRAY -> 12;
            case STRUCT, UNION, DATASEC, ENUM64 -> 12L * vlen;
            case ENUM, FUNC_PROTO -> 8L * vlen;
            default -> -1;
        };
    }
}
