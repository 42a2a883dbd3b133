/* SPDX-License-Identifier: Apache-2.0 */
/* Which objects a subcommand acts on, and finding them with
 * C_FindObjects. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <p11-kit/p11-kit.h>
#include <p11-kit/uri.h>

#include "cli.h"
#include "objects.h"

#define FIND_BATCH 64

static const struct {
    const char *name;
    CK_OBJECT_CLASS object_class;
} class_names[] = {
    {"private", CKO_PRIVATE_KEY},
    {"public", CKO_PUBLIC_KEY},
    {"secret-key", CKO_SECRET_KEY},
    {"cert", CKO_CERTIFICATE},
    {"data", CKO_DATA},
};

bool cli_class_from_name(const char *name, CK_OBJECT_CLASS *out)
{
    for (size_t i = 0; i < sizeof(class_names) / sizeof(class_names[0]); i++) {
        if (strcmp(name, class_names[i].name) == 0) {
            *out = class_names[i].object_class;
            return true;
        }
    }
    return false;
}

const char *cli_class_name(CK_OBJECT_CLASS object_class)
{
    for (size_t i = 0; i < sizeof(class_names) / sizeof(class_names[0]); i++)
        if (class_names[i].object_class == object_class)
            return class_names[i].name;
    return "unknown";
}

int cli_unhex(const char *text, uint8_t **out, size_t *len)
{
    size_t n = 0;
    uint8_t *bytes;
    int high = -1;

    if (text[0] == '\0' ||
        strspn(text, "0123456789abcdefABCDEF:") != strlen(text))
        return -1;
    bytes = malloc(strlen(text) / 2 + 1);
    if (bytes == NULL)
        return -1;
    for (const char *p = text; *p != '\0'; p++) {
        int nibble;

        if (*p == ':')
            continue;
        nibble = isdigit((unsigned char)*p)
                     ? *p - '0'
                     : tolower((unsigned char)*p) - 'a' + 10;
        if (high < 0) {
            high = nibble;
        } else {
            bytes[n++] = (uint8_t)(high << 4 | nibble);
            high = -1;
        }
    }
    if (n == 0 || high >= 0) {
        free(bytes);
        return -1;
    }
    *out = bytes;
    *len = n;
    return 0;
}

char *cli_hex(const uint8_t *data, size_t len)
{
    char *text = malloc(2 * len + 1);

    if (text == NULL)
        return NULL;
    for (size_t i = 0; i < len; i++)
        snprintf(text + 2 * i, 3, "%02x", data[i]);
    text[2 * len] = '\0';
    return text;
}

static int set_string(char **field, const char *value)
{
    free(*field);
    *field = strdup(value);
    return *field != NULL ? 1 : cli_error(-1, "out of memory");
}

int cli_selector_option(cli_selector *sel, int opt, const char *arg)
{
    switch (opt) {
    case 's':
        return set_string(&sel->slot, arg);
    case 'l':
        return set_string(&sel->label, arg);
    case 'i':
        free(sel->id);
        sel->id = NULL;
        if (cli_unhex(arg, &sel->id, &sel->id_len) != 0)
            return cli_error(-1,
                             "--id \"%s\": expected an even number of hex "
                             "digits, a byte each two (e.g. 0a1b2c)",
                             arg);
        sel->has_id = true;
        return 1;
    case 't':
        if (!cli_class_from_name(arg, &sel->object_class))
            return cli_error(-1,
                             "--type \"%s\": expected private, public, "
                             "secret-key, cert or data",
                             arg);
        sel->has_class = true;
        return 1;
    default:
        return 0;
    }
}

/* Whether a component of a pkcs11: URI has a value holding a NUL byte
 * (%00); its name into name. An id is bytes and may hold any; every other
 * value is text, which p11-kit would keep with the NUL that strndup() and
 * C strings cut at. */
static bool component_with_nul(const char *text, char *name, size_t name_len)
{
    const char *p = strchr(text, ':');

    while (p != NULL && *p != '\0') {
        size_t len = strcspn(++p, ";?&");
        size_t name_end = strcspn(p, "=");

        if (name_end < len && !(name_end == 2 && strncmp(p, "id", 2) == 0) &&
            memmem(p + name_end, len - name_end, "%00", 3) != NULL) {
            snprintf(name, name_len, "%.*s", (int)name_end, p);
            return true;
        }
        p += len;
    }
    return false;
}

/* Copies the attributes a URI names into sel. */
static int take_uri_attributes(cli_selector *sel, P11KitUri *uri)
{
    CK_ATTRIBUTE *attr;
    CK_TOKEN_INFO *token = p11_kit_uri_get_token_info(uri);
    size_t len = p11_kit_space_strlen(token->label, sizeof(token->label));

    /* p11-kit leaves an absent token= as zero bytes: any token. */
    sel->any_token = token->label[0] == 0;
    if (!sel->any_token) {
        free(sel->slot);
        sel->slot = strndup((const char *)token->label, len);
        if (sel->slot == NULL)
            return -1;
    }
    if ((attr = p11_kit_uri_get_attribute(uri, CKA_LABEL)) != NULL) {
        free(sel->label);
        sel->label = strndup(attr->pValue, attr->ulValueLen);
        if (sel->label == NULL)
            return -1;
    }
    if ((attr = p11_kit_uri_get_attribute(uri, CKA_ID)) != NULL) {
        free(sel->id);
        sel->id = malloc(attr->ulValueLen + 1);
        if (sel->id == NULL)
            return -1;
        memcpy(sel->id, attr->pValue, attr->ulValueLen);
        sel->id_len = attr->ulValueLen;
        sel->has_id = true;
    }
    if ((attr = p11_kit_uri_get_attribute(uri, CKA_CLASS)) != NULL &&
        attr->ulValueLen == sizeof(CK_OBJECT_CLASS)) {
        memcpy(&sel->object_class, attr->pValue, sizeof(CK_OBJECT_CLASS));
        sel->has_class = true;
    }
    return 0;
}

int cli_selector_uri(cli_selector *sel, const char *text)
{
    char nul[32];
    P11KitUri *uri;
    int rc;

    if (strncmp(text, "pkcs11:", 7) == 0 &&
        component_with_nul(text, nul, sizeof(nul)))
        return cli_error(-1,
                         "\"%s\": the value of \"%s\" holds a NUL byte "
                         "(%%00), which no label or token name can hold",
                         text, nul);
    uri = p11_kit_uri_new();
    if (uri == NULL)
        return cli_error(-1, "out of memory");
    rc = p11_kit_uri_parse(text, P11_KIT_URI_FOR_OBJECT_ON_TOKEN, uri);
    if (rc != P11_KIT_URI_OK) {
        p11_kit_uri_free(uri);
        return cli_error(-1, "\"%s\": not a pkcs11: URI (%s)", text,
                         p11_kit_uri_message(rc));
    }
    rc = take_uri_attributes(sel, uri);
    p11_kit_uri_free(uri);
    return rc == 0 ? 0 : cli_error(-1, "out of memory");
}

int cli_selector_of_class(cli_selector *sel, CK_OBJECT_CLASS object_class,
                          const char *command)
{
    if (sel->has_class && sel->object_class != object_class)
        return cli_error(CLI_EXIT_USAGE, "%s: takes a %s key, not --type %s",
                         command, cli_class_name(object_class),
                         cli_class_name(sel->object_class));
    if (!cli_selector_empty(sel)) {
        sel->object_class = object_class;
        sel->has_class = true;
    }
    return CLI_OK;
}

bool cli_selector_empty(const cli_selector *sel)
{
    return sel->label == NULL && !sel->has_id && !sel->has_class;
}

void cli_selector_clear(cli_selector *sel)
{
    free(sel->slot);
    free(sel->label);
    free(sel->id);
    memset(sel, 0, sizeof(*sel));
}

/* The objects of the token that match templ; as cli_find. */
static int find_template(const cli_token *token, CK_ATTRIBUTE *templ,
                         CK_ULONG count, CK_OBJECT_HANDLE **handles, size_t *n)
{
    CK_ULONG got;
    CK_OBJECT_HANDLE *found = NULL, *grown;
    size_t used = 0;
    CK_RV rv = token->fns->C_FindObjectsInit(token->session, templ, count);

    while (rv == CKR_OK) {
        grown = realloc(found, (used + FIND_BATCH) * sizeof(*found));
        if (grown == NULL) {
            rv = CKR_HOST_MEMORY;
            break;
        }
        found = grown;
        rv = token->fns->C_FindObjects(token->session, found + used, FIND_BATCH,
                                       &got);
        used += got;
        if (got == 0)
            break;
    }
    token->fns->C_FindObjectsFinal(token->session);
    if (rv != CKR_OK) {
        free(found);
        return cli_token_error(token, "searching objects", rv);
    }
    *handles = found;
    *n = used;
    return CLI_OK;
}

int cli_find(const cli_token *token, const cli_selector *sel,
             CK_OBJECT_HANDLE **handles, size_t *n)
{
    CK_ATTRIBUTE templ[3];
    CK_ULONG count = 0;

    if (sel->label != NULL)
        templ[count++] =
            (CK_ATTRIBUTE){CKA_LABEL, sel->label, strlen(sel->label)};
    if (sel->has_id)
        templ[count++] = (CK_ATTRIBUTE){CKA_ID, sel->id, sel->id_len};
    if (sel->has_class)
        templ[count++] = (CK_ATTRIBUTE){CKA_CLASS, (void *)&sel->object_class,
                                        sizeof(sel->object_class)};
    return find_template(token, templ, count, handles, n);
}

int cli_find_key_of(const cli_token *token, const uint8_t *spki, size_t len,
                    CK_OBJECT_HANDLE *handle, bool *found)
{
    static const CK_OBJECT_CLASS classes[] = {CKO_PRIVATE_KEY, CKO_PUBLIC_KEY};
    int code = CLI_OK;

    *found = false;
    for (size_t i = 0; code == CLI_OK && !*found && i < 2; i++) {
        CK_OBJECT_HANDLE *handles = NULL;
        size_t n = 0;
        CK_ATTRIBUTE templ[] = {
            {CKA_CLASS, (void *)&classes[i], sizeof(classes[i])},
            {CKA_PUBLIC_KEY_INFO, (void *)(uintptr_t)spki, len}};

        code = find_template(token, templ, 2, &handles, &n);
        if (code == CLI_OK && n > 0) {
            *handle = handles[0];
            *found = true;
        }
        free(handles);
    }
    return code;
}

/* Of several handles, the only private key, if exactly one is. */
static size_t only_private_key(const cli_token *token,
                               const CK_OBJECT_HANDLE *handles, size_t n,
                               CK_OBJECT_HANDLE *handle)
{
    size_t found = 0;

    for (size_t i = 0; i < n; i++) {
        CK_OBJECT_CLASS object_class = CK_UNAVAILABLE_INFORMATION;
        CK_ATTRIBUTE attr = {CKA_CLASS, &object_class, sizeof(object_class)};

        if (token->fns->C_GetAttributeValue(token->session, handles[i], &attr,
                                            1) == CKR_OK &&
            object_class == CKO_PRIVATE_KEY && found++ == 0)
            *handle = handles[i];
    }
    return found;
}

int cli_find_one(const cli_token *token, const cli_selector *sel,
                 CK_OBJECT_HANDLE *handle)
{
    CK_OBJECT_HANDLE *handles;
    size_t n;
    int code = cli_find(token, sel, &handles, &n);

    if (code != CLI_OK)
        return code;
    if (n > 1 && sel->prefer_private && !sel->has_class &&
        only_private_key(token, handles, n, handle) == 1)
        n = 1;
    else if (n == 1)
        *handle = handles[0];
    else
        code = cli_error(
            CLI_EXIT_FAILURE,
            "%s object on token \"%s\" matches%s%s%s%s%s: "
            "narrow it with --label, --id or --type ('p11kmip "
            "list' shows them)",
            n == 0 ? "no" : "more than one", token->label,
            sel->label != NULL ? " label \"" : "",
            sel->label != NULL ? sel->label : "",
            sel->label != NULL ? "\"" : "", sel->has_class ? " type " : "",
            sel->has_class ? cli_class_name(sel->object_class) : "");
    free(handles);
    return code;
}

#define MAX_EXTRA_OPTIONS 8
#define N_SELECTOR_OPTIONS 4

/* The getopt_long table: the selection options, then the extra ones. */
static int options_with(struct option *options, const char *command,
                        const cli_extra_option *extra, size_t n_extra)
{
    const struct option selection[N_SELECTOR_OPTIONS] = {CLI_SELECTOR_OPTIONS};

    if (n_extra > MAX_EXTRA_OPTIONS)
        return cli_error(CLI_EXIT_USAGE, "%s: too many options", command);
    memcpy(options, selection, sizeof(selection));
    for (size_t i = 0; i < n_extra; i++)
        options[N_SELECTOR_OPTIONS + i] = (struct option){
            extra[i].name,
            extra[i].flag != NULL ? no_argument : required_argument, NULL, 0};
    options[N_SELECTOR_OPTIONS + n_extra] = (struct option){NULL, 0, NULL, 0};
    return CLI_OK;
}

/* Takes what getopt_long returned when it is an extra option: true. */
static bool take_extra(int opt, int index, const cli_extra_option *extra)
{
    if (opt != 0 || index < N_SELECTOR_OPTIONS)
        return false;
    if (extra[index - N_SELECTOR_OPTIONS].flag != NULL)
        *extra[index - N_SELECTOR_OPTIONS].flag = true;
    else
        *extra[index - N_SELECTOR_OPTIONS].value = optarg;
    return true;
}

/* Parses the options; creating refuses --type (a new object has no type
 * to select by). */
static int parse_options(int argc, char **argv, const char *command,
                         const char *usage, const cli_extra_option *extra,
                         size_t n_extra, cli_selector *sel, bool creating)
{
    struct option options[N_SELECTOR_OPTIONS + MAX_EXTRA_OPTIONS + 1];
    int opt, index = 0, taken;
    int code = options_with(options, command, extra, n_extra);

    while (code == CLI_OK && (opt = getopt_long(argc, argv, CLI_SELECTOR_SHORT,
                                                options, &index)) != -1) {
        if (take_extra(opt, index, extra))
            continue;
        taken =
            creating && opt == 't' ? 0 : cli_selector_option(sel, opt, optarg);
        if (taken < 0)
            return CLI_EXIT_USAGE;
        if (taken == 0)
            return cli_error(CLI_EXIT_USAGE, "usage: p11kmip %s %s", command,
                             usage);
    }
    return code;
}

int cli_selection_parse(int argc, char **argv, const char *command,
                        const char *usage, const cli_extra_option *extra,
                        size_t n_extra, cli_selector *sel)
{
    int code =
        parse_options(argc, argv, command, usage, extra, n_extra, sel, false);

    if (code == CLI_OK && optind < argc - 1)
        code =
            cli_error(CLI_EXIT_USAGE, "usage: p11kmip %s %s", command, usage);
    if (code == CLI_OK && optind == argc - 1 &&
        cli_selector_uri(sel, argv[optind]) != 0)
        code = CLI_EXIT_USAGE;
    return code;
}

int cli_creation_options_parse(int argc, char **argv,
                               const cli_command *command,
                               const cli_extra_option *extra, size_t n_extra,
                               cli_selector *sel)
{
    return parse_options(argc, argv, command->name, command->usage, extra,
                         n_extra, sel, true);
}

int cli_token_find_one(const cli_selector *sel, const char *command,
                       cli_token *token, CK_OBJECT_HANDLE *handle)
{
    int code;

    token->fns = NULL;
    if (cli_selector_empty(sel))
        return cli_error(CLI_EXIT_USAGE,
                         "%s: name the object with --label, --id, --type or "
                         "a pkcs11: URI",
                         command);
    code = cli_selection_open(sel, token);
    return code == CLI_OK ? cli_find_one(token, sel, handle) : code;
}

int cli_run_on_key(int argc, char **argv, const cli_command *command,
                   const cli_extra_option *extra, size_t n_extra,
                   CK_OBJECT_CLASS object_class, cli_key_action act, void *ctx)
{
    cli_selector sel = {0};
    CK_OBJECT_HANDLE key;
    cli_token token = {0};
    int code = cli_selection_parse(argc, argv, command->name, command->usage,
                                   extra, n_extra, &sel);

    if (code == CLI_OK)
        code = cli_selector_of_class(&sel, object_class, command->name);
    if (code == CLI_OK)
        code = cli_token_find_one(&sel, command->name, &token, &key);
    if (code == CLI_OK)
        code = act(&token, key, ctx);
    cli_token_close(&token);
    cli_selector_clear(&sel);
    return code;
}

int cli_run_with_flag(int argc, char **argv, const cli_command *command,
                      const char *flag, cli_selection_action act)
{
    bool given = false;
    const cli_extra_option extra[] = {{flag, &given, NULL}};
    cli_selector sel = {0};
    int code = cli_selection_parse(argc, argv, command->name, command->usage,
                                   extra, 1, &sel);

    if (code == CLI_OK)
        code = act(&sel, given);
    cli_selector_clear(&sel);
    return code;
}

int cli_run_on_object(const cli_selector *sel, const char *command,
                      cli_object_action act, void *ctx)
{
    CK_OBJECT_HANDLE handle;
    cli_token token;
    cli_object object;
    int code = cli_token_find_one(sel, command, &token, &handle);

    if (code == CLI_OK)
        code = cli_object_read(&token, handle, &object);
    if (code == CLI_OK) {
        code = act(&token, &object, ctx);
        cli_object_clear(&object);
    }
    cli_token_close(&token);
    return code;
}
