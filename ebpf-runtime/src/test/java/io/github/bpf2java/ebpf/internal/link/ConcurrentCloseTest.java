package io.github.bpf2java.ebpf.internal.link;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link ConcurrentClose}: everything closed whatever fails, on two threads at once, and the caller's interrupt kept. */
class ConcurrentCloseTest {

    @Test
    void twoResourcesCloseAtTheSameTime() {
        // The first close waits for the second to have begun: closed one after the other, it would wait in vain.
        CountDownLatch secondBegun = new CountDownLatch(1);
        Set<String> threads = ConcurrentHashMap.newKeySet();
        List<Boolean> firstSawSecond = new ArrayList<>();
        AutoCloseable first = () -> {
            threads.add(Thread.currentThread().getName());
            firstSawSecond.add(secondBegun.await(30, TimeUnit.SECONDS));
        };
        AutoCloseable second = () -> {
            threads.add(Thread.currentThread().getName());
            secondBegun.countDown();
        };
        ConcurrentClose.closeAll(List.of(first, second));
        assertEquals(List.of(true), firstSawSecond, "the second was closed while the first was still closing");
        assertEquals(Set.of(Thread.currentThread().getName(), "bpf2java-close"), threads);
    }

    @Test
    void oneResourceIsClosedOnTheCallersThread() {
        List<String> threads = new ArrayList<>();
        ConcurrentClose.closeAll(List.of(() -> threads.add(Thread.currentThread().getName())));
        assertEquals(List.of(Thread.currentThread().getName()), threads);
        ConcurrentClose.closeAll(List.of());
    }

    @Test
    void everyResourceIsClosedAndTheFirstFailureCarriesTheOthers() {
        boolean[] closed = new boolean[6];
        IllegalStateException stateFailure = new IllegalStateException("first");
        List<AutoCloseable> resources = new ArrayList<>();
        for (int i = 0; i < closed.length; i++) {
            int index = i;
            resources.add(() -> {
                closed[index] = true;
                if (index == 1) {
                    throw stateFailure;
                }
                if (index == 4) {
                    throw new IOException("checked");
                }
            });
        }
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> ConcurrentClose.closeAll(resources));
        boolean[] all = new boolean[closed.length];
        java.util.Arrays.fill(all, true);
        assertArrayEquals(all, closed, "every resource was closed");
        // Which failure comes first depends on the threads; the other is suppressed in it.
        List<Throwable> failures = new ArrayList<>(List.of(thrown.getSuppressed()));
        failures.add(thrown instanceof IllegalStateException && thrown.getCause() instanceof IOException
                ? thrown.getCause() : thrown);
        assertEquals(2, failures.size(), failures.toString());
        assertTrue(failures.contains(stateFailure), failures.toString());
        assertTrue(failures.stream().anyMatch(f -> f instanceof IOException), failures.toString());
    }

    @Test
    void anErrorIsThrownAsItself() {
        AssertionError error = new AssertionError("from close");
        assertSame(error, assertThrows(AssertionError.class, () -> ConcurrentClose.closeAll(List.of(() -> {
            throw error;
        }))));
    }

    @Test
    void anInterruptedCallerWaitsForTheOtherThreadAndKeepsItsInterrupt() {
        CountDownLatch callerDone = new CountDownLatch(1);
        boolean[] slowClosed = new boolean[1];
        Thread caller = Thread.currentThread();
        AutoCloseable interruptsTheCaller = () -> {
            caller.interrupt();
            callerDone.countDown();
        };
        AutoCloseable slow = () -> {
            // Taken by either thread; it finishes only after the interrupt was delivered, as a close that waits in
            // the kernel would: uninterrupted, and keeping the interrupt for its thread.
            boolean interrupted = false;
            while (true) {
                try {
                    callerDone.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            slowClosed[0] = true;
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        };
        try {
            ConcurrentClose.closeAll(List.of(slow, interruptsTheCaller));
            assertTrue(slowClosed[0], "closeAll returned only after the other thread had finished");
            assertTrue(Thread.interrupted(), "the interrupt is kept for the caller");
        } finally {
            Thread.interrupted();
        }
    }
}
