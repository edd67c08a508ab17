package io.github.bpf2java.maven.naming;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns C names into Java names: {@code tracepoint_in_c} → {@code TracepointInC} for types, {@code handle_exec} →
 * {@code handleExec} for members. A name that would start with a digit gets a leading {@code _}; a member name that
 * is a Java keyword gets a trailing {@code _}. Pure functions; uniqueness within a scope is {@link NameScope}'s job.
 */
public final class JavaNames {
    /** Java's reserved words and literals (JLS 3.9, 3.10.3, 3.10.8); {@code javax.lang.model} is slow to load. */
    private static final Set<String> KEYWORDS = Set.of("abstract", "assert", "boolean", "break", "byte", "case",
            "catch", "char", "class", "const", "continue", "default", "do", "double", "else", "enum", "extends",
            "final", "finally", "float", "for", "goto", "if", "implements", "import", "instanceof", "int",
            "interface", "long", "native", "new", "package", "private", "protected", "public", "return", "short",
            "static", "strictfp", "super", "switch", "synchronized", "this", "throw", "throws", "transient", "try",
            "void", "volatile", "while", "true", "false", "null", "_");

    /**
     * The public types of {@code java.lang} in JDK 17 to 25 (and {@code StringTemplate}, a preview in 21 and 22).
     * Java imports them implicitly, but a class of the same name in the package hides them there: a generated
     * {@code String} would break every {@code String} of the package, the generated classes' own included.
     */
    private static final Set<String> JAVA_LANG = Set.of("AbstractMethodError", "Appendable", "ArithmeticException",
            "ArrayIndexOutOfBoundsException", "ArrayStoreException", "AssertionError", "AutoCloseable", "Boolean",
            "BootstrapMethodError", "Byte", "CharSequence", "Character", "Class", "ClassCastException",
            "ClassCircularityError", "ClassFormatError", "ClassLoader", "ClassNotFoundException", "ClassValue",
            "CloneNotSupportedException", "Cloneable", "Comparable", "Compiler", "Deprecated", "Double", "Enum",
            "EnumConstantNotPresentException", "Error", "Exception", "ExceptionInInitializerError", "Float",
            "FunctionalInterface", "IO", "IllegalAccessError", "IllegalAccessException", "IllegalArgumentException",
            "IllegalCallerException", "IllegalMonitorStateException", "IllegalStateException",
            "IllegalThreadStateException", "IncompatibleClassChangeError", "IndexOutOfBoundsException",
            "InheritableThreadLocal", "InstantiationError", "InstantiationException", "Integer", "InternalError",
            "InterruptedException", "Iterable", "LayerInstantiationException", "LinkageError", "Long",
            "MatchException", "Math", "Module", "ModuleLayer", "NegativeArraySizeException", "NoClassDefFoundError",
            "NoSuchFieldError", "NoSuchFieldException", "NoSuchMethodError", "NoSuchMethodException",
            "NullPointerException", "Number", "NumberFormatException", "Object", "OutOfMemoryError", "Override",
            "Package", "Process", "ProcessBuilder", "ProcessHandle", "Readable", "Record",
            "ReflectiveOperationException", "Runnable", "Runtime", "RuntimeException", "RuntimePermission",
            "SafeVarargs", "ScopedValue", "SecurityException", "SecurityManager", "Short", "StableValue",
            "StackOverflowError", "StackTraceElement", "StackWalker", "StrictMath", "String", "StringBuffer",
            "StringBuilder", "StringIndexOutOfBoundsException", "StringTemplate", "SuppressWarnings", "System",
            "Thread", "ThreadDeath", "ThreadGroup", "ThreadLocal", "Throwable", "TypeNotPresentException",
            "UnknownError", "UnsatisfiedLinkError", "UnsupportedClassVersionError", "UnsupportedOperationException",
            "VerifyError", "VirtualMachineError", "Void", "WrongThreadException");

    /**
     * The classes nested in generated classes ({@code ObjectClassGenerator}'s {@code Options} in every one,
     * {@code Globals} in those with global variables): a class cannot be nested in a class of the same name. Both are
     * reserved whatever the source holds, so adding a variable never renames the class.
     */
    private static final Set<String> NESTED_IN_EVERY_CLASS = Set.of("Options", "Globals");

    /** What {@link #objectClassName} appends to a name that is taken. */
    static final String OBJECT_CLASS_SUFFIX = "Bpf";

    private JavaNames() {}

    /**
     * The name of the class generated for a source file: {@link #typeName} of its base name ({@code xdp_drop} →
     * {@code XdpDrop}), with {@value #OBJECT_CLASS_SUFFIX} appended when that would hide a {@code java.lang} type in
     * the package ({@code string.c} → {@code StringBpf}, {@code override.c} → {@code OverrideBpf}) or equal a class
     * the generated class nests ({@code options.c} → {@code OptionsBpf}, {@code globals.c} → {@code GlobalsBpf}).
     */
    public static String objectClassName(String fileBaseName) {
        String name = typeName(fileBaseName);
        return JAVA_LANG.contains(name) || NESTED_IN_EVERY_CLASS.contains(name) ? name + OBJECT_CLASS_SUFFIX : name;
    }

    /** The UpperCamelCase type name for a C name or file base name. */
    public static String typeName(String cName) {
        List<String> words = words(cName);
        StringBuilder out = new StringBuilder();
        for (String word : words) {
            out.append(Character.toUpperCase(word.charAt(0))).append(word, 1, word.length());
        }
        return legal(out.toString(), "Unnamed");
    }

    /** The lowerCamelCase member name for a C name. */
    public static String memberName(String cName) {
        List<String> words = words(cName);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            if (i == 0) {
                boolean allUpper = word.equals(word.toUpperCase(Locale.ROOT));
                out.append(allUpper ? word.toLowerCase(Locale.ROOT)
                        : Character.toLowerCase(word.charAt(0)) + word.substring(1));
            } else {
                out.append(Character.toUpperCase(word.charAt(0))).append(word, 1, word.length());
            }
        }
        return legal(out.toString(), "unnamed");
    }

    /**
     * The name of a method derived from member {@code memberName} by {@code suffix}: {@code countUnsigned}. A member
     * escaped for being a keyword ({@code new_}, {@code class_}) drops its underscore, which the derived name no longer
     * needs: {@code newUnsigned}, as its setter is {@code setNew}.
     */
    public static String derivedName(String memberName, String suffix) {
        String base = memberName.endsWith("_") && isKeyword(memberName.substring(0, memberName.length() - 1))
                ? memberName.substring(0, memberName.length() - 1) : memberName;
        return base + suffix;
    }

    /** The UPPER_SNAKE_CASE constant name for a C enumerator. */
    public static String constantName(String cName) {
        String joined = String.join("_", words(cName)).toUpperCase(Locale.ROOT);
        return legal(joined, "UNNAMED");
    }

    /** Whether {@code name} is a legal Java package name (dot-separated identifiers, none a keyword). */
    public static boolean isPackageName(String name) {
        if (name.isEmpty() || name.startsWith(".") || name.endsWith(".")) {
            return false;
        }
        for (String segment : name.split("\\.", -1)) {
            if (segment.isEmpty() || isKeyword(segment) || !Character.isJavaIdentifierStart(segment.codePointAt(0))
                    || !segment.codePoints().allMatch(Character::isJavaIdentifierPart)) {
                return false;
            }
        }
        return true;
    }

    /**
     * A legal package name made from an arbitrary string such as a Maven group id: lowercased, other characters
     * replaced by {@code _}, segments starting with a digit or equal to a keyword fixed with an {@code _}.
     */
    public static String sanitizePackage(String raw) {
        List<String> segments = new ArrayList<>();
        for (String segment : raw.toLowerCase(Locale.ROOT).split("\\.")) {
            if (segment.isEmpty()) {
                continue;
            }
            StringBuilder s = new StringBuilder();
            segment.codePoints().forEach(cp -> s.appendCodePoint(Character.isJavaIdentifierPart(cp) ? cp : '_'));
            String fixed = s.toString();
            if (!Character.isJavaIdentifierStart(fixed.codePointAt(0))) {
                fixed = "_" + fixed;
            }
            if (isKeyword(fixed)) {
                fixed = fixed + "_";
            }
            segments.add(fixed);
        }
        return String.join(".", segments);
    }

    /**
     * The words of a C name: split at every character that is not a letter or digit; an all-uppercase name
     * ({@code MAX_ENTRIES}) is lowercased first so that it camel-cases as {@code maxEntries}.
     */
    private static List<String> words(String cName) {
        String name = cName;
        if (name.equals(name.toUpperCase(Locale.ROOT)) && !name.equals(name.toLowerCase(Locale.ROOT))) {
            name = name.toLowerCase(Locale.ROOT);
        }
        List<String> words = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 128 && Character.isLetterOrDigit(c)) {
                current.append(c);
            } else if (current.length() > 0) {
                words.add(current.toString());
                current.setLength(0);
            }
        }
        if (current.length() > 0) {
            words.add(current.toString());
        }
        return words;
    }

    /** Whether {@code word} is reserved in Java. */
    public static boolean isKeyword(String word) {
        return KEYWORDS.contains(word);
    }

    private static String legal(String name, String fallback) {
        if (name.isEmpty()) {
            return fallback;
        }
        if (Character.isDigit(name.charAt(0))) {
            name = "_" + name;
        }
        if (isKeyword(name)) {
            name = name + "_";
        }
        return name;
    }
}
