/* SPDX-License-Identifier: Apache-2.0 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kmipd_proc.h"
#include "sign_stream.h"

static CK_FUNCTION_LIST_PTR p11;

static double monotonic_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void sleep_seconds(double seconds)
{
    struct timespec ts = {.tv_sec = (time_t)seconds};
    ts.tv_nsec = (long)((seconds - (double)ts.tv_sec) * 1e9);
    while (nanosleep(&ts, &ts) != 0)
        ;
}

void module_configure(const char *const *servers, size_t server_count,
                      unsigned timeout_ms)
{
    static char path[512];
    kmipd_test_path(path, sizeof(path), "p11kmip-reliability.json");
    FILE *out = fopen(path, "w");
    if (out == NULL) {
        perror(path);
        abort();
    }
    fputs("{ \"slots\": [ { \"label\": \"reliability\", \"servers\": [", out);
    for (size_t i = 0; i < server_count; i++)
        fprintf(out, "%s\"%s\"", i > 0 ? ", " : "", servers[i]);
    fprintf(out,
            "],\n  \"ca\": \"%s\", \"cert\": \"%s\", \"key\": \"%s\",\n"
            "  \"timeout_ms\": %u } ],\n"
            "  \"log\": { \"level\": \"error\" } }\n",
            getenv("P11KMIP_TEST_CA"), getenv("P11KMIP_TEST_CERT"),
            getenv("P11KMIP_TEST_KEY"), timeout_ms);
    fclose(out);
    setenv("P11KMIP_CONFIG", path, 1);
}

CK_FUNCTION_LIST_PTR module_initialize(void)
{
    if (p11 == NULL) {
        /* Kept loaded for the life of the process, as applications do. */
        void *module = dlopen(P11KMIP_MODULE, RTLD_NOW | RTLD_LOCAL);
        CK_C_GetFunctionList get_list =
            module != NULL
                ? (CK_C_GetFunctionList)dlsym(module, "C_GetFunctionList")
                : NULL;
        if (get_list == NULL || get_list(&p11) != CKR_OK) {
            fprintf(stderr, "cannot load %s: %s\n", P11KMIP_MODULE, dlerror());
            return NULL;
        }
    }
    CK_C_INITIALIZE_ARGS args = {.flags = CKF_OS_LOCKING_OK};
    return p11->C_Initialize(&args) == CKR_OK ? p11 : NULL;
}

void module_finalize(void)
{
    if (p11 != NULL)
        p11->C_Finalize(NULL);
}

CK_SESSION_HANDLE module_session(void)
{
    CK_SLOT_ID slot;
    CK_ULONG count = 1;
    CK_SESSION_HANDLE session = CK_INVALID_HANDLE;
    if (p11->C_GetSlotList(CK_TRUE, &slot, &count) != CKR_OK || count < 1 ||
        p11->C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL,
                           NULL, &session) != CKR_OK)
        return CK_INVALID_HANDLE;
    return session;
}

CK_OBJECT_HANDLE module_ec_key(CK_SESSION_HANDLE session, const char *label)
{
    static const CK_BYTE p256[] = {0x06, 0x08, 0x2a, 0x86, 0x48,
                                   0xce, 0x3d, 0x03, 0x01, 0x07};
    CK_BBOOL yes = CK_TRUE;
    CK_ULONG label_len = strlen(label);
    CK_ATTRIBUTE public_template[] = {
        {CKA_TOKEN, &yes, sizeof(yes)},
        {CKA_VERIFY, &yes, sizeof(yes)},
        {CKA_EC_PARAMS, (CK_BYTE_PTR)p256, sizeof(p256)},
        {CKA_LABEL, (CK_BYTE_PTR)label, label_len},
    };
    CK_ATTRIBUTE private_template[] = {
        {CKA_TOKEN, &yes, sizeof(yes)},
        {CKA_SIGN, &yes, sizeof(yes)},
        {CKA_LABEL, (CK_BYTE_PTR)label, label_len},
    };
    CK_MECHANISM mechanism = {CKM_EC_KEY_PAIR_GEN, NULL, 0};
    CK_OBJECT_HANDLE public_key, private_key = CK_INVALID_HANDLE;
    if (p11->C_GenerateKeyPair(session, &mechanism, public_template, 4,
                               private_template, 3, &public_key,
                               &private_key) != CKR_OK)
        return CK_INVALID_HANDLE;
    return private_key;
}

CK_OBJECT_HANDLE module_find_key(CK_SESSION_HANDLE session, const char *label)
{
    CK_OBJECT_CLASS class = CKO_PRIVATE_KEY;
    CK_ATTRIBUTE template[] = {
        {CKA_CLASS, &class, sizeof(class)},
        {CKA_LABEL, (CK_BYTE_PTR)label, strlen(label)},
    };
    CK_OBJECT_HANDLE key = CK_INVALID_HANDLE;
    CK_ULONG found = 0;
    if (p11->C_FindObjectsInit(session, template, 2) != CKR_OK)
        return CK_INVALID_HANDLE;
    if (p11->C_FindObjects(session, &key, 1, &found) != CKR_OK || found != 1)
        key = CK_INVALID_HANDLE;
    p11->C_FindObjectsFinal(session);
    return key;
}

CK_RV module_sign(CK_SESSION_HANDLE session, CK_OBJECT_HANDLE key)
{
    static const CK_BYTE digest[32] = {0x5a, 0xa5, 0x01, 0x02};
    CK_BYTE signature[128];
    CK_ULONG signature_len = sizeof(signature);
    CK_MECHANISM mechanism = {CKM_ECDSA, NULL, 0};
    CK_RV rv = p11->C_SignInit(session, &mechanism, key);
    if (rv != CKR_OK)
        return rv;
    return p11->C_Sign(session, (CK_BYTE_PTR)digest, sizeof(digest), signature,
                       &signature_len);
}

/* ---- The stream ---- */

static void log_append(sign_log *log, const sign_record *record)
{
    if (log->count == log->capacity) {
        size_t capacity = log->capacity != 0 ? 2 * log->capacity : 1024;
        sign_record *grown = realloc(log->records, capacity * sizeof(*grown));
        if (grown == NULL)
            abort();
        log->records = grown;
        log->capacity = capacity;
    }
    log->records[log->count++] = *record;
}

double sign_stream_clock(const sign_stream *stream)
{
    return monotonic_seconds() - stream->origin;
}

static void *stream_main(void *arg)
{
    sign_stream_thread *self = arg;
    sign_stream *stream = self->stream;
    while (!atomic_load(&stream->stopping)) {
        sign_record record = {.start = sign_stream_clock(stream)};
        record.rv = module_sign(stream->sessions[self->index], stream->key);
        record.end = sign_stream_clock(stream);
        log_append(&stream->logs[self->index], &record);
    }
    return NULL;
}

void sign_stream_start(sign_stream *stream, CK_OBJECT_HANDLE key,
                       size_t threads)
{
    memset(stream, 0, sizeof(*stream));
    stream->key = key;
    stream->origin = monotonic_seconds();
    for (size_t i = 0; i < threads && i < SIGN_STREAM_MAX_THREADS; i++) {
        stream->sessions[i] = module_session();
        stream->args[i] = (sign_stream_thread){stream, i};
        if (pthread_create(&stream->tid[i], NULL, stream_main,
                           &stream->args[i]) != 0)
            break;
        stream->threads = i + 1;
    }
}

bool sign_stream_stop(sign_stream *stream, double join_timeout_s)
{
    bool joined = true;
    atomic_store(&stream->stopping, true);
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += (time_t)join_timeout_s + 1;
    for (size_t i = 0; i < stream->threads; i++) {
        if (pthread_timedjoin_np(stream->tid[i], NULL, &deadline) != 0) {
            fprintf(stderr, "signing thread %zu did not return\n", i);
            joined = false;
            continue;
        }
        p11->C_CloseSession(stream->sessions[i]);
    }
    return joined;
}

void sign_stream_free(sign_stream *stream)
{
    for (size_t i = 0; i < SIGN_STREAM_MAX_THREADS; i++) {
        free(stream->logs[i].records);
        stream->logs[i] = (sign_log){0};
    }
}
