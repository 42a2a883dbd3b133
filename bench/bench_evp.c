/* SPDX-License-Identifier: Apache-2.0 */
/* Signatures per second with a private key as OpenSSL applications see it:
 * an EVP_PKEY loaded through OSSL_STORE (a key file, or a pkcs11: URI that
 * the p11kmip provider opens) or through an ENGINE (libp11's pkcs11 over
 * any PKCS#11 module). Signs SHA-256 digests of a short message with
 * EVP_DigestSign (RSA: PKCS#1 v1.5; EC: ECDSA) from THREADS threads that
 * share the key.
 *
 * Usage: bench_evp [-e ENGINE] [-j THREADS] [-s SECONDS | -n COUNT] [-L] KEY
 *   KEY  a file name or URI for OSSL_STORE; with -e, the ENGINE's key id
 *   -L   load the key and stop (for counting the requests of a key load)
 *   -s   count the signatures of SECONDS (default 3), once every thread
 *        has made one (its connection is open: cold_ms says how long
 *        that took)
 *   -n   sign COUNT times in all instead
 * The configuration (providers, engines) comes from OPENSSL_CONF.
 * Prints "signatures N failed F seconds T per_second R" (and "cold_ms C"
 * with -s), then
 * "longest_gap_ms G": the longest time without a good signature (from the
 * start to the first, or between two), what a failover costs. */
#define OPENSSL_SUPPRESS_DEPRECATED /* ENGINE: nginx 1.22's way in */
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench_threads.h"

#include <openssl/crypto.h>
#include <openssl/engine.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/store.h>

#define MAX_THREADS 16

static const unsigned char message[] =
    "The quick brown fox signs over the lazy dog";

typedef struct run {
    EVP_PKEY *key;
    long limit; /* signatures to start in all, without a window */
    bench_window window;
    atomic_long started;
    bench_counts counts;
    atomic_llong last_ok_us; /* when the last good signature ended */
    atomic_llong longest_gap_us;
} run;

static EVP_PKEY *load_from_store(const char *uri)
{
    EVP_PKEY *key = NULL;
    OSSL_STORE_CTX *store = OSSL_STORE_open(uri, NULL, NULL, NULL, NULL);
    if (store == NULL)
        return NULL;
    OSSL_STORE_expect(store, OSSL_STORE_INFO_PKEY);
    while (key == NULL && !OSSL_STORE_eof(store)) {
        OSSL_STORE_INFO *info = OSSL_STORE_load(store);
        if (info != NULL &&
            OSSL_STORE_INFO_get_type(info) == OSSL_STORE_INFO_PKEY)
            key = OSSL_STORE_INFO_get1_PKEY(info);
        OSSL_STORE_INFO_free(info);
    }
    OSSL_STORE_close(store);
    return key;
}

static EVP_PKEY *load_from_engine(const char *engine_id, const char *key_id)
{
    ENGINE *engine = ENGINE_by_id(engine_id);
    if (engine == NULL)
        return NULL;
    EVP_PKEY *key = NULL;
    if (ENGINE_init(engine) == 1) {
        key = ENGINE_load_private_key(engine, key_id, NULL, NULL);
        ENGINE_finish(engine);
    }
    ENGINE_free(engine);
    return key;
}

static bool sign_once(EVP_PKEY *key)
{
    unsigned char signature[1024];
    size_t signature_len = sizeof(signature);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    bool ok = md != NULL &&
              EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, key) == 1 &&
              EVP_DigestSign(md, signature, &signature_len, message,
                             sizeof(message) - 1) == 1;
    EVP_MD_CTX_free(md);
    return ok;
}

static long long now_us(void)
{
    return (long long)(bench_now() * 1e6);
}

static void note_good(run *r)
{
    long long now = now_us();
    long long gap = now - atomic_exchange(&r->last_ok_us, now);
    long long longest = atomic_load(&r->longest_gap_us);
    while (gap > longest &&
           !atomic_compare_exchange_weak(&r->longest_gap_us, &longest, gap))
        ;
}

/* One signature; counted when it is in the measured window. */
static void attempt(void *arg, bool counted)
{
    run *r = arg;
    if (sign_once(r->key)) {
        note_good(r);
        if (counted)
            atomic_fetch_add(&r->counts.done, 1);
        return;
    }
    if (atomic_fetch_add(&r->counts.failed, 1) == 0)
        ERR_print_errors_fp(stderr);
    ERR_clear_error();
}

static void *sign_thread(void *arg)
{
    run *r = arg;
    bench_work(&r->window, &r->started, r->limit, attempt, r);
    return NULL;
}

static int usage(void)
{
    fprintf(stderr, "usage: bench_evp [-e ENGINE] [-j THREADS] "
                    "[-s SECONDS | -n COUNT] [-L] KEY\n");
    return 2;
}

int main(int argc, char **argv)
{
    const char *engine = NULL;
    double seconds = 3;
    long count = 0;
    int threads = 1, opt;
    bool load_only = false;
    while ((opt = getopt(argc, argv, "e:j:s:n:L")) != -1) {
        switch (opt) {
        case 'e':
            engine = optarg;
            break;
        case 'j':
            threads = atoi(optarg);
            break;
        case 's':
            seconds = atof(optarg);
            break;
        case 'n':
            count = atol(optarg);
            break;
        case 'L':
            load_only = true;
            break;
        default:
            return usage();
        }
    }
    if (optind + 1 != argc || threads < 1 || threads > MAX_THREADS ||
        seconds <= 0 || count < 0)
        return usage();
    const char *key_id = argv[optind];
    /* Before ENGINE_by_id, which would otherwise load an unconfigured
     * engine. */
    OPENSSL_init_crypto(OPENSSL_INIT_LOAD_CONFIG, NULL);
    run r = {.limit = count};
    r.key = engine != NULL ? load_from_engine(engine, key_id)
                           : load_from_store(key_id);
    if (r.key == NULL) {
        fprintf(stderr, "bench_evp: cannot load %s\n", key_id);
        ERR_print_errors_fp(stderr);
        return 1;
    }
    if (load_only) {
        EVP_PKEY_free(r.key);
        return 0;
    }
    bench_window_init(&r.window, count == 0 ? seconds : 0);
    atomic_store(&r.last_ok_us, now_us());
    int status = bench_run_threads(threads, sign_thread, &r, &r.counts,
                                   &r.window, "signatures");
    printf("longest_gap_ms %.1f\n",
           (double)atomic_load(&r.longest_gap_us) / 1000.0);
    EVP_PKEY_free(r.key);
    return status;
}
