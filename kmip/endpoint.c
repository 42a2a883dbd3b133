/* SPDX-License-Identifier: Apache-2.0 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "client_internal.h"

static bool port_valid(const char *port)
{
    size_t len = strlen(port);
    if (len == 0 || len > 5 || strspn(port, "0123456789") != len)
        return false;
    long value = strtol(port, NULL, 10);
    return value > 0 && value <= 65535;
}

/* Splits entry into host and port (NULL when absent), without copying:
 * *host_len bytes at *host. */
static bool split_entry(const char *entry, const char **host, size_t *host_len,
                        const char **port)
{
    if (entry[0] == '[') {
        const char *close = strchr(entry, ']');
        if (close == NULL || close == entry + 1)
            return false;
        *host = entry + 1;
        *host_len = (size_t)(close - entry - 1);
        if (close[1] == '\0')
            *port = NULL;
        else if (close[1] == ':')
            *port = close + 2;
        else
            return false;
        return true;
    }
    const char *colon = strchr(entry, ':');
    if (colon != NULL && strchr(colon + 1, ':') != NULL)
        return false; /* an IPv6 address needs brackets to carry a port */
    *host = entry;
    *host_len = colon != NULL ? (size_t)(colon - entry) : strlen(entry);
    *port = colon != NULL ? colon + 1 : NULL;
    return *host_len > 0;
}

kmip_rc kmip_endpoint_parse(const char *entry, kmip_endpoint *out,
                            kmip_status *status)
{
    memset(out, 0, sizeof(*out));
    atomic_init(&out->session, NULL);
    atomic_init(&out->down_until, 0);
    atomic_init(&out->failures, 0);
    atomic_init(&out->opening, 0);
    const char *host;
    size_t host_len;
    const char *port;
    if (entry == NULL || !split_entry(entry, &host, &host_len, &port))
        return kmip_fail(status, KMIP_E_CONFIG,
                         "server \"%s\": expected host:port or [v6]:port",
                         entry != NULL ? entry : "(null)");
    if (port == NULL)
        port = KMIP_DEFAULT_PORT;
    if (!port_valid(port))
        return kmip_fail(status, KMIP_E_CONFIG, "server \"%s\": bad port",
                         entry);

    out->host = strndup(host, host_len);
    out->port = strdup(port);
    bool v6 = memchr(host, ':', host_len) != NULL;
    size_t label_len = host_len + strlen(port) + 4;
    out->label = malloc(label_len);
    if (out->host == NULL || out->port == NULL || out->label == NULL) {
        kmip_endpoint_clear(out);
        return kmip_fail(status, KMIP_E_NOMEM, "out of memory");
    }
    snprintf(out->label, label_len, v6 ? "[%s]:%s" : "%s:%s", out->host, port);
    return KMIP_OK;
}

void kmip_endpoint_clear(kmip_endpoint *endpoint)
{
    free(endpoint->host);
    free(endpoint->port);
    free(endpoint->label);
    SSL_SESSION_free(atomic_exchange(&endpoint->session, NULL));
    memset(endpoint, 0, sizeof(*endpoint));
}

bool kmip_endpoint_is_down(kmip_endpoint *endpoint, uint64_t now)
{
    return atomic_load(&endpoint->down_until) > now;
}

void kmip_endpoint_mark_down(kmip_endpoint *endpoint, uint64_t now)
{
    uint_fast64_t until = atomic_load(&endpoint->down_until);
    if (until > now)
        return;
    unsigned doublings = atomic_load(&endpoint->failures);
    uint64_t backoff = KMIP_BACKOFF_MIN_MS;
    while (doublings-- > 0 && backoff < KMIP_BACKOFF_MAX_MS)
        backoff *= 2;
    if (backoff > KMIP_BACKOFF_MAX_MS)
        backoff = KMIP_BACKOFF_MAX_MS;
    if (atomic_compare_exchange_strong(&endpoint->down_until, &until,
                                       now + backoff))
        atomic_fetch_add(&endpoint->failures, 1);
}

void kmip_endpoint_mark_up(kmip_endpoint *endpoint)
{
    if (atomic_load(&endpoint->failures) == 0 &&
        atomic_load(&endpoint->down_until) == 0)
        return;
    atomic_store(&endpoint->failures, 0);
    atomic_store(&endpoint->down_until, 0);
}

bool kmip_endpoint_opening(kmip_endpoint *endpoint, uint64_t until)
{
    /* Waits are short and rare (a cold start of more threads than the
     * limit): a sleep of a millisecond between looks is enough. */
    const struct timespec step = {0, 1000000};
    while (atomic_fetch_add(&endpoint->opening, 1) >=
           KMIP_HANDSHAKES_PER_SERVER) {
        atomic_fetch_sub(&endpoint->opening, 1);
        if (kmip_clock_ms() >= until)
            return false;
        nanosleep(&step, NULL);
    }
    return true;
}

void kmip_endpoint_opened(kmip_endpoint *endpoint)
{
    atomic_fetch_sub(&endpoint->opening, 1);
}

void kmip_endpoint_copy_health(kmip_endpoint *to, const kmip_endpoint *from)
{
    atomic_store(&to->down_until, atomic_load(&from->down_until));
    atomic_store(&to->failures, atomic_load(&from->failures));
}
