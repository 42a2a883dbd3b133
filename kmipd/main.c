/* SPDX-License-Identifier: Apache-2.0 */
/* kmipd: a small, strict KMIP server.
 *   kmipd -c CONFIG [-f | -d]   (-f foreground, the default; -d daemon) */
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

static int usage(void)
{
    fprintf(stderr, "usage: kmipd -c CONFIG [-f | -d]\n"
                    "  -c CONFIG  JSON configuration file\n"
                    "  -f         stay in the foreground (default)\n"
                    "  -d         run as a daemon\n");
    return 2;
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
    struct stat info;
    if (stat(config->master_key, &info) == 0 && (info.st_mode & 077) != 0)
        kmipd_log(KMIPD_LOG_WARN,
                  "master key %s is readable by others than its owner",
                  config->master_key);
    kmip_status st;
    server->store = kmipd_store_open(config->database, master_key, &st);
    OPENSSL_cleanse(master_key, sizeof(master_key));
    if (server->store == NULL) {
        kmipd_log(KMIPD_LOG_ERROR, "%s", st.message);
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
    int opt;
    while ((opt = getopt(argc, argv, "c:fd")) != -1) {
        switch (opt) {
        case 'c':
            config_path = optarg;
            break;
        case 'f':
            daemonize = false;
            break;
        case 'd':
            daemonize = true;
            break;
        default:
            return usage();
        }
    }
    if (config_path == NULL || optind != argc)
        return usage();
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
    if (atomic_load(&server.connections) > 0)
        _exit(ok ? 0 : 1); /* abandoned threads still use what we'd free */
    server_close(&server);
    kmipd_log_close();
    return ok ? 0 : 1;
}
