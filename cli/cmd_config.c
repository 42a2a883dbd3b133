/* SPDX-License-Identifier: Apache-2.0 */
/* p11kmip config init | add-slot | show | check. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "config.h"

typedef struct config_args {
    const char *file;
    bool force;
    bool json;
    const char *only;    /* check: --slot */
    p11kmip_conf *draft; /* one slot: the one init and add-slot write */
} config_args;

static const char *config_path(const config_args *args)
{
    const char *env = getenv("P11KMIP_CONFIG");

    if (args->file != NULL)
        return args->file;
    return env != NULL && env[0] != '\0' ? env : P11KMIP_DEFAULT_CONFIG;
}

static int set(char **field, const char *value)
{
    free(*field);
    *field = strdup(value);
    return *field != NULL ? 0 : -1;
}

static int add_server(p11kmip_slot_conf *slot, const char *server)
{
    char **grown =
        realloc(slot->servers, (slot->server_count + 1) * sizeof(char *));

    if (grown == NULL)
        return -1;
    slot->servers = grown;
    slot->servers[slot->server_count] = strdup(server);
    return slot->servers[slot->server_count++] != NULL ? 0 : -1;
}

static int parse_version(const char *text, p11kmip_slot_conf *slot)
{
    int major, minor;
    char end;

    if (strcmp(text, "auto") == 0) {
        slot->kmip_major = slot->kmip_minor = 0;
        return 0;
    }
    if (sscanf(text, "%d.%d%c", &major, &minor, &end) != 2)
        return -1;
    slot->kmip_major = major;
    slot->kmip_minor = minor;
    return 0;
}

static int parse_login(const char *text, p11kmip_slot_conf *slot)
{
    static const struct {
        const char *name;
        p11kmip_login_mode mode;
    } modes[] = {{"none", P11KMIP_LOGIN_NONE},
                 {"key-passphrase", P11KMIP_LOGIN_KEY_PASSPHRASE},
                 {"credential", P11KMIP_LOGIN_CREDENTIAL}};

    for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
        if (strcmp(text, modes[i].name) == 0) {
            slot->login = modes[i].mode;
            return 0;
        }
    }
    return -1;
}

/* Options of every config subcommand; each uses the ones it needs. */
static int parse(int argc, char **argv, config_args *args)
{
    static const struct option options[] = {
        {"file", required_argument, NULL, 'f'},
        {"force", no_argument, NULL, 'F'},
        {"json", no_argument, NULL, 'j'},
        {"slot", required_argument, NULL, 's'},
        {"label", required_argument, NULL, 'l'},
        {"server", required_argument, NULL, 'S'},
        {"ca", required_argument, NULL, 'a'},
        {"cert", required_argument, NULL, 'c'},
        {"key", required_argument, NULL, 'k'},
        {"kmip-version", required_argument, NULL, 'V'},
        {"timeout-ms", required_argument, NULL, 'T'},
        {"login", required_argument, NULL, 'L'},
        {"username", required_argument, NULL, 'u'},
        {"verify-name", required_argument, NULL, 'N'},
        {NULL, 0, NULL, 0},
    };
    p11kmip_slot_conf *slot = &args->draft->slots[0];
    int opt, rc = 0;
    char *end;

    slot->timeout_ms = 5000;
    slot->pool = 32;
    while (rc == 0 &&
           (opt = getopt_long(argc, argv, "f:s:l:", options, NULL)) != -1) {
        switch (opt) {
        case 'f':
            args->file = optarg;
            break;
        case 'F':
            args->force = true;
            break;
        case 'j':
            args->json = true;
            break;
        case 's':
            args->only = optarg;
            break;
        case 'l':
            rc = set(&slot->label, optarg);
            break;
        case 'S':
            rc = add_server(slot, optarg);
            break;
        case 'a':
            rc = set(&slot->ca, optarg);
            break;
        case 'c':
            rc = set(&slot->cert, optarg);
            break;
        case 'k':
            rc = set(&slot->key, optarg);
            break;
        case 'u':
            rc = set(&slot->username, optarg);
            break;
        case 'N':
            rc = set(&slot->verify_name, optarg);
            break;
        case 'V':
            if (parse_version(optarg, slot) != 0)
                return cli_error(CLI_EXIT_USAGE,
                                 "--kmip-version \"%s\": expected auto or "
                                 "1.0 .. 2.1",
                                 optarg);
            break;
        case 'T':
            slot->timeout_ms = (uint32_t)strtoul(optarg, &end, 10);
            if (*end != '\0' || slot->timeout_ms == 0)
                return cli_error(CLI_EXIT_USAGE,
                                 "--timeout-ms \"%s\": expected a positive "
                                 "number of milliseconds",
                                 optarg);
            break;
        case 'L':
            if (parse_login(optarg, slot) != 0)
                return cli_error(CLI_EXIT_USAGE,
                                 "--login \"%s\": expected none, "
                                 "key-passphrase or credential",
                                 optarg);
            break;
        default:
            return CLI_EXIT_USAGE;
        }
    }
    if (rc != 0)
        return cli_error(CLI_EXIT_FAILURE, "config: out of memory");
    if (optind != argc)
        return cli_error(CLI_EXIT_USAGE, "config: unexpected \"%s\"",
                         argv[optind]);
    return CLI_OK;
}

/* The new slot's files must be readable now, not at the first handshake. */
static int check_new_slot(const p11kmip_slot_conf *slot)
{
    const char *const files[] = {slot->ca, slot->cert, slot->key};
    const char *const names[] = {"--ca", "--cert", "--key"};

    if (slot->label == NULL || slot->server_count == 0)
        return cli_error(CLI_EXIT_USAGE,
                         "config: a slot needs --label and at least one "
                         "--server HOST:PORT");
    for (size_t i = 0; i < 3; i++) {
        if (files[i] == NULL)
            return cli_error(CLI_EXIT_USAGE,
                             "config: a slot needs %s (mutual TLS)", names[i]);
        if (access(files[i], R_OK) != 0)
            return cli_error(CLI_EXIT_CONFIG, "config: %s %s: not readable",
                             names[i], files[i]);
    }
    return CLI_OK;
}

/* Writes conf to path through a temporary file that is read back first,
 * so a configuration the loader would refuse never replaces a good one. */
static int save(const p11kmip_conf *conf, const char *path)
{
    char err[512], tmp[4096];
    p11kmip_conf *check;

    snprintf(tmp, sizeof(tmp), "%s.new", path);
    if (p11kmip_conf_save(conf, tmp, err, sizeof(err)) != 0)
        return cli_error(CLI_EXIT_CONFIG, "%s", err);
    check = p11kmip_conf_load_file(tmp, err, sizeof(err));
    if (check == NULL) {
        unlink(tmp);
        return cli_error(CLI_EXIT_CONFIG, "config: refused: %s", err);
    }
    p11kmip_conf_free(check);
    if (rename(tmp, path) != 0) {
        unlink(tmp);
        return cli_error(CLI_EXIT_CONFIG, "%s: cannot replace it", path);
    }
    return CLI_OK;
}

/* Moves the draft's slot into conf's slot list. */
static int append_slot(p11kmip_conf *conf, p11kmip_conf *draft)
{
    const char *label = draft->slots[0].label;
    p11kmip_slot_conf *grown;

    for (size_t i = 0; i < conf->slot_count; i++)
        if (strcmp(conf->slots[i].label, label) == 0)
            return cli_error(CLI_EXIT_USAGE,
                             "config: %s already has a slot labelled \"%s\"",
                             conf->source, label);
    grown = realloc(conf->slots, (conf->slot_count + 1) * sizeof(*grown));
    if (grown == NULL)
        return cli_error(CLI_EXIT_FAILURE, "config: out of memory");
    conf->slots = grown;
    conf->slots[conf->slot_count++] = draft->slots[0];
    draft->slot_count = 0;
    return CLI_OK;
}

static int init(config_args *args)
{
    const char *path = config_path(args);
    int code = check_new_slot(&args->draft->slots[0]);

    if (code != CLI_OK)
        return code;
    if (!args->force && access(path, F_OK) == 0)
        return cli_error(CLI_EXIT_USAGE,
                         "config init: %s exists; add a slot with 'p11kmip "
                         "config add-slot' or replace it with --force",
                         path);
    code = save(args->draft, path);
    if (code == CLI_OK)
        printf("wrote %s with slot \"%s\"\n", path,
               args->draft->slots[0].label);
    return code;
}

static int add_slot(config_args *args)
{
    const char *path = config_path(args);
    char err[512];
    p11kmip_conf *conf;
    int code = check_new_slot(&args->draft->slots[0]);

    if (code != CLI_OK)
        return code;
    conf = p11kmip_conf_load_file(path, err, sizeof(err));
    if (conf == NULL)
        return cli_error(CLI_EXIT_CONFIG,
                         "%s (create it with 'p11kmip config init')", err);
    code = append_slot(conf, args->draft);
    if (code == CLI_OK)
        code = save(conf, path);
    if (code == CLI_OK)
        printf("added slot \"%s\" to %s\n",
               conf->slots[conf->slot_count - 1].label, path);
    p11kmip_conf_free(conf);
    return code;
}

/* The configuration in effect: the named file, or the search order with
 * the environment applied. */
static p11kmip_conf *load(const config_args *args, int *code)
{
    char err[512];
    p11kmip_conf *conf =
        args->file != NULL
            ? p11kmip_conf_load_file(args->file, err, sizeof(err))
            : p11kmip_conf_load(err, sizeof(err));

    if (conf == NULL)
        *code = cli_error(CLI_EXIT_CONFIG, "%s", err);
    return conf;
}

static int show_json(const p11kmip_conf *conf)
{
    const char *dir = getenv("TMPDIR");
    char err[512], tmp[4096];
    uint8_t *text = NULL;
    size_t len = 0;
    int fd, code = CLI_OK;

    snprintf(tmp, sizeof(tmp), "%s/p11kmip-config-XXXXXX",
             dir != NULL && dir[0] != '\0' ? dir : "/tmp");
    fd = mkstemp(tmp);
    if (fd < 0)
        return cli_error(CLI_EXIT_FAILURE, "config show: no temporary file");
    close(fd);
    if (p11kmip_conf_save(conf, tmp, err, sizeof(err)) != 0)
        code = cli_error(CLI_EXIT_FAILURE, "%s", err);
    else if (cli_read_file(tmp, 1024 * 1024, &text, &len) != 0)
        code = CLI_EXIT_FAILURE;
    else
        fwrite(text, 1, len, stdout);
    unlink(tmp);
    free(text);
    return code;
}

static void show_text(const p11kmip_conf *conf)
{
    static const char *const logins[] = {"none", "key-passphrase",
                                         "credential"};

    printf("configuration: %s\nlog level: %s, file: %s\n", conf->source,
           p11kmip_log_level_name(conf->log_level),
           conf->log_file != NULL ? conf->log_file : "(standard error)");
    for (size_t i = 0; i < conf->slot_count; i++) {
        const p11kmip_slot_conf *slot = &conf->slots[i];

        printf("slot \"%s\"\n  servers:", slot->label);
        for (size_t j = 0; j < slot->server_count; j++)
            printf(" %s", slot->servers[j]);
        printf("\n  ca: %s\n  cert: %s\n  key: %s\n", slot->ca, slot->cert,
               slot->key);
        if (slot->kmip_major == 0)
            printf("  kmip version: auto\n");
        else
            printf("  kmip version: %d.%d\n", (int)slot->kmip_major,
                   (int)slot->kmip_minor);
        printf("  timeout: %u ms, pool: %u, login: %s\n",
               (unsigned)slot->timeout_ms, (unsigned)slot->pool,
               logins[slot->login]);
    }
}

/* An empty one-slot configuration with the defaults, or NULL. */
static p11kmip_conf *draft_new(void)
{
    p11kmip_conf *draft = calloc(1, sizeof(*draft));

    if (draft == NULL)
        return NULL;
    draft->log_level = P11KMIP_LOG_WARN;
    draft->slots = calloc(1, sizeof(*draft->slots));
    draft->slot_count = 1;
    draft->source = strdup("command line");
    if (draft->slots == NULL || draft->source == NULL) {
        draft->slot_count = 0;
        p11kmip_conf_free(draft);
        return NULL;
    }
    return draft;
}

static int run(int argc, char **argv)
{
    config_args args = {0};
    p11kmip_conf *conf = NULL;
    const char *sub = argc > 1 ? argv[1] : "";
    int code;

    args.draft = draft_new();
    if (args.draft == NULL)
        return cli_error(CLI_EXIT_FAILURE, "config: out of memory");
    code = parse(argc - 1, argv + 1, &args);
    if (code == CLI_OK && strcmp(sub, "init") == 0)
        code = init(&args);
    else if (code == CLI_OK && strcmp(sub, "add-slot") == 0)
        code = add_slot(&args);
    else if (code == CLI_OK &&
             (strcmp(sub, "show") == 0 || strcmp(sub, "check") == 0)) {
        conf = load(&args, &code);
        if (conf != NULL && strcmp(sub, "check") == 0)
            code = cli_config_check(conf, args.only, args.json);
        else if (conf != NULL && args.json)
            code = show_json(conf);
        else if (conf != NULL)
            show_text(conf);
    } else if (code == CLI_OK) {
        code = cli_error(CLI_EXIT_USAGE, "usage: p11kmip config %s",
                         cli_cmd_config.usage);
    }
    p11kmip_conf_free(conf);
    p11kmip_conf_free(args.draft);
    return code;
}

const cli_command cli_cmd_config = {
    "config",
    "create, extend, show and check the configuration",
    "init|add-slot|show|check [OPTIONS]\n"
    "  init     --label L --server HOST:PORT... --ca F --cert F --key F\n"
    "           [--kmip-version auto|1.0..2.1] [--timeout-ms N]\n"
    "           [--login none|key-passphrase|credential] [--username U]\n"
    "           [--verify-name NAME] [--file PATH] [--force]\n"
    "  add-slot (the slot options of init) [--file PATH]\n"
    "  show     [--file PATH] [--json]\n"
    "  check    [--file PATH] [--slot SLOT] [--json]",
    run,
};
