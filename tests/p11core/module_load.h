// SPDX-License-Identifier: Apache-2.0
/* p11kmip-pkcs11.so (P11KMIP_MODULE) loaded with dlopen, as an
 * application loads it, for the tests that go through the module. */
#ifndef TEST_P11CORE_MODULE_LOAD_H
#define TEST_P11CORE_MODULE_LOAD_H

#include <p11-kit/pkcs11.h>

/* The module's function list; NULL (the reason printed) when it does not
 * load. The module stays loaded: kmip/'s BIO_METHOD, made once per
 * process, would show as a leak once its static pointer is unmapped. */
CK_FUNCTION_LIST_PTR module_load(void);

/* module_load with a configuration of one slot, label, on the server of
 * the test (P11KMIP_TEST_SERVER, _CA, _CERT, _KEY), written to
 * $P11KMIP_TEST_DIR/label.json; NULL when any of them is missing. */
CK_FUNCTION_LIST_PTR module_load_one_slot(const char *label);

#endif
