package io.github.bpf2java.maven.mojo;

import io.github.bpf2java.maven.build.BuildLog;
import org.apache.maven.plugin.logging.Log;

/** Maven's log as a {@link BuildLog}, for the goals' orchestrators. */
record MavenBuildLog(Log log) implements BuildLog {
    @Override
    public void info(String message) {
        log.info(message);
    }

    @Override
    public void warn(String message) {
        log.warn(message);
    }

    @Override
    public void debug(String message) {
        log.debug(message);
    }

    @Override
    public boolean isDebugEnabled() {
        return log.isDebugEnabled();
    }
}
