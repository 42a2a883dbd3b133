/* SPDX-License-Identifier: Apache-2.0 */
/* p11kmip config init | add-slot | show | check. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "config.h"
#include "p11kmip/conf_schema.h"

/* getopt values of the schema's options: this plus the field's index. */
#define CONFIG_FIELD_OPTION 1000

typedef struct config_args {
    const char *file;
    bool force;
    bool json;
    bool system;         /* init, add-slot: /etc, not the user's file */
    const char *only;    /* check: --slot */
    p11kmip_conf *draft; /* one slot: the one init and add-slot write */
} config_args;

/* Makes the folders above path (0700), as for a new user's file. */
static int make_folders(const char *path)
{
    char folder[4096];

    for (const char *slash = strchr(path + 1, '/'); slash != NULL;
         slash = strchr(slash + 1, '/')) {
        snprintf(folder, sizeof(folder), "%.*s", (int)(slash - path), path);
        if (mkdir(folder, 0700) != 0 && errno != EEXIST)
            return cli_error(CLI_EXIT_CONFIG, "config: %s: %s", folder,
                             strerror(errno));
    }
    return CLI_OK;
}

/* The file init and add-slot write: --file, else $P11KMIP_CONFIG, else
 * with --system /etc/p11kmip/p11kmip.json, else the user's file. */
static int config_path(const config_args *args, char *path, size_t len)
{
    const char *env = getenv("P11KMIP_CONFIG");
    const char *named = args->file;

    if (named == NULL && env != NULL && env[0] != '\0')
        named = env;
    if (named == NULL && args->system)
        named = P11KMIP_DEFAULT_CONFIG;
    if (named != NULL) {
        snprintf(path, len, "%s", named);
        return CLI_OK;
    }
    if (p11kmip_conf_user_path(path, len) != 0)
        return cli_error(CLI_EXIT_CONFIG,
                         "config: neither XDG_CONFIG_HOME nor HOME names a "
                         "folder: give --file or --system");
    return make_folders(path);
}

/* --file, --force, --json, --slot, --system, then one option per schema
 * field. */
static void config_options(struct option *options)
{
    static const struct option fixed[] = {
        {"file", required_argument, NULL, 'f'},
        {"force", no_argument, NULL, 'F'},
        {"json", no_argument, NULL, 'j'},
        {"slot", required_argument, NULL, 's'},
        {"system", no_argument, NULL, 'Y'},
    };
    size_t n = sizeof(fixed) / sizeof(fixed[0]);

    memcpy(options, fixed, sizeof(fixed));
    for (size_t i = 0; i < p11kmip_conf_slot_field_count; i++)
        if (p11kmip_conf_slot_fields[i].option != NULL)
            options[n++] = (struct option){p11kmip_conf_slot_fields[i].option,
                                           required_argument, NULL,
                                           CONFIG_FIELD_OPTION + (int)i};
    options[n] = (struct option){NULL, 0, NULL, 0};
}

/* A slot field's option: its value goes into the draft's slot. */
static int take_field(config_args *args, int opt)
{
    const p11kmip_conf_field *field =
        &p11kmip_conf_slot_fields[opt - CONFIG_FIELD_OPTION];
    char where[64], err[512];

    snprintf(where, sizeof(where), "--%s", field->option);
    if (p11kmip_conf_field_set(field, &args->draft->slots[0], optarg, where,
                               err, sizeof(err)) != 0)
        return cli_error(CLI_EXIT_USAGE, "config: %s (%s)", err, field->help);
    return CLI_OK;
}

/* Options of every config subcommand; each uses the ones it needs. */
static int parse(int argc, char **argv, config_args *args)
{
    struct option *options =
        calloc(5 + p11kmip_conf_slot_field_count + 1, sizeof(*options));
    int opt, code = CLI_OK;

    if (options == NULL)
        return cli_error(CLI_EXIT_FAILURE, "config: out of memory");
    config_options(options);
    while (code == CLI_OK &&
           (opt = getopt_long(argc, argv, "f:s:", options, NULL)) != -1) {
        if (opt == 'f')
            args->file = optarg;
        else if (opt == 'F')
            args->force = true;
        else if (opt == 'j')
            args->json = true;
        else if (opt == 's')
            args->only = optarg;
        else if (opt == 'Y')
            args->system = true;
        else if (opt >= CONFIG_FIELD_OPTION)
            code = take_field(args, opt);
        else
            code = CLI_EXIT_USAGE;
    }
    free(options);
    if (code == CLI_OK && optind != argc)
        return cli_error(CLI_EXIT_USAGE, "config: unexpected \"%s\"",
                         argv[optind]);
    return code;
}

/* The new slot is complete, and its files are readable now, not at the
 * first handshake. */
static int check_new_slot(const p11kmip_slot_conf *slot)
{
    char path[4096], err[512];

    for (size_t i = 0; i < p11kmip_conf_slot_field_count; i++) {
        const p11kmip_conf_field *field = &p11kmip_conf_slot_fields[i];

        if ((field->flags & P11KMIP_CONF_REQUIRED) &&
            !p11kmip_conf_field_is_set(field, slot))
            return cli_error(CLI_EXIT_USAGE, "config: a slot needs --%s: %s",
                             field->option, field->help);
        if (!(field->flags & P11KMIP_CONF_FILE) ||
            !p11kmip_conf_field_is_set(field, slot))
            continue;
        p11kmip_conf_field_text(field, slot, path, sizeof(path));
        if (access(path, R_OK) != 0)
            return cli_error(CLI_EXIT_CONFIG, "config: --%s %s: not readable",
                             field->option, path);
    }
    if (p11kmip_conf_check_slot(slot, "config", 0, err, sizeof(err)) != 0)
        return cli_error(CLI_EXIT_USAGE, "%s", err);
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
    char path[4096];
    int code = check_new_slot(&args->draft->slots[0]);

    if (code == CLI_OK)
        code = config_path(args, path, sizeof(path));
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
    char err[512], path[4096];
    p11kmip_conf *conf;
    int code = check_new_slot(&args->draft->slots[0]);

    if (code == CLI_OK)
        code = config_path(args, path, sizeof(path));
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
    char *text = p11kmip_conf_text(conf, false);

    if (text == NULL)
        return cli_error(CLI_EXIT_FAILURE, "config show: out of memory");
    printf("%s\n", text);
    free(text);
    return CLI_OK;
}

static void show_text(const p11kmip_conf *conf)
{
    char value[4096];

    printf("configuration: %s\nlog level: %s, file: %s\n", conf->source,
           p11kmip_log_level_name(conf->log_level),
           conf->log_file != NULL ? conf->log_file : "(standard error)");
    for (size_t i = 0; i < conf->slot_count; i++) {
        printf("slot \"%s\" (from %s)\n", conf->slots[i].label,
               conf->slots[i].source);
        for (size_t j = 0; j < p11kmip_conf_slot_field_count; j++) {
            const p11kmip_conf_field *field = &p11kmip_conf_slot_fields[j];

            p11kmip_conf_field_text(field, &conf->slots[i], value,
                                    sizeof(value));
            if (field->offset != offsetof(p11kmip_slot_conf, label) &&
                value[0] != '\0')
                printf("  %s: %s\n", field->name, value);
        }
    }
}

/* The schema as the operator reads it: per key, its name in the file,
 * its option and variable, what it is, what it takes and its default. */
static void print_keys(void)
{
    p11kmip_slot_conf defaults;
    char expected[256], value[64];

    p11kmip_conf_slot_defaults(&defaults);
    for (size_t i = 0; i < p11kmip_conf_slot_field_count; i++) {
        const p11kmip_conf_field *field = &p11kmip_conf_slot_fields[i];

        p11kmip_conf_field_expected(field, expected, sizeof(expected));
        p11kmip_conf_field_text(field, &defaults, value, sizeof(value));
        printf("\"%s\"%s%s%s%s%s: %s\n    %s%s%s\n", field->name,
               field->option != NULL ? ", --" : "",
               field->option != NULL ? field->option : "",
               field->env != NULL ? ", $" : "",
               field->env != NULL ? field->env : "",
               (field->flags & P11KMIP_CONF_REQUIRED) ? ", required" : "",
               field->help, expected, value[0] != '\0' ? "; default " : "",
               value);
    }
}

static int run(int argc, char **argv)
{
    config_args args = {0};
    p11kmip_conf *conf = NULL;
    const char *sub = argc > 1 ? argv[1] : "";
    int code;

    args.draft = p11kmip_conf_new("command line", 1);
    if (args.draft == NULL)
        return cli_error(CLI_EXIT_FAILURE, "config: out of memory");
    code = parse(argc - 1, argv + 1, &args);
    if (code == CLI_OK && strcmp(sub, "init") == 0)
        code = init(&args);
    else if (code == CLI_OK && strcmp(sub, "add-slot") == 0)
        code = add_slot(&args);
    else if (code == CLI_OK && strcmp(sub, "keys") == 0)
        print_keys();
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
    "init|add-slot|show|check|keys [OPTIONS]\n"
    "  init     --label L --server HOST:PORT... (--ca F --cert F --key F |\n"
    "           --p12 F [--ca F]) [--hardware-slot true|false]\n"
    "           [--attribute-cache true|false]\n"
    "           [--kmip-version auto|1.0..2.1] [--timeout-ms N] [--pool N]\n"
    "           [--login none|key-passphrase|credential] [--username U]\n"
    "           [--verify-name NAME] [--ciphers LIST] [--file PATH] "
    "[--force]\n"
    "           [--system] (default: the user's file)\n"
    "  add-slot (the slot options of init) [--file PATH] [--system]\n"
    "  show     [--file PATH] [--json]\n"
    "  check    [--file PATH] [--slot SLOT] [--json]\n"
    "  keys     each key of a slot: option, type, default, environment",
    run,
};
