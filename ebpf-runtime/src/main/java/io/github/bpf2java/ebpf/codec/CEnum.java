package io.github.bpf2java.ebpf.codec;

/**
 * A Java enum standing for a C enum: each constant knows its C value. Generated enums implement it and add one
 * constant for the values the C enum does not name (see {@link EnumCodec}).
 */
public interface CEnum {

    /**
     * The C value of this constant.
     *
     * @throws IllegalStateException for the constant that stands for unnamed values, which has none
     */
    long value();
}
