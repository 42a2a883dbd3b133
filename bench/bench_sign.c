/* SPDX-License-Identifier: Apache-2.0 */
/* Signatures per second: RSA-2048 (PKCS#1 v1.5, SHA-256) and P-256
 * (ECDSA, SHA-256) through the kmip/ client against kmipd, with 1 and 2
 * client threads, beside the same signature with a local key in the same
 * run, and RSA-2048 against PyKMIP when a PyKMIP server is given.
 *
 * Usage: bench_sign [-s SECONDS] [-r ROUNDS] [-o DATA_FILE] [-a rsa|ec]
 * Each remote rate is measured ROUNDS (3) times for SECONDS (3), each time
 * right after the local rate: the table gives the best rates and the
 * median of the paired ratios.
 * Environment (bench/run.sh sets it): BENCH_KMIPD and BENCH_PYKMIP
 * (host:port; PyKMIP optional), P11KMIP_TEST_CA, P11KMIP_TEST_CERT,
 * P11KMIP_TEST_KEY. Prints a table; DATA_FILE receives the rates for
 * gnuplot (label, rate). */
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "kmip/attrs.h"
#include "kmip/client.h"
#include "kmip/payloads.h"
#include "kmip/tags.h"

#define MAX_THREADS 2

static const uint8_t message[] = "The quick brown fox signs over the lazy dog";

/* One key to sign with, where it lives. */
typedef struct signer {
    kmip_client *client; /* remote: the server's client, else NULL */
    kmip_version version;
    char *uid; /* remote key */
    kmip_crypto_params params;
    EVP_PKEY *local; /* local key */
    const char *md;  /* local digest name */
} signer;

typedef struct worker {
    const signer *signer;
    double seconds;
    uint64_t count;
    bool failed;
} worker;

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static bool sign_local(const signer *s)
{
    uint8_t sig[1024];
    size_t sig_len = sizeof(sig);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    bool ok = md != NULL &&
              EVP_DigestSignInit_ex(md, NULL, s->md, NULL, NULL, s->local,
                                    NULL) == 1 &&
              EVP_DigestSign(md, sig, &sig_len, message, sizeof(message)) == 1;
    EVP_MD_CTX_free(md);
    return ok;
}

static bool sign_remote(const signer *s)
{
    kmip_crypto_args args = {
        .uid = s->uid, .params = s->params, .data = {message, sizeof(message)}};
    kmip_response *resp = NULL;
    kmip_status status;
    kmip_rc rc = kmip_client_call_one(s->client, KMIP_OPERATION_SIGN,
                                      kmip_sign_request(s->version, &args), 1,
                                      &resp, &status);
    if (rc != KMIP_OK)
        fprintf(stderr, "Sign: %s\n", status.message);
    kmip_response_free(resp);
    return rc == KMIP_OK;
}

static void *work(void *arg)
{
    worker *w = arg;
    double end = now_seconds() + w->seconds;
    while (now_seconds() < end) {
        if (!(w->signer->client != NULL ? sign_remote(w->signer)
                                        : sign_local(w->signer))) {
            w->failed = true;
            break;
        }
        w->count++;
    }
    return NULL;
}

/* Signatures per second with threads threads for seconds; -1 on failure. */
static double measure(const signer *s, int threads, double seconds)
{
    worker workers[MAX_THREADS] = {0};
    pthread_t ids[MAX_THREADS];
    double start = now_seconds();
    for (int i = 0; i < threads; i++) {
        workers[i] = (worker){.signer = s, .seconds = seconds};
        pthread_create(&ids[i], NULL, work, &workers[i]);
    }
    uint64_t total = 0;
    bool failed = false;
    for (int i = 0; i < threads; i++) {
        pthread_join(ids[i], NULL);
        total += workers[i].count;
        failed = failed || workers[i].failed;
    }
    return failed ? -1.0 : (double)total / (now_seconds() - start);
}

/* ---- Setting up the keys. ---- */

static const char *env(const char *name)
{
    const char *value = getenv(name);
    if (value == NULL || value[0] == '\0') {
        fprintf(stderr, "bench_sign: %s is not set (run bench/run.sh)\n", name);
        exit(2);
    }
    return value;
}

static kmip_client *connect_to(const char *server, kmip_version version)
{
    static const char *servers[2][1];
    static int used;
    servers[used][0] = server;
    kmip_client_config cfg = {.servers = servers[used++],
                              .server_count = 1,
                              .ca_file = env("P11KMIP_TEST_CA"),
                              .cert_file = env("P11KMIP_TEST_CERT"),
                              .key_file = env("P11KMIP_TEST_KEY"),
                              .timeout_ms = 30000,
                              .pool_size = MAX_THREADS,
                              .version = version};
    kmip_status status;
    kmip_client *client = kmip_client_new(&cfg, &status);
    if (client == NULL) {
        fprintf(stderr, "bench_sign: %s: %s\n", server, status.message);
        exit(1);
    }
    return client;
}

static kmip_response *call(kmip_client *client, uint32_t operation,
                           kmip_item *payload)
{
    kmip_response *resp = NULL;
    kmip_status status;
    if (kmip_client_call_one(client, operation, payload, 0, &resp, &status) !=
        KMIP_OK) {
        fprintf(stderr, "bench_sign: operation 0x%x: %s\n", (unsigned)operation,
                status.message);
        exit(1);
    }
    return resp;
}

static kmip_item *attrs_of(uint32_t algorithm, int32_t bits, uint32_t usage)
{
    kmip_item *attrs = kmip_attrs_new();
    if (algorithm != 0)
        kmip_attrs_add_algorithm(attrs, algorithm);
    if (bits != 0)
        kmip_attrs_add_length(attrs, bits);
    if (usage != 0)
        kmip_attrs_add_usage_mask(attrs, usage);
    return attrs;
}

/* Creates and activates a key pair on the server; returns the private
 * key's uid (free with free()). */
static char *remote_private_key(kmip_client *client, kmip_version version,
                                uint32_t algorithm, int32_t bits)
{
    kmip_item *common = attrs_of(algorithm, bits, 0);
    kmip_item *priv = attrs_of(0, 0, KMIP_CRYPTOGRAPHIC_USAGE_MASK_SIGN);
    kmip_item *pub = attrs_of(0, 0, KMIP_CRYPTOGRAPHIC_USAGE_MASK_VERIFY);
    kmip_create_key_pair_args args = {common, priv, pub};
    kmip_response *resp = call(client, KMIP_OPERATION_CREATE_KEY_PAIR,
                               kmip_create_key_pair_request(version, &args));
    kmip_item_free(common);
    kmip_item_free(priv);
    kmip_item_free(pub);
    kmip_create_key_pair_result result;
    if (kmip_create_key_pair_response(resp->items[0].payload, &result, NULL) !=
        KMIP_OK) {
        fprintf(stderr, "bench_sign: bad Create Key Pair response\n");
        exit(1);
    }
    char *uid = strdup(result.private_uid);
    kmip_response_free(resp);
    kmip_response_free(call(client, KMIP_OPERATION_ACTIVATE,
                            kmip_activate_request(version, uid)));
    return uid;
}

/* ---- The run. ---- */

typedef struct row {
    const char *algorithm;
    const char *where;
    int threads;
    double rate;  /* the best round */
    double ratio; /* median of the rounds' remote / local, 0: local row */
} row;

#define MAX_ROWS 16
#define MAX_ROUNDS 16

static row rows[MAX_ROWS];
static size_t row_count;

static int rounds = 3; /* -r: paired measurements per row */

static double checked(double rate, const char *algorithm, const char *where)
{
    if (rate < 0) {
        fprintf(stderr, "bench_sign: %s %s failed\n", algorithm, where);
        exit(1);
    }
    return rate;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Measures remote and local back to back, rounds times, so that each
 * ratio compares two measurements made under the same load on the
 * machine. Adds the remote row, and the local row when add_local. */
static void run_pair(const char *algorithm, const char *where,
                     const signer *remote, const signer *local, int threads,
                     double seconds, bool add_local)
{
    double ratios[MAX_ROUNDS], best_local = 0, best_remote = 0;
    measure(remote, threads, seconds / 10); /* warm up connections */
    for (int round = 0; round < rounds; round++) {
        double l =
            checked(measure(local, threads, seconds), algorithm, "local");
        double r = checked(measure(remote, threads, seconds), algorithm, where);
        ratios[round] = r / l;
        best_local = l > best_local ? l : best_local;
        best_remote = r > best_remote ? r : best_remote;
    }
    qsort(ratios, (size_t)rounds, sizeof(*ratios), by_value);
    if (add_local)
        rows[row_count++] = (row){algorithm, "local", threads, best_local, 0};
    rows[row_count++] =
        (row){algorithm, where, threads, best_remote, ratios[rounds / 2]};
}

/* kmipd, then PyKMIP (when given), each paired with the local key. */
static void bench_algorithm(const char *algorithm, signer *remote,
                            signer *local, signer *pykmip, double seconds)
{
    for (int threads = 1; threads <= MAX_THREADS; threads++)
        run_pair(algorithm, "kmipd", remote, local, threads, seconds, true);
    for (int threads = 1; pykmip != NULL && threads <= MAX_THREADS; threads++)
        run_pair(algorithm, "PyKMIP", pykmip, local, threads, seconds, false);
}

static void print_table(FILE *data)
{
    printf("%-10s %-7s %7s %12s %9s\n", "algorithm", "where", "threads",
           "signs/s", "vs local*");
    for (size_t i = 0; i < row_count; i++) {
        const row *r = &rows[i];
        printf("%-10s %-7s %7d %12.0f", r->algorithm, r->where, r->threads,
               r->rate);
        if (r->ratio > 0)
            printf(" %8.1f%%", 100.0 * r->ratio);
        printf("\n");
        if (data != NULL)
            fprintf(data, "\"%s %s %dT\" %.1f\n", r->algorithm, r->where,
                    r->threads, r->rate);
    }
    printf("* median over the rounds of the rate divided by the local rate "
           "measured just before\n");
}

int main(int argc, char **argv)
{
    double seconds = 3.0;
    const char *data_path = NULL;
    const char *only = NULL; /* "rsa" or "ec": one algorithm */
    int opt;
    while ((opt = getopt(argc, argv, "s:r:o:a:")) != -1) {
        if (opt == 's')
            seconds = atof(optarg);
        else if (opt == 'r')
            rounds = atoi(optarg) < 1            ? 1
                     : atoi(optarg) > MAX_ROUNDS ? MAX_ROUNDS
                                                 : atoi(optarg);
        else if (opt == 'o')
            data_path = optarg;
        else if (opt == 'a')
            only = optarg;
        else {
            fprintf(stderr,
                    "usage: bench_sign [-s SECONDS] [-r ROUNDS] [-o DATA] "
                    "[-a rsa|ec]\n");
            return 2;
        }
    }
    kmip_version negotiate = {0, 0};
    kmip_client *kmipd = connect_to(env("BENCH_KMIPD"), negotiate);
    kmip_version v;
    kmip_status status;
    if (kmip_client_version(kmipd, &v, &status) != KMIP_OK) {
        fprintf(stderr, "bench_sign: kmipd: %s\n", status.message);
        return 1;
    }
    const char *pykmip_server = getenv("BENCH_PYKMIP");
    kmip_client *pykmip = pykmip_server != NULL && pykmip_server[0] != '\0'
                              ? connect_to(pykmip_server, KMIP_VERSION(1, 4))
                              : NULL;

    kmip_crypto_params rsa_params = {
        .present = true,
        .cryptographic_algorithm = KMIP_CRYPTOGRAPHIC_ALGORITHM_RSA,
        .hashing_algorithm = KMIP_HASHING_ALGORITHM_SHA_256,
        .padding_method = KMIP_PADDING_METHOD_PKCS1V15};
    kmip_crypto_params ec_params = {
        .present = true,
        .digital_signature_algorithm =
            KMIP_DIGITAL_SIGNATURE_ALGORITHM_ECDSA_WITH_SHA256};
    signer rsa_local = {.local =
                            EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048),
                        .md = "SHA256"};
    signer ec_local = {.local = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256"),
                       .md = "SHA256"};
    signer rsa_remote = {
        kmipd,
        v,
        remote_private_key(kmipd, v, KMIP_CRYPTOGRAPHIC_ALGORITHM_RSA, 2048),
        rsa_params,
        NULL,
        NULL};
    signer ec_remote = {
        kmipd,
        v,
        remote_private_key(kmipd, v, KMIP_CRYPTOGRAPHIC_ALGORITHM_EC, 256),
        ec_params,
        NULL,
        NULL};
    signer rsa_pykmip = {0};
    if (pykmip != NULL)
        rsa_pykmip =
            (signer){pykmip,
                     KMIP_VERSION(1, 4),
                     remote_private_key(pykmip, KMIP_VERSION(1, 4),
                                        KMIP_CRYPTOGRAPHIC_ALGORITHM_RSA, 2048),
                     rsa_params,
                     NULL,
                     NULL};

    printf("kmipd at %s (KMIP %d.%d), %d paired rounds of %.1f s, %ld CPUs\n",
           getenv("BENCH_KMIPD"), v.major, v.minor, rounds, seconds,
           sysconf(_SC_NPROCESSORS_ONLN));
    if (only == NULL || strcmp(only, "rsa") == 0)
        bench_algorithm("RSA-2048", &rsa_remote, &rsa_local,
                        pykmip != NULL ? &rsa_pykmip : NULL, seconds);
    if (only == NULL || strcmp(only, "ec") == 0)
        bench_algorithm("P-256", &ec_remote, &ec_local, NULL, seconds);

    FILE *data = data_path != NULL ? fopen(data_path, "w") : NULL;
    print_table(data);
    if (data != NULL)
        fclose(data);
    free(rsa_remote.uid);
    free(ec_remote.uid);
    free(rsa_pykmip.uid);
    EVP_PKEY_free(rsa_local.local);
    EVP_PKEY_free(ec_local.local);
    kmip_client_free(kmipd);
    kmip_client_free(pykmip);
    return 0;
}
