package io.github.bpf2java.maven;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The plugin's dependency rules (docs/architecture.md): data flows one way, from the mojo through the orchestrator to
 * the steps, and the packages show it. A change that breaks one of these fails the build with the offending
 * dependency named.
 */
@AnalyzeClasses(packages = "io.github.bpf2java.maven", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    private static final String PLUGIN = "io.github.bpf2java.maven";
    private static final String MOJO = PLUGIN + ".mojo..";
    private static final String ORCHESTRATOR = PLUGIN + ".generate..";
    private static final String BUILD = PLUGIN + ".build..";

    /** A cycle means a type sits in the wrong package: every package can be understood after the ones it uses. */
    @ArchTest
    static final ArchRule packagesAreFreeOfCycles = slices().matching(PLUGIN + ".(*)..")
            .namingSlices("package $1").should().beFreeOfCycles();

    /** The mojo is the entry point Maven calls; nothing else may reach back into it. */
    @ArchTest
    static final ArchRule nothingDependsOnTheMojo = noClasses().that().resideOutsideOfPackage(MOJO)
            .should().dependOnClassesThat().resideInAPackage(MOJO)
            .because("the mojo only adapts Maven's parameters and log to the orchestrator");

    /** The orchestrator runs without Maven, so tests drive it directly. */
    @ArchTest
    static final ArchRule orchestratorDoesNotDependOnTheMojo = noClasses().that().resideInAPackage(ORCHESTRATOR)
            .should().dependOnClassesThat().resideInAPackage(MOJO);

    /** Only the mojo knows Maven: everything below it is plain Java, unit-testable without a Maven session. */
    @ArchTest
    static final ArchRule onlyTheMojoKnowsMaven = noClasses().that().resideOutsideOfPackage(MOJO)
            .should().dependOnClassesThat().resideInAnyPackage("org.apache.maven..",
                    "org.codehaus.plexus..", "org.eclipse.aether..");

    /** The log and the build error are used by every step, so they must use none. */
    @ArchTest
    static final ArchRule buildPackageIsALeaf = noClasses().that().resideInAPackage(BUILD)
            .should().dependOnClassesThat(resideInAnyPackage("io.github.bpf2java..").and(not(resideInAPackage(BUILD))))
            .because("every package depends on it, so any dependency of it would close a cycle");

    /**
     * The plugin reads objects with the runtime's parsers and names its API types in generated code; it never loads
     * anything into the kernel, so it has no business with the runtime's internals.
     */
    @ArchTest
    static final ArchRule pluginUsesOnlyTheRuntimesApi = noClasses().should().dependOnClassesThat()
            .resideInAnyPackage("io.github.bpf2java.ebpf.internal..", "io.github.bpf2java.ebpf.sys..",
                    "io.github.bpf2java.ebpf.load..", "io.github.bpf2java.ebpf.link..");
}
