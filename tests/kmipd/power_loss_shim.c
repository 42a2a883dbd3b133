// SPDX-License-Identifier: Apache-2.0
/* LD_PRELOAD shim that keeps, for every file under $POWER_LOSS_DIR, a copy
 * of what a disk would hold after a power cut: the file's content as of its
 * last fsync()/fdatasync(), in $POWER_LOSS_DIR/durable/. Writes the process
 * never synced exist only in the live file (the page cache), so a test that
 * replaces the live files with these copies after kill -9 sees exactly what
 * a crash of the machine would have left. */
#include <dlfcn.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define EXPORTED __attribute__((visibility("default")))

EXPORTED int fsync(int fd);
EXPORTED int fdatasync(int fd);

static pthread_mutex_t copy_lock = PTHREAD_MUTEX_INITIALIZER;

static int copy_fd(int fd, int out)
{
    char buf[65536];
    off_t at = 0;
    ssize_t got;

    while ((got = pread(fd, buf, sizeof buf, at)) > 0) {
        if (write(out, buf, (size_t)got) != got)
            return -1;
        at += got;
    }
    return got < 0 ? -1 : 0;
}

/* Copies fd's file to durable/<name> (through a rename, so a copy is whole)
 * when it is a regular file directly under $POWER_LOSS_DIR. */
static void keep_durable_copy(int fd)
{
    const char *dir = getenv("POWER_LOSS_DIR");
    char link[64], path[PATH_MAX], copy[PATH_MAX + 16], tmp[PATH_MAX + 32];
    struct stat st;
    size_t dir_len = dir != NULL ? strlen(dir) : 0;
    ssize_t len;

    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    len = readlink(link, path, sizeof path - 1);
    if (dir == NULL || len <= 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        return;
    path[len] = '\0';
    if (strncmp(path, dir, dir_len) != 0 || path[dir_len] != '/' ||
        strchr(path + dir_len + 1, '/') != NULL)
        return;
    snprintf(copy, sizeof copy, "%s/durable/%s", dir, path + dir_len + 1);
    snprintf(tmp, sizeof tmp, "%s.tmp", copy);
    pthread_mutex_lock(&copy_lock);
    int out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (out >= 0 && copy_fd(fd, out) == 0 && close(out) == 0)
        rename(tmp, copy);
    else if (out >= 0)
        close(out);
    pthread_mutex_unlock(&copy_lock);
}

EXPORTED int fsync(int fd)
{
    int (*real)(int) = (int (*)(int))dlsym(RTLD_NEXT, "fsync");

    keep_durable_copy(fd);
    return real(fd);
}

EXPORTED int fdatasync(int fd)
{
    int (*real)(int) = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");

    keep_durable_copy(fd);
    return real(fd);
}
