/* SPDX-License-Identifier: Apache-2.0 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kmipd_proc.h"

#define START_TIMEOUT_MS 10000

static const char *env_or_empty(const char *name)
{
    const char *value = getenv(name);
    return value != NULL ? value : "";
}

char *kmipd_test_path(char *out, size_t size, const char *name)
{
    snprintf(out, size, "%s/%s", env_or_empty("P11KMIP_TEST_DIR"), name);
    return out;
}

int kmipd_free_port(void)
{
    struct sockaddr_in addr = {.sin_family = AF_INET};
    socklen_t len = sizeof(addr);
    int port = -1;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd >= 0 && bind(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0 &&
        getsockname(fd, (struct sockaddr *)&addr, &len) == 0)
        port = ntohs(addr.sin_port);
    if (fd >= 0)
        close(fd);
    return port;
}

/* The master key every kmipd of the test shares: 32 random bytes in hex,
 * written once. */
static bool master_key_path(char *out, size_t size)
{
    kmipd_test_path(out, size, "kmipd-master.hex");
    if (access(out, R_OK) == 0)
        return true;
    unsigned char key[32];
    if (getrandom(key, sizeof(key), 0) != (ssize_t)sizeof(key))
        return false;
    FILE *file = fopen(out, "w");
    if (file == NULL)
        return false;
    fchmod(fileno(file), 0600); /* kmipd refuses a key others may read */
    for (size_t i = 0; i < sizeof(key); i++)
        fprintf(file, "%02x", key[i]);
    fputc('\n', file);
    return fclose(file) == 0;
}

bool kmipd_proc_configure(kmipd_proc *proc, const char *name, int port,
                          const char *faults_json)
{
    char file[256], master[512], log[512];
    snprintf(file, sizeof(file), "%s.json", name);
    kmipd_test_path(proc->conf, sizeof(proc->conf), file);
    snprintf(file, sizeof(file), "%s.sqlite", name);
    kmipd_test_path(proc->database, sizeof(proc->database), file);
    snprintf(file, sizeof(file), "%s.log", name);
    kmipd_test_path(log, sizeof(log), file);
    snprintf(proc->address, sizeof(proc->address), "127.0.0.1:%d", port);
    proc->port = port;
    if (!master_key_path(master, sizeof(master)))
        return false;
    FILE *out = fopen(proc->conf, "w");
    if (out == NULL)
        return false;
    fprintf(out,
            "{ \"listen\": \"%s\", \"ca\": \"%s\", \"cert\": \"%s\",\n"
            "  \"key\": \"%s\", \"database\": \"%s\", \"master_key\": \"%s\",\n"
            "  \"log_level\": \"info\", \"log_file\": \"%s\"%s%s }\n",
            proc->address, env_or_empty("P11KMIP_TEST_CA"),
            env_or_empty("P11KMIP_TEST_SERVER_CERT"),
            env_or_empty("P11KMIP_TEST_SERVER_KEY"), proc->database, master,
            log, faults_json != NULL ? ",\n  \"faults\": " : "",
            faults_json != NULL ? faults_json : "");
    return fclose(out) == 0;
}

static bool accepts_connections(int port)
{
    struct sockaddr_in addr = {.sin_family = AF_INET};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons((uint16_t)port);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    bool ok =
        fd >= 0 && connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0;
    if (fd >= 0)
        close(fd);
    return ok;
}

bool kmipd_proc_start(kmipd_proc *proc)
{
    pid_t pid = fork();
    if (pid < 0)
        return false;
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR);
        dup2(null, STDIN_FILENO);
        execl(KMIPD_EXE, KMIPD_EXE, "-c", proc->conf, (char *)NULL);
        _exit(127);
    }
    proc->pid = pid;
    const struct timespec step = {.tv_nsec = 20 * 1000000L};
    for (int waited = 0; waited < START_TIMEOUT_MS; waited += 20) {
        if (waitpid(pid, NULL, WNOHANG) == pid) {
            proc->pid = 0;
            fprintf(stderr, "kmipd -c %s exited at start\n", proc->conf);
            return false;
        }
        if (accepts_connections(proc->port))
            return true;
        nanosleep(&step, NULL);
    }
    kmipd_proc_stop(proc, SIGKILL);
    return false;
}

void kmipd_proc_stop(kmipd_proc *proc, int signum)
{
    if (proc->pid == 0)
        return;
    kill(proc->pid, signum);
    while (waitpid(proc->pid, NULL, 0) < 0 && errno == EINTR)
        ;
    proc->pid = 0;
}

static bool copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb");
    if (in == NULL)
        return errno == ENOENT; /* an absent -wal or -shm file */
    FILE *out = fopen(to, "wb");
    bool ok = out != NULL;
    char buf[65536];
    size_t n;
    while (ok && (n = fread(buf, 1, sizeof(buf), in)) > 0)
        ok = fwrite(buf, 1, n, out) == n;
    fclose(in);
    if (out != NULL && fclose(out) != 0)
        ok = false;
    return ok;
}

bool kmipd_proc_copy_database(const kmipd_proc *from, const kmipd_proc *to)
{
    static const char *const suffixes[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
        char source[600], target[600];
        snprintf(source, sizeof(source), "%s%s", from->database, suffixes[i]);
        snprintf(target, sizeof(target), "%s%s", to->database, suffixes[i]);
        if (!copy_file(source, target))
            return false;
    }
    return true;
}
