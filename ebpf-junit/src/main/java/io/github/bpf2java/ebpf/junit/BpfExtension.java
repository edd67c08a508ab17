package io.github.bpf2java.ebpf.junit;

import io.github.bpf2java.ebpf.BpfObject;
import io.github.bpf2java.ebpf.error.VerifierException;
import io.github.bpf2java.ebpf.packet.PacketBuilder;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;

/**
 * The extension behind {@link BpfTest}: loads generated objects for parameters and closes them when the test (or,
 * for constructor and lifecycle parameters, its scope) ends. One load per class and scope: two parameters of the
 * same test get the same object. A {@link PacketBuilder} parameter gets a new Ethernet frame builder
 * ({@link PacketBuilder#ethernet()}) per parameter.
 */
public final class BpfExtension implements ParameterResolver {
    // Enough for the verifier's path to a rejection; the rest stays in VerifierException.log().
    private static final int LOG_LINES = 200;
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(BpfExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        if (type == BpfObject.class) {
            // Always this extension's: when no class is configured, resolveParameter says which it looked for.
            return true;
        }
        if (type == PacketBuilder.class) {
            // In a parameterized test, builders are the arguments its source supplies: resolving them here as
            // well would make JUnit refuse the method for competing resolvers.
            return !isParameterizedTest(parameter);
        }
        return isGenerated(type);
    }

    private static boolean isParameterizedTest(ParameterContext parameter) {
        // By name: this module does not depend on junit-jupiter-params.
        return Arrays.stream(parameter.getDeclaringExecutable().getAnnotations()).anyMatch(a -> a.annotationType()
                .getName().equals("org.junit.jupiter.params.ParameterizedTest"));
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        if (type == BpfObject.class) {
            Class<?> generated = configuredClass(context).orElseThrow(() -> new ParameterResolutionException("a "
                    + "BpfObject parameter is the object of a generated class, which " + context.getTestClass()
                            .map(c -> c.getName() + " does not name with @BpfTest(Generated.class); "
                                    + conventionMissed(c)).orElse("this context does not name")
                    + ": name it with @BpfTest(YourGenerated.class) on the test class, or take the generated class "
                    + "itself as the parameter"));
            Object loaded = loaded(generated, context);
            return invoke(generated, "object", loaded);
        }
        if (type == PacketBuilder.class) {
            return PacketBuilder.ethernet();
        }
        return loaded(type, context);
    }

    private static Object loaded(Class<?> generated, ExtensionContext context) {
        return context.getStore(NAMESPACE)
                .getOrComputeIfAbsent(generated, type -> LoadedObject.load(generated, context), LoadedObject.class)
                .instance();
    }

    /**
     * Loads {@code generated}: through the options a {@link BpfLoadOptions} method of the test class returns for it,
     * else with its {@code load()}.
     */
    private static Object load(Class<?> generated, ExtensionContext context) {
        Optional<Method> options = optionsMethod(generated, context);
        if (options.isEmpty()) {
            return invoke(generated, "load", null);
        }
        Method method = options.get();
        Object target = null;
        if (!Modifier.isStatic(method.getModifiers())) {
            target = context.getTestInstance().orElseThrow(() -> new ExtensionConfigurationException("@BpfLoadOptions "
                    + method.getName() + "() must be static to load " + generated.getSimpleName() + " for a"
                    + " constructor or @BeforeAll parameter, which are resolved before the test instance exists"));
        }
        // As JUnit calls test methods: made accessible, and what the method throws is thrown as it is.
        Object configured = ReflectionSupport.invokeMethod(method, target);
        if (configured == null) {
            throw new ParameterResolutionException("@BpfLoadOptions " + method.getName() + "() returned null; return "
                    + generated.getSimpleName() + ".options() with what the test needs set");
        }
        return invoke(method.getReturnType(), "load", configured);
    }

    /** The test class's {@link BpfLoadOptions} method for {@code generated}, if it has one. */
    private static Optional<Method> optionsMethod(Class<?> generated, ExtensionContext context) {
        Optional<Class<?>> testClass = context.getTestClass();
        if (testClass.isEmpty()) {
            return Optional.empty();
        }
        List<Method> annotated = AnnotationSupport.findAnnotatedMethods(testClass.get(), BpfLoadOptions.class,
                HierarchyTraversalMode.TOP_DOWN);
        List<Method> forThisClass = new ArrayList<>();
        for (Method method : annotated) {
            Optional<Class<?>> loads = loadedBy(method.getReturnType());
            if (method.getParameterCount() != 0 || loads.isEmpty()) {
                throw new ExtensionConfigurationException("@BpfLoadOptions " + method.getName() + "() must take no"
                        + " parameters and return a generated class's Options (what Counter.options() returns), not "
                        + method.getReturnType().getName());
            }
            if (loads.get() == generated) {
                forThisClass.add(method);
            }
        }
        if (forThisClass.size() > 1) {
            throw new ExtensionConfigurationException("several @BpfLoadOptions methods return the options of "
                    + generated.getSimpleName() + ": " + forThisClass.stream().map(Method::getName).toList()
                    + "; keep one");
        }
        return forThisClass.stream().findFirst();
    }

    /** The generated class an options class loads: what its public no-argument {@code load()} returns. */
    private static Optional<Class<?>> loadedBy(Class<?> options) {
        try {
            Method load = options.getMethod("load");
            return !Modifier.isStatic(load.getModifiers()) && isGenerated(load.getReturnType())
                    ? Optional.of(load.getReturnType()) : Optional.empty();
        } catch (NoSuchMethodException e) {
            return Optional.empty();
        }
    }

    /** The class {@link BpfTest#value()} names, or the one its naming convention finds. */
    static Optional<Class<?>> configuredClass(ExtensionContext context) {
        Optional<Class<?>> testClass = context.getTestClass();
        if (testClass.isEmpty()) {
            return Optional.empty();
        }
        Optional<BpfTest> annotation = AnnotationSupport.findAnnotation(testClass.get(), BpfTest.class);
        if (annotation.isPresent() && annotation.get().value() != void.class) {
            Class<?> named = annotation.get().value();
            if (!isGenerated(named)) {
                throw new ExtensionConfigurationException("@BpfTest(" + named.getName() + ".class): not a"
                        + " generated object class (needs public static load() returning it and AutoCloseable)");
            }
            return Optional.of(named);
        }
        for (String name : conventionalNames(testClass.get())) {
            try {
                Class<?> candidate = Class.forName(name, false, testClass.get().getClassLoader());
                if (isGenerated(candidate)) {
                    return Optional.of(candidate);
                }
            } catch (ClassNotFoundException e) {
                // no class by convention: only explicitly typed parameters resolve
            }
        }
        return Optional.empty();
    }

    /** The names the convention gives {@code testClass}'s generated class: its name less Tests, Test or IT. */
    private static List<String> conventionalNames(Class<?> testClass) {
        List<String> names = new ArrayList<>();
        String name = testClass.getName();
        for (String suffix : new String[] {"Tests", "Test", "IT"}) {
            if (name.endsWith(suffix) && name.length() > suffix.length()) {
                names.add(name.substring(0, name.length() - suffix.length()));
            }
        }
        return names;
    }

    /** For a message: which generated classes the convention would have taken for {@code testClass}. */
    private static String conventionMissed(Class<?> testClass) {
        List<String> names = conventionalNames(testClass);
        return names.isEmpty() ? "nor is a class named like it (Foo for FooTest)" : "nor is there a generated class "
                + String.join(" or ", names) + " (its name without the suffix)";
    }

    /** Whether {@code type} has the shape of a generated object class. */
    static boolean isGenerated(Class<?> type) {
        if (!AutoCloseable.class.isAssignableFrom(type)) {
            return false;
        }
        try {
            Method load = type.getMethod("load");
            return Modifier.isStatic(load.getModifiers()) && load.getReturnType() == type;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    private static Object invoke(Class<?> type, String method, Object target) {
        try {
            return type.getMethod(method).invoke(target);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof VerifierException rejected) {
                // The test never runs, so it cannot call log(): the report gets the verifier's whole log.
                throw new ParameterResolutionException(type.getName() + "." + method + "() failed: "
                        + rejected.getMessage() + "\n  the verifier's log" + logTail(rejected.log()), rejected);
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime; // a BpfException keeps its hint
            }
            throw new ParameterResolutionException(type.getName() + "." + method + "() failed: " + cause, cause);
        } catch (ReflectiveOperationException e) {
            throw new ParameterResolutionException("cannot call " + type.getName() + "." + method + "(): " + e, e);
        }
    }

    /** The last {@value #LOG_LINES} lines of a verifier log, indented, with how many came before them. */
    private static String logTail(String log) {
        List<String> lines = log.lines().toList();
        int from = Math.max(0, lines.size() - LOG_LINES);
        StringBuilder sb = new StringBuilder(from == 0 ? ":" : " (its last " + LOG_LINES + " of " + lines.size()
                + " lines):");
        lines.subList(from, lines.size()).forEach(line -> sb.append("\n    ").append(line));
        return sb.toString();
    }

    /**
     * A loaded object in the store; JUnit 5.13+ closes {@code AutoCloseable} store values when the scope ends. Its
     * {@code close()} declares {@code Exception} because the generated class is seen only as an {@code AutoCloseable}.
     */
    @SuppressWarnings("try")
    private record LoadedObject(Object instance) implements AutoCloseable {
        static LoadedObject load(Class<?> generated, ExtensionContext context) {
            return new LoadedObject(BpfExtension.load(generated, context));
        }

        @Override
        public void close() throws Exception {
            ((AutoCloseable) instance).close();
        }
    }
}
