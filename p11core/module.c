/* SPDX-License-Identifier: Apache-2.0 */
/* Module lifecycle: C_Initialize, C_Finalize, C_GetInfo, and the fork
 * rules (see p11core_internal.h). */
#include "core.h"
#include "kmip/process.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/ssl.h>

/* Serialises C_Initialize and C_Finalize; reset in a forked child. */
static pthread_mutex_t init_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t atfork_once = PTHREAD_ONCE_INIT;
static pthread_once_t exit_once = PTHREAD_ONCE_INIT;
/* Parents' states that finalized children left behind (see
 * p11_module.abandoned), kept reachable. */
static p11_module *left_behind;

static void reset_init_lock_in_child(void)
{
    pthread_mutex_init(&init_lock, NULL);
}

static void register_atfork(void)
{
    pthread_atfork(NULL, NULL, reset_init_lock_in_child);
}

static CK_RV check_init_args(const CK_C_INITIALIZE_ARGS *args)
{
    int given;

    if (args == NULL)
        return CKR_OK;
    if (args->pReserved != NULL)
        return CKR_ARGUMENTS_BAD;
    given = (args->CreateMutex != NULL) + (args->DestroyMutex != NULL) +
            (args->LockMutex != NULL) + (args->UnlockMutex != NULL);
    if (given != 0 && given != 4)
        return CKR_ARGUMENTS_BAD;
    /* The KMIP client locks with pthreads: application callbacks alone
     * cannot be honoured. */
    if (given == 4 && !(args->flags & CKF_OS_LOCKING_OK))
        return CKR_CANT_LOCK;
    return CKR_OK;
}

/* True when nothing configures the module: no file, no environment. Such
 * a module initializes with no slot (it may be installed system-wide for
 * p11-kit without being configured). */
static bool unconfigured(void)
{
    return getenv("P11KMIP_CONFIG") == NULL &&
           getenv("P11KMIP_SERVER") == NULL &&
           access(P11KMIP_DEFAULT_CONFIG, F_OK) != 0;
}

/* Moves the parents' states module abandoned to left_behind. */
static void keep_abandoned(p11_module *module)
{
    p11_module *last = module->abandoned;

    if (last == NULL)
        return;
    while (last->abandoned != NULL)
        last = last->abandoned;
    last->abandoned = left_behind;
    left_behind = module->abandoned;
    module->abandoned = NULL;
}

static void module_free(p11_module *module)
{
    if (module == NULL)
        return;
    keep_abandoned(module);
    for (size_t i = 0; i < module->session_count; i++)
        p11_session_free(module->sessions[i]);
    free(module->sessions);
    for (size_t i = 0; i < module->object_count; i++)
        p11_object_free(module->objects[i]);
    free(module->objects);
    for (size_t i = 0; i < module->slot_count; i++)
        p11_slot_clear(&module->slots[i]);
    free(module->slots);
    pthread_mutex_destroy(&module->lock);
    p11kmip_conf_free(module->conf);
    free(module);
}

static CK_RV module_new(p11kmip_conf *conf, p11_module **out)
{
    p11_module *module = calloc(1, sizeof(*module));
    CK_RV rv = CKR_OK;

    if (module == NULL) {
        p11kmip_conf_free(conf);
        return CKR_HOST_MEMORY;
    }
    module->pid = kmip_process_id();
    module->conf = conf;
    module->next_session_handle = 1;
    pthread_mutex_init(&module->lock, NULL);
    if (conf != NULL && conf->slot_count > 0) {
        module->slots = calloc(conf->slot_count, sizeof(*module->slots));
        if (module->slots == NULL)
            rv = CKR_HOST_MEMORY;
        for (size_t i = 0; rv == CKR_OK && i < conf->slot_count; i++) {
            rv = p11_slot_init(&module->slots[i], i, &conf->slots[i]);
            if (rv == CKR_OK)
                module->slot_count++;
        }
    }
    if (rv != CKR_OK) {
        module_free(module);
        return rv;
    }
    *out = module;
    return CKR_OK;
}

static CK_RV load_conf(p11kmip_conf **out)
{
    char err[512];

    *out = NULL;
    if (unconfigured()) {
        p11_log_info("no configuration (%s, P11KMIP_CONFIG, P11KMIP_SERVER):"
                     " no slot",
                     P11KMIP_DEFAULT_CONFIG);
        return CKR_OK;
    }
    *out = p11kmip_conf_load(err, sizeof(err));
    if (*out == NULL) {
        p11_log_error("configuration: %s", err);
        return CKR_FUNCTION_FAILED;
    }
    return CKR_OK;
}

/* A forked child keeps what its parent loaded and learned: the parent's
 * configuration (moved here) and, per slot, its client, which the
 * child's clients derive from (module->abandoned keeps it allocated). */
static void inherit(p11_module *module, p11_module *parent)
{
    for (size_t i = 0; i < module->slot_count && i < parent->slot_count; i++)
        if (module->slots[i].conf == parent->slots[i].conf) /* same slot */
            p11_server_inherit(&module->slots[i].server,
                               &parent->slots[i].server);
}

/* The parent's configuration, moved here; from the files when there is
 * none to take (no parent, or an earlier C_Initialize of this child took
 * it and failed). */
static CK_RV conf_of(p11_module *parent, p11kmip_conf **out)
{
    if (parent == NULL || parent->conf == NULL)
        return load_conf(out);
    *out = parent->conf;
    parent->conf = NULL;
    return CKR_OK;
}

/* Destroys the session keys of every slot (see p11_session_keys_end). */
static void end_session_keys(p11_module *module)
{
    for (size_t i = 0; i < module->slot_count; i++)
        p11_session_keys_end(&module->slots[i], 0);
}

/* At exit without C_Finalize: this process's session keys go (a forked
 * child finds no state of its own: never its parent's keys). Skipped
 * while another thread initializes or finalizes. */
static void end_at_exit(void)
{
    p11_module *module;

    if (pthread_mutex_trylock(&init_lock) != 0)
        return;
    if (p11_module_get(&module) == CKR_OK)
        end_session_keys(module);
    pthread_mutex_unlock(&init_lock);
}

/* OpenSSL first, so that its exit handler runs after ours (the KMIP
 * client still has TLS then). In a shared object the handler also runs
 * when the module is unloaded. */
static void register_exit(void)
{
    OPENSSL_init_ssl(0, NULL);
    atexit(end_at_exit);
}

P11_EXPORT CK_RV C_Initialize(CK_VOID_PTR pInitArgs)
{
    p11kmip_conf *conf;
    p11_module *module;
    p11_module *previous;
    CK_RV rv = check_init_args(pInitArgs);

    if (rv != CKR_OK)
        return rv;
    pthread_once(&atfork_once, register_atfork);
    pthread_once(&exit_once, register_exit);
    pthread_mutex_lock(&init_lock);
    previous = p11_module_current();
    if (previous != NULL && previous->pid == kmip_process_id()) {
        pthread_mutex_unlock(&init_lock);
        return CKR_CRYPTOKI_ALREADY_INITIALIZED;
    }
    rv = conf_of(previous, &conf);
    if (rv == CKR_OK && conf != NULL)
        p11_log_open(conf->log_level, conf->log_file);
    if (rv == CKR_OK)
        rv = module_new(conf, &module);
    if (rv == CKR_OK && previous != NULL)
        inherit(module, previous);
    if (rv == CKR_OK) {
        module->abandoned = previous;
        p11_module_set(module);
        p11_log_info("initialized: %zu slot(s) from %s", module->slot_count,
                     conf != NULL ? conf->source : "nothing");
    }
    pthread_mutex_unlock(&init_lock);
    return rv;
}

P11_EXPORT CK_RV C_Finalize(CK_VOID_PTR pReserved)
{
    p11_module *module;
    CK_RV rv;

    if (pReserved != NULL)
        return CKR_ARGUMENTS_BAD;
    pthread_mutex_lock(&init_lock);
    rv = p11_module_get(&module);
    if (rv == CKR_OK) {
        end_session_keys(module);
        p11_module_set(NULL);
        module_free(module);
        p11_log_close();
    }
    pthread_mutex_unlock(&init_lock);
    return rv;
}

P11_EXPORT CK_RV C_GetInfo(CK_INFO_PTR pInfo)
{
    p11_module *module;
    CK_RV rv = p11_module_get(&module);

    if (rv != CKR_OK)
        return rv;
    if (pInfo == NULL)
        return CKR_ARGUMENTS_BAD;
    memset(pInfo, 0, sizeof(*pInfo));
    pInfo->cryptokiVersion.major = CRYPTOKI_VERSION_MAJOR;
    pInfo->cryptokiVersion.minor = CRYPTOKI_VERSION_MINOR;
    p11_pad_copy(pInfo->manufacturerID, sizeof(pInfo->manufacturerID),
                 P11_MANUFACTURER);
    p11_pad_copy(pInfo->libraryDescription, sizeof(pInfo->libraryDescription),
                 P11_LIBRARY_DESCRIPTION);
    pInfo->libraryVersion.major = P11_VERSION_MAJOR;
    pInfo->libraryVersion.minor = P11_VERSION_MINOR;
    return CKR_OK;
}
