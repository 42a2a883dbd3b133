// SPDX-License-Identifier: Apache-2.0
/* The owner mark of session keys (session_mark.h). A process is named by
 * host, boot, pid and start time: a pid reused after the owner died has
 * another start time. The random token tells two marks of one process's
 * pid apart from a copy; a forged mark can only hide an object, and
 * leftovers are removed only on request. */
#include "session_mark.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/rand.h>

#include "kmip/process.h"
#include "p11core_internal.h"

/* The start time (field 22) of /proc/<pid>/stat; false when the process
 * does not exist. */
static bool start_time(long pid, unsigned long long *start)
{
    char path[64], line[1024];
    FILE *f;
    char *p;
    bool ok;

    snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
    f = fopen(path, "r");
    if (f == NULL)
        return false;
    ok = fgets(line, sizeof(line), f) != NULL;
    fclose(f);
    /* The command name may hold spaces: fields count after its ')'. */
    p = ok ? strrchr(line, ')') : NULL;
    return p != NULL &&
           sscanf(p + 1,
                  " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u "
                  "%*d %*d %*d %*d %*d %*d %llu",
                  start) == 1;
}

static bool boot_id(char *out, size_t len)
{
    FILE *f = fopen("/proc/sys/kernel/random/boot_id", "r");
    bool ok = f != NULL && fgets(out, (int)len, f) != NULL;

    if (f != NULL)
        fclose(f);
    if (ok)
        out[strcspn(out, "\n")] = '\0';
    return ok && out[0] != '\0';
}

static bool host_name(char *out, size_t len)
{
    if (gethostname(out, len - 1) != 0)
        return false;
    out[len - 1] = '\0';
    return out[0] != '\0' && strpbrk(out, ";=") == NULL;
}

static bool describe_self(p11_owner_mark *mark)
{
    uint8_t random[16];

    mark->pid = (long)kmip_process_id();
    if (!host_name(mark->host, sizeof(mark->host)) ||
        !boot_id(mark->boot, sizeof(mark->boot)) ||
        !start_time(mark->pid, &mark->start) ||
        RAND_bytes(random, sizeof(random)) != 1)
        return false;
    for (size_t i = 0; i < sizeof(random); i++)
        snprintf(mark->token + 2 * i, 3, "%02x", random[i]);
    return true;
}

static void format_mark(const p11_owner_mark *mark, char *out)
{
    snprintf(out, P11_MARK_MAX,
             "v1;host=%s;boot=%s;pid=%ld;start=%llu;token=%s", mark->host,
             mark->boot, mark->pid, mark->start, mark->token);
}

bool p11_mark_self(char *out)
{
    static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    static char text[P11_MARK_MAX];
    static pid_t made_by;
    p11_owner_mark mark = {0};
    bool ok = true;

    pthread_mutex_lock(&lock);
    if (made_by != kmip_process_id()) {
        ok = describe_self(&mark);
        if (ok) {
            format_mark(&mark, text);
            made_by = kmip_process_id();
        }
    }
    if (ok)
        memcpy(out, text, P11_MARK_MAX);
    pthread_mutex_unlock(&lock);
    if (!ok)
        p11_log_warn("session keys: this process cannot be described");
    return ok;
}

bool p11_mark_parse(const char *text, p11_owner_mark *out)
{
    int end = 0;

    memset(out, 0, sizeof(*out));
    return text != NULL &&
           sscanf(text,
                  "v1;host=%64[^;];boot=%39[^;];pid=%ld;start=%llu;"
                  "token=%32[0-9a-f]%n",
                  out->host, out->boot, &out->pid, &out->start, out->token,
                  &end) == 5 &&
           text[end] == '\0' && out->pid > 0;
}

p11_owner_state p11_mark_owner_state(const p11_owner_mark *mark)
{
    char host[sizeof(mark->host)], boot[sizeof(mark->boot)];
    unsigned long long start;

    if (!host_name(host, sizeof(host)) || !boot_id(boot, sizeof(boot)) ||
        strcmp(host, mark->host) != 0 || strcmp(boot, mark->boot) != 0)
        return P11_OWNER_ELSEWHERE;
    return start_time(mark->pid, &start) && start == mark->start
               ? P11_OWNER_LIVE
               : P11_OWNER_GONE;
}
