package io.github.bpf2java.ebpf;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The rules docs/architecture.md states for the runtime's packages, checked on the compiled classes: data flows one
 * way, the parsers never reach the kernel, only the native bridge calls native code, and the API does not leak
 * internal types.
 */
class PackageStructureTest {
    private static final String ROOT = "io.github.bpf2java.ebpf";
    private static final Set<String> API_PACKAGES = Set.of(ROOT, ROOT + ".attach", ROOT + ".btf", ROOT + ".codec",
            ROOT + ".core", ROOT + ".error", ROOT + ".linker", ROOT + ".packet", ROOT + ".run", ROOT + ".spec");
    private static final String[] PARSERS = {ROOT + ".btf..", ROOT + ".spec..", ROOT + ".internal.elf..",
        ROOT + ".internal.asm..", ROOT + ".core..", ROOT + ".internal.core.."};
    private static final String[] KERNEL_SIDE = {ROOT + ".internal.syscall..", ROOT + ".internal.bpf..",
        ROOT + ".internal.perf..", ROOT + ".internal.fs..", ROOT + ".internal.host..", ROOT + ".internal.load..",
        ROOT + ".internal.link..", ROOT + ".internal.netlink..", ROOT + ".internal.usdt..",
        ROOT + ".internal.probe.."};

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching(ROOT + ".(**)").should().beFreeOfCycles().check(CLASSES);
        // The top-level package is not matched by (**): check it against every other package on its own.
        noClasses().that().resideInAnyPackage(ROOT + ".internal..", ROOT + ".spec..", ROOT + ".btf..",
                ROOT + ".error..", ROOT + ".codec..", ROOT + ".core..", ROOT + ".attach..", ROOT + ".run..",
                ROOT + ".packet..")
                .should().dependOnClassesThat().resideInAPackage(ROOT)
                .because("the facade sits on top: nothing below it may call back up")
                .check(CLASSES);
    }

    @Test
    void parsersNeverReachTheKernel() {
        noClasses().that().resideInAnyPackage(PARSERS)
                .should().dependOnClassesThat().resideInAnyPackage(KERNEL_SIDE)
                .because("the build plugin reuses the parsers on machines without BPF")
                .check(CLASSES);
    }

    @Test
    void onlyTheNativeBridgeCallsNativeCode() {
        noClasses().that().resideOutsideOfPackage(ROOT + ".internal.syscall..")
                .should().dependOnClassesThat().resideInAnyPackage("com.sun.jna..", "java.lang.foreign..", "sun.misc..")
                .check(CLASSES);
    }

    @Test
    void errorsAreALeaf() {
        noClasses().that().resideInAPackage(ROOT + ".error..")
                .should().dependOnClassesThat(new DescribedPredicate<JavaClass>("are other classes of the runtime") {
                    @Override
                    public boolean test(JavaClass target) {
                        return target.getPackageName().startsWith(ROOT)
                                && !target.getPackageName().equals(ROOT + ".error");
                    }
                })
                .check(CLASSES);
    }

    @Test
    void apiSignaturesNameNoInternalType() {
        List<String> leaks = new ArrayList<>();
        for (JavaClass type : CLASSES) {
            if (!API_PACKAGES.contains(type.getPackageName()) || !isVisible(type)) {
                continue;
            }
            for (JavaCodeUnit member : type.getCodeUnits()) {
                if (!member.getModifiers().contains(JavaModifier.PUBLIC)
                        && !member.getModifiers().contains(JavaModifier.PROTECTED)) {
                    continue;
                }
                Set<JavaClass> named = new TreeSet<>((a, b) -> a.getName().compareTo(b.getName()));
                named.add(member.getRawReturnType());
                named.addAll(member.getRawParameterTypes());
                for (JavaClass used : named) {
                    if (used.getPackageName().startsWith(ROOT + ".internal")) {
                        leaks.add(member.getFullName() + " names " + used.getName());
                    }
                }
            }
        }
        assertEquals(List.of(), leaks, "public API members must not take or return internal types");
    }

    @Test
    void moduleDescriptorExportsExactlyTheApiPackages() throws URISyntaxException {
        Path classes = Path.of(BpfObject.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ModuleDescriptor descriptor = ModuleFinder.of(classes).findAll().iterator().next().descriptor();
        assertEquals("io.github.bpf2java.ebpf", descriptor.name());
        Set<String> exported = descriptor.exports().stream()
                .peek(export -> assertTrue(export.targets().isEmpty(), "qualified export: " + export))
                .map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toSet());
        assertEquals(API_PACKAGES, exported);
        assertTrue(descriptor.packages().stream().filter(p -> !API_PACKAGES.contains(p))
                .allMatch(p -> p.startsWith(ROOT + ".internal.")), "every unexported package is internal");
    }

    private static boolean isVisible(JavaClass type) {
        for (JavaClass t = type; t != null; t = t.getEnclosingClass().orElse(null)) {
            if (!t.getModifiers().contains(JavaModifier.PUBLIC)) {
                return false;
            }
        }
        return true;
    }
}
