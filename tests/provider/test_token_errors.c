/* SPDX-License-Identifier: Apache-2.0 */
/* A forked child signs with the credentials its parent loaded, although
 * the client key file is out of its reach (as a 0600 root key is to a
 * worker); a key destroyed on the server after it was loaded is named with
 * the server's answer. (A process that cannot read the client key at all
 * is told so, not that the key is gone: test_cli_ops.sh bad-input.) Runs
 * under test_evp_ops.sh over p11core and kmipd, on its "rsa" and
 * "victim" key pairs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include "token_keys.h"

/* In the child: 0 when the key signs. */
static int child_sign(EVP_PKEY *key)
{
    int ok = token_key_signs(key);

    ERR_print_errors_fp(stderr);
    return ok ? 0 : 1;
}

/* A forked worker keeps the credentials its parent loaded: it signs
 * although the client key file is gone from its view. */
static void test_child_signs_with_the_parents_credentials(void **state)
{
    EVP_PKEY *key = load("rsa", "private");
    pid_t child;
    int status;

    (void)state;
    child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        setenv("P11KMIP_KEY", "/nonexistent/client.key", 1);
        _exit(child_sign(key));
    }
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    EVP_PKEY_free(key);
}

/* The texts of every error in the queue, one a line, into errors; the
 * queue is emptied. */
static void error_texts(char *errors, size_t size)
{
    const char *data;
    int flags;
    size_t len = 0;

    errors[0] = '\0';
    while (ERR_get_error_all(NULL, NULL, NULL, &data, &flags) != 0) {
        if (data != NULL && (flags & ERR_TXT_STRING) && len < size)
            len += (size_t)snprintf(errors + len, size - len, "%s\n", data);
    }
    fputs(errors, stderr);
}

/* The private key label destroyed on the server by another process
 * (pkcs11-tool over the module). */
static void destroy_on_server(const char *label)
{
    char command[512];

    snprintf(command, sizeof(command),
             "OPENSSL_CONF=/dev/null pkcs11-tool --module '%s' "
             "--delete-object --type privkey --label %s >/dev/null",
             getenv("P11KMIP_TEST_MODULE"), label);
    assert_int_equal(system(command), 0);
}

static void
test_key_destroyed_after_load_is_named_with_the_server_answer(void **state)
{
    EVP_PKEY *key = load("victim", "private");
    char errors[2048];

    (void)state;
    destroy_on_server("victim");
    ERR_clear_error();
    assert_int_equal(token_key_signs(key), 0);
    error_texts(errors, sizeof(errors));
    assert_non_null(strstr(errors, "the KMIP server answered ObjectDestroyed"));
    assert_non_null(strstr(errors, "signing with pkcs11:object=victim"));
    EVP_PKEY_free(key);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_child_signs_with_the_parents_credentials),
        cmocka_unit_test(
            test_key_destroyed_after_load_is_named_with_the_server_answer),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
