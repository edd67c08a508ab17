package io.github.bpf2java.maven.generate;

/**
 * What one run did, for the mojo's summary and for tests.
 *
 * @param sources         how many sources were found
 * @param compiledSources how many of them were compiled (0 when everything was up to date)
 * @param removedSources  how many sources disappeared since the last build (their outputs were deleted)
 * @param checkMillis     how long deciding what is up to date took
 */
public record BuildResult(int sources, int compiledSources, int removedSources, long checkMillis) {

    /** Whether nothing had to be done. */
    public boolean upToDate() {
        return compiledSources == 0 && removedSources == 0;
    }
}
