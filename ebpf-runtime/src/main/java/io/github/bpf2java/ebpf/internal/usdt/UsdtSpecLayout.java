package io.github.bpf2java.ebpf.internal.usdt;

import io.github.bpf2java.ebpf.btf.Btf;
import io.github.bpf2java.ebpf.btf.BtfType;
import io.github.bpf2java.ebpf.error.BpfException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;

/**
 * Where {@code struct __bpf_usdt_spec} (the value of {@code usdt.bpf.h}'s {@code __bpf_usdt_specs} map) keeps each
 * field, read from the object's own BTF: so the values written are laid out exactly as the {@code usdt.bpf.h} the
 * program was compiled with expects, whichever libbpf release it came from.
 */
final class UsdtSpecLayout {
    static final String SPEC_STRUCT = "__bpf_usdt_spec";

    private final int size;
    private final int argsOffset;
    private final int argStride;
    private final int argCapacity;
    private final int cookieOffset;
    private final int countOffset;
    private final Field valOff;
    private final Field argType;
    private final Field regOff;
    private final Field argSigned;
    private final Field argBitshift;

    /** A member: its byte offset, and its width in bits when it is a bit field (0 otherwise). */
    private record Field(int byteOffset, int bits, int size) {}

    private UsdtSpecLayout(Btf btf, BtfType.Struct spec) {
        this.size = spec.size();
        BtfType.Member args = member(spec, "args");
        if (!(btf.resolve(args.typeId()) instanceof BtfType.Array array)
                || !(btf.resolve(array.elementTypeId()) instanceof BtfType.Struct arg)) {
            throw new BpfException("struct " + SPEC_STRUCT + ".args is not an array of structs in the object's BTF");
        }
        this.argsOffset = (int) (args.bitOffset() / 8);
        this.argStride = arg.size();
        this.argCapacity = array.length();
        this.cookieOffset = (int) (member(spec, "usdt_cookie").bitOffset() / 8);
        this.countOffset = (int) (member(spec, "arg_cnt").bitOffset() / 8);
        this.valOff = field(btf, arg, "val_off");
        this.argType = field(btf, arg, "arg_type");
        this.regOff = field(btf, arg, "reg_off");
        this.argSigned = field(btf, arg, "arg_signed");
        this.argBitshift = field(btf, arg, "arg_bitshift");
    }

    /** The layout the object's BTF describes, if it has {@code struct __bpf_usdt_spec}. */
    static Optional<UsdtSpecLayout> of(Btf btf) {
        return btf.find(SPEC_STRUCT, BtfType.Struct.class).map(s -> new UsdtSpecLayout(btf, s));
    }

    /** The bytes of one spec value in the host's byte order. */
    byte[] encode(List<UsdtArgument> arguments, long usdtCookie) {
        if (arguments.size() > argCapacity) {
            throw new BpfException("USDT probe has " + arguments.size() + " arguments; this usdt.bpf.h holds "
                    + argCapacity);
        }
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.nativeOrder());
        for (int i = 0; i < arguments.size(); i++) {
            UsdtArgument a = arguments.get(i);
            int base = argsOffset + i * argStride;
            put(b, base, valOff, a.value());
            put(b, base, argType, a.kind().ordinal());
            put(b, base, regOff, a.regOffset());
            put(b, base, argSigned, a.signed() ? 1 : 0);
            put(b, base, argBitshift, a.bitShift());
        }
        b.putLong(cookieOffset, usdtCookie);
        b.putShort(countOffset, (short) arguments.size());
        return b.array();
    }

    private static void put(ByteBuffer b, int base, Field f, long value) {
        int at = base + f.byteOffset();
        switch (f.bits() != 0 ? 1 : f.size()) {
            case 1 -> b.put(at, (byte) value);
            case 2 -> b.putShort(at, (short) value);
            case 4 -> b.putInt(at, (int) value);
            case 8 -> b.putLong(at, value);
            default -> throw new BpfException("unexpected size " + f.size() + " of a USDT spec field");
        }
    }

    private static BtfType.Member member(BtfType.Struct s, String name) {
        return s.members().stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow(() ->
                new BpfException("struct " + s.name() + " in the object's BTF has no member '" + name
                        + "'; is it libbpf's usdt.bpf.h?"));
    }

    private static Field field(Btf btf, BtfType.Struct s, String name) {
        BtfType.Member m = member(s, name);
        if (m.bitfieldSize() != 0 && (m.bitfieldSize() != 8 || m.bitOffset() % 8 != 0)) {
            throw new BpfException("struct " + s.name() + "." + name + " is a " + m.bitfieldSize()
                    + "-bit field at bit " + m.bitOffset() + ", which bpf2java cannot write");
        }
        return new Field((int) (m.bitOffset() / 8), m.bitfieldSize(), (int) btf.sizeOf(m.typeId()));
    }
}
