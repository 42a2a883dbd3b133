/* SPDX-License-Identifier: Apache-2.0 */
/* The configuration schema: every key of the file, once. */
#include <stddef.h>

#include "conf_internal.h"

#define SLOT(member) offsetof(p11kmip_slot_conf, member)
#define CONF(member) offsetof(p11kmip_conf, member)
#define COUNT(table) (sizeof(table) / sizeof(table[0]))

static const p11kmip_conf_choice logins[] = {
    {"none", P11KMIP_LOGIN_NONE},
    {"key-passphrase", P11KMIP_LOGIN_KEY_PASSPHRASE},
    {"credential", P11KMIP_LOGIN_CREDENTIAL},
    {NULL, 0},
};

static const p11kmip_conf_choice versions[] = {
    {"auto", 0},    {"1.0", 0x100}, {"1.1", 0x101},
    {"1.2", 0x102}, {"1.3", 0x103}, {"1.4", 0x104},
    {"2.0", 0x200}, {"2.1", 0x201}, {NULL, 0},
};

static const p11kmip_conf_choice log_levels[] = {
    {"off", P11KMIP_LOG_OFF},
    {"error", P11KMIP_LOG_ERROR},
    {"warn", P11KMIP_LOG_WARN},
    {"info", P11KMIP_LOG_INFO},
    {"debug", P11KMIP_LOG_DEBUG},
    {"trace", P11KMIP_LOG_TRACE},
    {NULL, 0},
};

const p11kmip_conf_field p11kmip_conf_slot_fields[] = {
    {"label", "label", "P11KMIP_LABEL", P11KMIP_CONF_STRING, SLOT(label),
     P11KMIP_CONF_REQUIRED, 0, 32, 0, NULL,
     "the token label applications select (at most 32 bytes)"},
    {"servers", "server", "P11KMIP_SERVER", P11KMIP_CONF_SERVERS, SLOT(servers),
     P11KMIP_CONF_REQUIRED, 0, 0, 0, NULL,
     "the servers of the group, \"host:port\", tried in order"},
    {"ca", "ca", "P11KMIP_CA", P11KMIP_CONF_STRING, SLOT(ca), P11KMIP_CONF_FILE,
     0, 0, 0, NULL,
     "PEM file of the CAs that sign the servers' certificates (with \"p12\": "
     "else the bundle's chain)"},
    {"cert", "cert", "P11KMIP_CERT", P11KMIP_CONF_STRING, SLOT(cert),
     P11KMIP_CONF_FILE, 0, 0, 0, NULL,
     "PEM file of the client certificate (mutual TLS)"},
    {"key", "key", "P11KMIP_KEY", P11KMIP_CONF_STRING, SLOT(key),
     P11KMIP_CONF_FILE, 0, 0, 0, NULL,
     "PEM file of the client certificate's private key"},
    {"p12", "p12", "P11KMIP_P12", P11KMIP_CONF_STRING, SLOT(p12),
     P11KMIP_CONF_FILE, 0, 0, 0, NULL,
     "PKCS#12 bundle of the client certificate and key, instead of \"cert\" "
     "and \"key\""},
    {"key_password", NULL, "P11KMIP_KEY_PASSWORD", P11KMIP_CONF_STRING,
     SLOT(key_password), P11KMIP_CONF_SECRET, 0, 0, 0, NULL,
     "the passphrase of an encrypted \"key\" or of \"p12\", for programs "
     "that never log in"},
    {"ciphers", "ciphers", NULL, P11KMIP_CONF_STRING, SLOT(ciphers), 0, 0, 0, 0,
     NULL, "TLS 1.2 cipher list (OpenSSL syntax)"},
    {"verify_name", "verify-name", NULL, P11KMIP_CONF_STRING, SLOT(verify_name),
     0, 0, 0, 0, NULL,
     "the name to verify in the server certificates instead of the host"},
    {"login", "login", NULL, P11KMIP_CONF_CHOICE, SLOT(login), 0, 0, 0,
     P11KMIP_LOGIN_NONE, logins,
     "what the PIN is: nothing, the client key's passphrase, or a KMIP "
     "password"},
    {"username", "username", NULL, P11KMIP_CONF_STRING, SLOT(username), 0, 0, 0,
     0, NULL, "the KMIP user name of \"credential\" login"},
    {"kmip_version", "kmip-version", "P11KMIP_KMIP_VERSION",
     P11KMIP_CONF_VERSION, SLOT(kmip_major), 0, 0, 0, 0, versions,
     "the KMIP version to speak, or auto to negotiate it"},
    {"timeout_ms", "timeout-ms", "P11KMIP_TIMEOUT_MS", P11KMIP_CONF_UINT,
     SLOT(timeout_ms), 0, 1, 3600000, 5000, NULL,
     "milliseconds a KMIP call may wait for the server"},
    {"pool", "pool", NULL, P11KMIP_CONF_UINT, SLOT(pool), 0, 1, 256, 32, NULL,
     "connections kept open to the servers"},
    {"hardware_slot", "hardware-slot", "P11KMIP_HARDWARE_SLOT",
     P11KMIP_CONF_BOOL, SLOT(hardware_slot), 0, 0, 0, false, NULL,
     "the slot reports itself a hardware device (CKF_HW_SLOT)"},
    {"attribute_cache", "attribute-cache", "P11KMIP_ATTRIBUTE_CACHE",
     P11KMIP_CONF_BOOL, SLOT(attribute_cache), 0, 0, 0, true, NULL,
     "keep objects' attributes; false: read them again for each "
     "C_GetAttributeValue and search"},
};
const size_t p11kmip_conf_slot_field_count = COUNT(p11kmip_conf_slot_fields);

const p11kmip_conf_field p11kmip_conf_log_fields[] = {
    {"level", NULL, "P11KMIP_LOG_LEVEL", P11KMIP_CONF_CHOICE, CONF(log_level),
     0, 0, 0, P11KMIP_LOG_WARN, log_levels, "what is logged"},
    {"file", NULL, "P11KMIP_LOG_FILE", P11KMIP_CONF_STRING, CONF(log_file),
     P11KMIP_CONF_NULLABLE, 0, 0, 0, NULL,
     "the log file; null: standard error"},
};
const size_t p11kmip_conf_log_field_count = COUNT(p11kmip_conf_log_fields);
