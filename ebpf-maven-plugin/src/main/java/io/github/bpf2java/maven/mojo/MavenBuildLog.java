package io.github.bpf2java.maven.mojo;

import io.github.bpf2java.maven.build.BuildLog;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.logging.Log;
import org.apache.maven.project.MavenProject;

/**
 * Maven's log as a {@link BuildLog}, for the goals' orchestrators.
 *
 * @param prefix put before every line: the module's name in a parallel build ({@code -T}), where the lines of
 *               several modules interleave; empty otherwise
 */
record MavenBuildLog(Log log, String prefix) implements BuildLog {
    /** The log of {@code project}'s goal in {@code session}, its lines named by module when the build is parallel. */
    static MavenBuildLog of(Log log, MavenSession session, MavenProject project) {
        return new MavenBuildLog(log, session != null && session.isParallel() ? "[" + project.getArtifactId() + "] "
                : "");
    }

    @Override
    public void info(String message) {
        log.info(prefix + message);
    }

    @Override
    public void warn(String message) {
        log.warn(prefix + message);
    }

    @Override
    public void debug(String message) {
        log.debug(prefix + message);
    }

    @Override
    public boolean isDebugEnabled() {
        return log.isDebugEnabled();
    }
}
