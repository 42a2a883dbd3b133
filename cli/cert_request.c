/* SPDX-License-Identifier: Apache-2.0 */
/* --self-signed SUBJECT and --days N, as `openssl req -subj` and
 * `-days` take them. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/objects.h>

#include "cli.h"
#include "signing.h"

/* Copies the component starting at text up to an unescaped '/' into
 * part without its escapes; returns the length of text it took. */
static size_t take_component(const char *text, char *part)
{
    size_t i = 0, n = 0;

    while (text[i] != '\0' && text[i] != '/') {
        if (text[i] == '\\' && text[i + 1] != '\0')
            i++;
        part[n++] = text[i++];
    }
    part[n] = '\0';
    return i;
}

/* Adds "TYPE=VALUE" to name; -1 when it is not one. */
static int add_component(X509_NAME *name, char *part)
{
    char *value = strchr(part, '=');

    if (value == NULL || value == part || value[1] == '\0')
        return -1;
    *value++ = '\0';
    if (OBJ_txt2nid(part) == NID_undef)
        return -1;
    return X509_NAME_add_entry_by_txt(name, part, MBSTRING_UTF8,
                                      (const unsigned char *)value, -1, -1,
                                      0) == 1
               ? 0
               : -1;
}

static X509_NAME *parse_subject(const char *text)
{
    X509_NAME *name = X509_NAME_new();
    char *part = malloc(strlen(text) + 1);
    int rc = name != NULL && part != NULL && text[0] == '/' ? 0 : -1;

    while (rc == 0 && *text == '/') {
        text += 1 + take_component(text + 1, part);
        rc = add_component(name, part);
    }
    free(part);
    if (rc == 0 && X509_NAME_entry_count(name) > 0)
        return name;
    X509_NAME_free(name);
    return NULL;
}

static int parse_days(const char *text, long *days)
{
    char *end;

    errno = 0;
    *days = strtol(text, &end, 10);
    return text[0] >= '0' && text[0] <= '9' && *end == '\0' && errno == 0 &&
                   *days >= 1 && *days <= CLI_CERT_MAX_DAYS
               ? 0
               : -1;
}

int cli_cert_request_parse(const char *subject, const char *days,
                           cli_cert_request *req)
{
    req->days = CLI_CERT_DEFAULT_DAYS;
    if (days != NULL && parse_days(days, &req->days) != 0)
        return cli_error(CLI_EXIT_USAGE,
                         "--days \"%s\": expected a number of days from 1 "
                         "to %d",
                         days, CLI_CERT_MAX_DAYS);
    req->subject = parse_subject(subject);
    if (req->subject == NULL)
        return cli_error(CLI_EXIT_USAGE,
                         "--self-signed \"%s\": expected a subject as "
                         "/TYPE=VALUE/... with known types (e.g. "
                         "/CN=web.example.com/O=Example)",
                         subject);
    return CLI_OK;
}

void cli_cert_request_clear(cli_cert_request *req)
{
    X509_NAME_free(req->subject);
    req->subject = NULL;
}
