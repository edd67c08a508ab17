package io.github.bpf2java.ebpf.btf;

import java.util.List;

/**
 * One BTF type, as {@code linux/btf.h} describes it. Types refer to each other by type id (an index into
 * {@link Btf#types()}), never by object reference, so a malformed file with a reference loop cannot make a
 * recursive structure; walk references through {@link Btf#type(int)}.
 */
public sealed interface BtfType {

    /** This type's id; 0 is {@code void}. */
    int id();

    /** The type's name, or the empty string for anonymous types. */
    String name();

    /** Type id 0: {@code void}. */
    record Void() implements BtfType {
        @Override
        public int id() {
            return 0;
        }

        @Override
        public String name() {
            return "void";
        }
    }

    /** {@code BTF_KIND_INT}: an integer, char or bool, possibly a bit field. */
    record Int(int id, String name, int size, boolean signed, boolean isChar, boolean isBool, int bitOffset, int bits)
            implements BtfType {}

    /** {@code BTF_KIND_PTR}. */
    record Pointer(int id, int targetId) implements BtfType {
        @Override
        public String name() {
            return "";
        }
    }

    /** {@code BTF_KIND_ARRAY}. */
    record Array(int id, int elementTypeId, int indexTypeId, int length) implements BtfType {
        @Override
        public String name() {
            return "";
        }
    }

    /** A member of a struct or union; {@code bitOffset} counts from the start of the enclosing type. */
    record Member(String name, int typeId, long bitOffset, int bitfieldSize) {}

    /** {@code BTF_KIND_STRUCT}. */
    record Struct(int id, String name, int size, List<Member> members) implements BtfType {}

    /** {@code BTF_KIND_UNION}. */
    record Union(int id, String name, int size, List<Member> members) implements BtfType {}

    /** One enumerator of an {@link Enum}. */
    record EnumValue(String name, long value) {}

    /** {@code BTF_KIND_ENUM} (32-bit) and {@code BTF_KIND_ENUM64} (64-bit), told apart by {@code size}. */
    record Enum(int id, String name, int size, boolean signed, List<EnumValue> values) implements BtfType {}

    /** {@code BTF_KIND_FWD}: a forward declaration of a struct or union. */
    record Forward(int id, String name, boolean union) implements BtfType {}

    /** {@code BTF_KIND_TYPEDEF}. */
    record Typedef(int id, String name, int targetId) implements BtfType {}

    /**
     * A qualifier ({@code BTF_KIND_VOLATILE}, {@code _CONST}, {@code _RESTRICT}) or {@code BTF_KIND_TYPE_TAG}.
     *
     * @param attribute for a type tag, whether {@code kind_flag} is set: the tag's name is a whole attribute
     *                  ({@code __attribute__((name))}) rather than the string of a {@code btf_type_tag}
     */
    record Qualifier(int id, QualifierKind kind, String name, int targetId, boolean attribute) implements BtfType {
        /** A qualifier or plain {@code btf_type_tag}. */
        public Qualifier(int id, QualifierKind kind, String name, int targetId) {
            this(id, kind, name, targetId, false);
        }
    }

    /** Which qualifier a {@link Qualifier} is. */
    enum QualifierKind {
        VOLATILE,
        CONST,
        RESTRICT,
        TYPE_TAG
    }

    /** Function linkage, shared by {@code BTF_KIND_FUNC} and {@code BTF_KIND_VAR}. */
    enum Linkage {
        STATIC,
        GLOBAL,
        EXTERN
    }

    /** {@code BTF_KIND_FUNC}. */
    record Func(int id, String name, int protoId, Linkage linkage) implements BtfType {}

    /** A parameter of a {@link FuncProto}. */
    record Param(String name, int typeId) {}

    /** {@code BTF_KIND_FUNC_PROTO}. */
    record FuncProto(int id, int returnTypeId, List<Param> params) implements BtfType {
        @Override
        public String name() {
            return "";
        }
    }

    /** {@code BTF_KIND_VAR}. */
    record Var(int id, String name, int typeId, Linkage linkage) implements BtfType {}

    /** One variable placed in a {@link DataSection}. */
    record VarPlacement(int varTypeId, int offset, int size) {}

    /** {@code BTF_KIND_DATASEC}: the variables of one ELF section. */
    record DataSection(int id, String name, int size, List<VarPlacement> variables) implements BtfType {}

    /** {@code BTF_KIND_FLOAT}. */
    record Float(int id, String name, int size) implements BtfType {}

    /**
     * {@code BTF_KIND_DECL_TAG}; {@code componentIndex} is -1 when the tag applies to the whole type.
     *
     * @param attribute whether {@code kind_flag} is set: the name is a whole attribute rather than the string of a
     *                  {@code btf_decl_tag}
     */
    record DeclTag(int id, String name, int targetId, int componentIndex, boolean attribute) implements BtfType {
        /** A plain {@code btf_decl_tag}. */
        public DeclTag(int id, String name, int targetId, int componentIndex) {
            this(id, name, targetId, componentIndex, false);
        }
    }
}
