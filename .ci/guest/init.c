/*
 * PID 1 of the test guest's initramfs (built by .ci/guest/boot, statically linked, no libraries needed).
 *
 * The initramfs holds only this program, the kernel modules the guest needs before it can reach the host (virtio
 * and 9p, which Debian's generic kernel builds as modules) and a small configuration written by boot:
 *
 *   /etc/guest/modules   module file names in load order (dependencies first), one per line
 *   /etc/guest/shares    "<9p mount tag> <guest path> ro|rw" per line; the first must be the root ("/"), the
 *                        others are mounted over it
 *   /etc/guest/command   the absolute path (inside the new root) of the shell script to run
 *   /etc/guest/status    the path (inside the new root, on a writable share) where the script's exit status goes
 *
 * It loads the modules, mounts the host's file system read-only as the new root (so the guest runs the host's JDK
 * and sees the checkout and the Maven repository at the same paths), mounts the writable shares over it, the pseudo
 * file systems BPF tests need, and a tmpfs on /tmp, chroots, runs the script, writes its exit status, and powers
 * the machine off. Every failure ends in a power-off as well (with a message on the console), and so does a script
 * that runs longer than the kernel command line's bpf2java.timeout=<seconds> (status 124), so the guest never
 * lingers even when the host's script is gone; the host's own deadline is only for a kernel that hangs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define NEW_ROOT "/newroot"
/* 512000 bytes is the largest message virtio-9p carries. */
#define NINEP_OPTIONS "trans=virtio,version=9p2000.L,msize=512000"

static void power_off(void) __attribute__((noreturn));

static void power_off(void)
{
    sync();
    reboot(RB_POWER_OFF);
    /* Only reached if the kernel refuses: an exiting PID 1 panics, and panic=-1 with qemu's -no-reboot ends it. */
    _exit(1);
}

static void die(const char *format, ...) __attribute__((noreturn, format(printf, 1, 2)));

static void die(const char *format, ...)
{
    va_list args;
    va_start(args, format);
    fputs("guest-init: ", stderr);
    vfprintf(stderr, format, args);
    fputc('\n', stderr);
    va_end(args);
    power_off();
}

/* Reads a whole small file into a NUL-terminated buffer owned by the caller. */
static char *read_file(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        die("cannot open %s: %s", path, strerror(errno));
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    size_t n;
    while ((n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (len + 1 == cap)
            buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    buf[len] = '\0';
    return buf;
}

static volatile sig_atomic_t timed_out;

/* Ends everything but init itself; wait() then returns the killed script. Only async-signal-safe calls here. */
static void on_alarm(int signal)
{
    (void)signal;
    static const char message[] = "guest-init: the command ran out of time (bpf2java.timeout); killing it\n";
    timed_out = 1;
    if (write(STDOUT_FILENO, message, sizeof message - 1) < 0) {
        /* Nothing more to do without a console. */
    }
    kill(-1, SIGKILL);
}

/* The value of "<key>=" on the kernel command line, or 0. */
static unsigned long cmdline_number(const char *cmdline, const char *key)
{
    const char *at = strstr(cmdline, key);
    return at ? strtoul(at + strlen(key), NULL, 10) : 0;
}

static void trim_newline(char *s)
{
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' '))
        s[--n] = '\0';
}

static void make_dirs(const char *path)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            mkdir(buf, 0755);
            *p = '/';
        }
    }
    mkdir(buf, 0755);
}

static void mount_or_die(const char *source, const char *target, const char *type, unsigned long flags,
                         const char *options)
{
    if (mount(source, target, type, flags, options) != 0)
        die("mounting %s (%s) on %s failed: %s", source, type, target, strerror(errno));
}

/* Pseudo file systems are mounted where the new root has a directory for them; a missing one is not an error. */
static void mount_pseudo(const char *type, const char *target)
{
    char path[4096];
    snprintf(path, sizeof path, NEW_ROOT "%s", target);
    if (mount(type, path, type, MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0)
        fprintf(stderr, "guest-init: mounting %s on %s failed: %s\n", type, target, strerror(errno));
}

static void load_modules(void)
{
    char *list = read_file("/etc/guest/modules");
    for (char *save = NULL, *name = strtok_r(list, "\n", &save); name; name = strtok_r(NULL, "\n", &save)) {
        char path[512];
        snprintf(path, sizeof path, "/lib/modules/%s", name);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            die("cannot open module %s: %s", path, strerror(errno));
        if (syscall(SYS_finit_module, fd, "", 0) != 0 && errno != EEXIST)
            die("loading module %s failed: %s", name, strerror(errno));
        close(fd);
    }
    free(list);
}

/*
 * Mounts the shares of /etc/guest/shares: with root_only, just the first (the new root); otherwise the others, after
 * the tmpfs mounts, so that a share may live under /tmp (its directory is created on the tmpfs when missing).
 */
static void mount_shares(int root_only)
{
    char *list = read_file("/etc/guest/shares");
    int first = 1;
    for (char *save = NULL, *line = strtok_r(list, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char tag[256], where[3800], mode[8];
        if (sscanf(line, "%255s %3799s %7s", tag, where, mode) != 3)
            die("bad line in /etc/guest/shares: %s", line);
        if (first && strcmp(where, "/") != 0)
            die("the first share must be the root, not %s", where);
        if (first == root_only) {
            char target[4096];
            snprintf(target, sizeof target, NEW_ROOT "%s", first ? "" : where);
            if (!first)
                make_dirs(target);
            unsigned long flags = strcmp(mode, "ro") == 0 ? MS_RDONLY : 0;
            /* A read-only share never changes under the guest: let it cache freely, which matters under emulation. */
            const char *options = flags & MS_RDONLY ? NINEP_OPTIONS ",cache=loose" : NINEP_OPTIONS;
            mount_or_die(tag, target, "9p", flags, options);
        }
        first = 0;
    }
    free(list);
}

int main(void)
{
    mkdir("/dev", 0755);
    mkdir("/proc", 0755);
    mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
    int console = open("/dev/console", O_RDWR);
    if (console >= 0) {
        dup2(console, 0);
        dup2(console, 1);
        dup2(console, 2);
        if (console > 2)
            close(console);
    }
    setvbuf(stdout, NULL, _IONBF, 0);
    printf("guest-init: started\n");
    mount_or_die("proc", "/proc", "proc", 0, NULL);

    char *cmdline = read_file("/proc/cmdline");

    load_modules();
    mkdir(NEW_ROOT, 0755);
    mount_shares(1);

    mount_or_die("/dev", NEW_ROOT "/dev", NULL, MS_MOVE, NULL);
    mount_or_die("/proc", NEW_ROOT "/proc", NULL, MS_MOVE, NULL);
    mount_or_die("sysfs", NEW_ROOT "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
    mount_or_die("tmpfs", NEW_ROOT "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777");
    mount_or_die("tmpfs", NEW_ROOT "/run", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755");
    mount_shares(0);
    mount_pseudo("bpf", "/sys/fs/bpf");
    mount_pseudo("tracefs", "/sys/kernel/tracing");
    mount_pseudo("debugfs", "/sys/kernel/debug");
    mount_pseudo("securityfs", "/sys/kernel/security");
    mount_pseudo("cgroup2", "/sys/fs/cgroup");

    char *command = read_file("/etc/guest/command");
    char *status_path = read_file("/etc/guest/status");
    trim_newline(command);
    trim_newline(status_path);

    if (chdir(NEW_ROOT) != 0 || chroot(".") != 0 || chdir("/") != 0)
        die("cannot enter the new root: %s", strerror(errno));

    pid_t child = fork();
    if (child < 0)
        die("fork failed: %s", strerror(errno));
    if (child == 0) {
        /* A session of its own with the console as its terminal, so that tools asking /dev/tty find one. */
        setsid();
        ioctl(0, TIOCSCTTY, 1);
        char *argv[] = {"/bin/sh", command, NULL};
        char *envp[] = {"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/root",
                        "TERM=dumb", "LANG=C.UTF-8", NULL};
        execve(argv[0], argv, envp);
        fprintf(stderr, "guest-init: cannot run /bin/sh %s: %s\n", command, strerror(errno));
        _exit(127);
    }

    struct sigaction alarm_action = {.sa_handler = on_alarm};
    sigaction(SIGALRM, &alarm_action, NULL);
    unsigned long timeout = cmdline_number(cmdline, "bpf2java.timeout=");
    if (timeout > 0)
        alarm((unsigned int)timeout);

    /* As PID 1, reap every orphan until the script itself ends. */
    int status = 0;
    for (;;) {
        int s;
        pid_t done = wait(&s);
        if (done == child) {
            status = timed_out ? 124 : WIFEXITED(s) ? WEXITSTATUS(s) : 128 + WTERMSIG(s);
            break;
        }
        if (done < 0 && errno != EINTR)
            die("wait failed: %s", strerror(errno));
    }

    FILE *out = fopen(status_path, "w");
    if (!out)
        die("cannot write the exit status to %s: %s", status_path, strerror(errno));
    fprintf(out, "%d\n", status);
    fclose(out);
    printf("guest-init: command exited with status %d; powering off\n", status);
    power_off();
}
