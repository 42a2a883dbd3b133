/* SPDX-License-Identifier: Apache-2.0 */
/* kmipd: a small, strict KMIP server.
 *   kmipd -c CONFIG [-f | -d]   (-f foreground, the default; -d daemon)
 *   kmipd -h | --help | --version */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "kmipd/log.h"
#include "kmipd/server.h"
#include "kmipd/wrap.h"

static kmipd_server *running_server;

static void on_stop_signal(int signum)
{
    (void)signum;
    atomic_store(&running_server->stopping, true);
}

static void install_signals(void)
{
    struct sigaction stop = {.sa_handler = on_stop_signal};
    sigemptyset(&stop.sa_mask);
    sigaction(SIGTERM, &stop, NULL);
    sigaction(SIGINT, &stop, NULL);
    struct sigaction ignore = {.sa_handler = SIG_IGN};
    sigaction(SIGPIPE, &ignore, NULL);
}

static int usage(FILE *out, int status)
{
    fprintf(out, "usage: kmipd -c CONFIG [-f | -d]\n"
                 "  -c CONFIG  JSON configuration file\n"
                 "  -f         stay in the foreground (default)\n"
                 "  -d         run as a daemon\n"
                 "  -h, --help print this help\n"
                 "  --version  print the version\n");
    return status;
}

/* Reads the command line into *config_path and *daemonize. Returns -1 to
 * go on, else the status to exit with (help, version, usage error). */
static int parse_args(int argc, char **argv, const char **config_path,
                      bool *daemonize)
{
    static const struct option options[] = {
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    int opt;
    while ((opt = getopt_long(argc, argv, "c:fdh", options, NULL)) != -1) {
        if (opt == 'c')
            *config_path = optarg;
        else if (opt == 'f' || opt == 'd')
            *daemonize = opt == 'd';
        else if (opt == 'h')
            return usage(stdout, 0);
        else if (opt == 'V')
            return printf("kmipd %s\n", KMIPD_VERSION) < 0;
        else
            return usage(stderr, 2);
    }
    return *config_path == NULL || optind != argc ? usage(stderr, 2) : -1;
}

/* Opens the store and the TLS context of server->config. */
static bool server_open(kmipd_server *server)
{
    const kmipd_config *config = server->config;
    uint8_t master_key[KMIPD_WRAP_KEY_LEN];
    char why[512];
    if (!kmipd_master_key_read(config->master_key, master_key, why,
                               sizeof(why))) {
        kmipd_log(KMIPD_LOG_ERROR, "master key: %s", why);
        return false;
    }
    kmip_status st;
    server->store = kmipd_store_open(config->database, master_key, &st);
    OPENSSL_cleanse(master_key, sizeof(master_key));
    if (server->store == NULL) {
        kmipd_log(KMIPD_LOG_ERROR, "%s (master key file %s)", st.message,
                  config->master_key);
        return false;
    }
    server->tls = kmipd_tls_context(config);
    return server->tls != NULL;
}

static void server_close(kmipd_server *server)
{
    SSL_CTX_free(server->tls);
    kmipd_store_close(server->store);
    kmipd_config_free(server->config);
    pthread_mutex_destroy(&server->work_lock);
    pthread_cond_destroy(&server->work_done);
}

int main(int argc, char **argv)
{
    const char *config_path = NULL;
    bool daemonize = false;
    int status = parse_args(argc, argv, &config_path, &daemonize);
    if (status >= 0)
        return status;
    /* The database, its WAL and SHM, and the log: for our eyes only. */
    umask(umask(077) | 077);
    kmip_status st;
    kmipd_server server = {.listen_fd = -1};
    pthread_mutex_init(&server.work_lock, NULL);
    pthread_cond_init(&server.work_done, NULL);
    server.config = kmipd_config_load(config_path, &st);
    if (server.config == NULL) {
        fprintf(stderr, "kmipd: %s\n", st.message);
        server_close(&server);
        return 1;
    }
    if (!kmipd_log_open(server.config->log_file, server.config->log_level)) {
        fprintf(stderr, "kmipd: cannot open the log %s\n",
                server.config->log_file);
        server_close(&server);
        return 1;
    }
    if (daemonize && server.config->log_file == NULL)
        fprintf(stderr, "kmipd: a daemon without \"log_file\" logs nowhere\n");
    running_server = &server;
    install_signals();
    /* Daemonize first: the store's connections must not cross a fork. */
    bool ok = (!daemonize || daemon(1, 0) == 0) && server_open(&server) &&
              kmipd_listen(&server);
    kmipd_log(ok ? KMIPD_LOG_INFO : KMIPD_LOG_ERROR, "kmipd %s",
              ok ? "stopped" : "failed to start");
    if (atomic_load(&server.threads) > 0)
        _exit(ok ? 0 : 1); /* abandoned threads still use what we'd free */
    server_close(&server);
    kmipd_log_close();
    return ok ? 0 : 1;
}
