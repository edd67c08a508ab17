package io.github.bpf2java.maven.codegen;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import java.util.Optional;
import javax.lang.model.element.Modifier;

/**
 * The second setter of an unsigned C integer of at most 32 bits: Java holds a {@code __u16} in a {@code short}, so
 * port 40000 is {@code (short) 40000} to the plain setter; this one takes the next wider type, checks that the value
 * is one the C type can hold and passes its bits on. A user writes {@code dropPort(40000)}, and a value the type cannot
 * hold ({@code -1}, {@code 70000}) is refused instead of cut off.
 *
 * @param wider  the parameter's type: {@code int} for 8- and 16-bit integers, {@code long} for 32-bit ones
 * @param narrow the plain setter's parameter type
 * @param max    the largest value
 */
record UnsignedSetter(TypeName wider, TypeName narrow, long max) {

    /** The overload for values of form {@code t}; empty unless it is an unsigned integer of 8 to 32 bits. */
    static Optional<UnsignedSetter> of(TypeMapping.JavaType t) {
        if (!t.unsigned() || t.pointer() || !t.primitive()) {
            return Optional.empty();
        }
        return switch (t.shape()) {
            case BYTE -> Optional.of(new UnsignedSetter(TypeName.INT, TypeName.BYTE, max(t.shape())));
            case SHORT -> Optional.of(new UnsignedSetter(TypeName.INT, TypeName.SHORT, max(t.shape())));
            case INT -> Optional.of(new UnsignedSetter(TypeName.LONG, TypeName.INT, max(t.shape())));
            default -> Optional.empty();
        };
    }

    /** The largest value of an unsigned C integer that Java holds as {@code shape}: a byte, short or int. */
    static long max(TypeMapping.Shape shape) {
        return switch (shape) {
            case BYTE -> 0xFFL;
            case SHORT -> 0xFFFFL;
            case INT -> 0xFFFF_FFFFL;
            default -> throw new IllegalArgumentException("not an unsigned integer of at most 32 bits: " + shape);
        };
    }

    /** The largest value as a Java literal of {@code wider}'s type. */
    private String maxLiteral() {
        return max + (wider.equals(TypeName.LONG) ? "L" : "");
    }

    /**
     * A public method {@code name(wider value)} that checks the range, then calls {@code name(narrow)}.
     *
     * @param cVariable the variable's C declaration, for the message
     * @param javadoc   the method's Javadoc up to the tags
     * @param returns   the return type, or null for {@code void}
     * @param returnTag the {@code @return} text, when there is a return type
     */
    MethodSpec method(String name, String cVariable, CodeBlock javadoc, TypeName returns, String returnTag) {
        MethodSpec.Builder method = MethodSpec.methodBuilder(name).addModifiers(Modifier.PUBLIC)
                .addParameter(wider, "value")
                .addJavadoc(javadoc)
                .addJavadoc("\n@param value the value, 0 to $L\n", max);
        if (returns != null) {
            method.returns(returns).addJavadoc("@return $L\n", returnTag);
        }
        method.addJavadoc("@throws IllegalArgumentException when {@code value} is outside that range\n")
                .beginControlFlow("if (value < 0 || value > $L)", maxLiteral())
                .addStatement("throw new $T($S + value)", IllegalArgumentException.class,
                        cVariable + " holds 0 to " + max + ", not ")
                .endControlFlow();
        return method.addStatement((returns == null ? "" : "return ") + "$N(($T) value)", name, narrow).build();
    }
}
