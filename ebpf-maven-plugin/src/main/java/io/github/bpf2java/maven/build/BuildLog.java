package io.github.bpf2java.maven.build;

/**
 * Where the build reports progress. The mojo adapts Maven's log to it so that everything below the mojo runs (and is
 * tested) without Maven.
 */
public interface BuildLog {

    void info(String message);

    void warn(String message);

    void debug(String message);

    boolean isDebugEnabled();

    /** A log that drops everything. */
    static BuildLog silent() {
        return new BuildLog() {
            @Override
            public void info(String message) {}

            @Override
            public void warn(String message) {}

            @Override
            public void debug(String message) {}

            @Override
            public boolean isDebugEnabled() {
                return false;
            }
        };
    }
}
