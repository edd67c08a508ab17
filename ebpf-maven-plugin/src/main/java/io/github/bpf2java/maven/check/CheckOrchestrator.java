package io.github.bpf2java.maven.check;

import io.github.bpf2java.ebpf.btf.Btf;
import io.github.bpf2java.ebpf.core.CoreCheck;
import io.github.bpf2java.ebpf.core.CoreCheckReport;
import io.github.bpf2java.ebpf.core.CoreFailure;
import io.github.bpf2java.maven.build.BuildLog;
import io.github.bpf2java.maven.build.EbpfBuildException;
import io.github.bpf2java.maven.check.KernelBtfReader.UnreadableBtfException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs {@code ebpf:check}: reads the built objects once, then each kernel's BTF in turn (several at once), runs the
 * runtime's CO-RE relocation engine ({@link CoreCheck}, the same code that relocates at load time) for every object
 * compiled for the kernel's byte order, and reports. Fails when a relocation cannot be satisfied (unless told only to
 * warn) and always when a listed kernel BTF cannot be used, since a check that silently skipped a kernel would
 * promise what it did not prove.
 */
public final class CheckOrchestrator {

    /**
     * Checks, logs the report, and returns the result.
     *
     * @throws EbpfBuildException when a relocation cannot be satisfied and {@link CheckRequest#failOnError()}, when a
     *     kernel BTF cannot be used, or when an object or location is missing or unreadable; the message is the
     *     summary followed by every failing relocation
     */
    public CheckResult execute(CheckRequest request, BuildLog log) throws EbpfBuildException {
        List<BuiltObject> objects = new ObjectDiscovery(request.objectIncludes(), request.objectExcludes())
                .discover(request.objectDirectory());
        if (objects.isEmpty()) {
            log.info("No eBPF objects to check in " + request.objectDirectory());
            return new CheckResult(List.of(), List.of(), List.of());
        }
        List<Path> locations = request.kernelBtfs();
        if (locations.isEmpty()) {
            if (!Files.isReadable(KernelBtfDiscovery.RUNNING_KERNEL)) {
                log.warn("No kernel BTF to check the CO-RE relocations against: this machine's kernel exposes none at "
                        + KernelBtfDiscovery.RUNNING_KERNEL + " and <kernelBtfs> (ebpf.check.kernelBtfs) lists none."
                        + " List the BTF of the kernels you target, e.g. a BTFHub directory of *.btf files.");
                return new CheckResult(objects.stream().map(BuiltObject::name).toList(), List.of(), List.of());
            }
            locations = List.of(KernelBtfDiscovery.RUNNING_KERNEL);
        }
        List<KernelBtf> kernels = new KernelBtfDiscovery(request.projectDirectory()).discover(locations);
        log.info("Checking the CO-RE relocations of " + count(objects.size(), "eBPF object") + " against "
                + count(kernels.size(), "kernel BTF"));
        Set<String> checked = ConcurrentHashMap.newKeySet();
        long start = System.nanoTime();
        List<KernelResult> results = checkAll(objects, kernels, request.parallelism(), checked);
        log.debug("Checked " + count(kernels.size(), "kernel BTF") + " in " + (System.nanoTime() - start) / 1_000_000
                + " ms");
        CheckResult result = new CheckResult(objects.stream().map(BuiltObject::name).toList(), results,
                objects.stream().map(BuiltObject::name).filter(name -> !checked.contains(name)).toList());
        return report(result, request.failOnError(), log);
    }

    private static CheckResult report(CheckResult result, boolean failOnError, BuildLog log)
            throws EbpfBuildException {
        CheckReport report = new CheckReport(result);
        List<String> kernelLines = report.kernelLines();
        for (int i = 0; i < kernelLines.size(); i++) {
            if (result.kernels().get(i).ok()) {
                log.info("  " + kernelLines.get(i));
            } else {
                log.warn("  " + kernelLines.get(i));
            }
        }
        List<String> failures = report.failureLines();
        boolean fails = result.hasUnreadableKernels() || result.hasFailures() && failOnError;
        if (!fails) {
            if (!failures.isEmpty()) {
                log.warn("CO-RE relocations that cannot be satisfied (failOnError is false, so the build goes on):");
                failures.forEach(line -> log.warn("  " + line));
                log.warn(report.summary());
            } else {
                log.info(report.summary());
            }
            return result;
        }
        StringBuilder message = new StringBuilder(report.summary());
        if (!failures.isEmpty()) {
            message.append(". Each relocation, then the reason and the kernels it fails on:");
            failures.forEach(line -> message.append(System.lineSeparator()).append("  ").append(line));
            message.append(System.lineSeparator()).append("Guard the accesses with bpf_core_field_exists()/"
                    + "bpf_core_type_exists() or ___flavor types for these kernels, drop the kernels from"
                    + " <kernelBtfs>, or set <failOnError>false</failOnError> (ebpf.check.failOnError) to only warn.");
        }
        throw new EbpfBuildException(message.toString());
    }

    private static List<KernelResult> checkAll(List<BuiltObject> objects, List<KernelBtf> kernels, int parallelism,
            Set<String> checked) throws EbpfBuildException {
        if (kernels.size() == 1 || parallelism == 1) {
            List<KernelResult> results = new ArrayList<>();
            for (KernelBtf kernel : kernels) {
                results.add(check(objects, kernel, checked));
            }
            return results;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, kernels.size()), runnable -> {
            Thread thread = new Thread(runnable, "ebpf-check");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<KernelResult>> futures = new ArrayList<>();
            for (KernelBtf kernel : kernels) {
                futures.add(pool.submit(() -> check(objects, kernel, checked)));
            }
            List<KernelResult> results = new ArrayList<>();
            for (Future<KernelResult> future : futures) {
                results.add(future.get());
            }
            return results;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof EbpfBuildException buildException) {
                throw buildException;
            }
            throw new EbpfBuildException("The CO-RE check failed unexpectedly: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EbpfBuildException("The CO-RE check was interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Checks every object compiled for {@code kernel}'s byte order against it; adds their names to {@code checked}. */
    private static KernelResult check(List<BuiltObject> objects, KernelBtf kernel, Set<String> checked)
            throws EbpfBuildException {
        Btf btf;
        try {
            btf = new KernelBtfReader().read(kernel);
        } catch (UnreadableBtfException e) {
            return KernelResult.unreadable(kernel, e.getMessage());
        }
        int objectCount = 0;
        int relocations = 0;
        int guarded = 0;
        List<RelocationFailure> failures = new ArrayList<>();
        for (BuiltObject object : objects) {
            if (!object.spec().byteOrder().equals(btf.byteOrder())) {
                continue;
            }
            CoreCheckReport report;
            try {
                report = CoreCheck.check(object.spec(), btf);
            } catch (RuntimeException e) {
                throw new EbpfBuildException("The CO-RE check of " + object.name() + " against " + kernel.name()
                        + " failed: " + e.getMessage(), e);
            }
            objectCount++;
            checked.add(object.name());
            relocations += report.relocations();
            guarded += report.guarded().size();
            for (CoreFailure failure : report.failures()) {
                failures.add(new RelocationFailure(object.name(), failure.program(), failure.instruction(),
                        failure.kind(), failure.accessString(), failure.localType(), failure.reason()));
            }
        }
        return new KernelResult(kernel, objectCount, relocations, failures, guarded, Optional.empty());
    }

    private static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
