/* SPDX-License-Identifier: Apache-2.0 */
/* Input the configuration loader refuses: numbers that are not plain
 * digits, files larger than the loader reads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "p11kmip/conf.h"

#define MIB (1024 * 1024)
#define SLOT                                                                   \
    "{\"slots\":[{\"label\":\"a\",\"servers\":[\"h:1\"],\"ca\":\"/ca\","       \
    "\"cert\":\"/c\",\"key\":\"/k\"}]}"

static char err[512];

static void a_number_with_a_sign_or_a_space_is_refused(void **state)
{
    static const char *const refused[] = {"+5", " 5", "-5", "0x10"};
    p11kmip_conf *conf;

    (void)state;
    unsetenv("P11KMIP_CONFIG");
    setenv("P11KMIP_SERVER", "127.0.0.1:1", 1);
    setenv("P11KMIP_CA", "/ca", 1);
    setenv("P11KMIP_CERT", "/cert", 1);
    setenv("P11KMIP_KEY", "/key", 1);
    setenv("P11KMIP_TIMEOUT_MS", "5", 1);
    conf = p11kmip_conf_load(err, sizeof(err));
    if (conf == NULL)
        fail_msg("plain digits refused: %s", err);
    assert_int_equal(conf->slots[0].timeout_ms, 5);
    p11kmip_conf_free(conf);
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        setenv("P11KMIP_TIMEOUT_MS", refused[i], 1);
        if (p11kmip_conf_load(err, sizeof(err)) != NULL)
            fail_msg("P11KMIP_TIMEOUT_MS=\"%s\" accepted", refused[i]);
        assert_non_null(strstr(err, "P11KMIP_TIMEOUT_MS"));
    }
}

/* A valid configuration padded with spaces to size bytes. */
static void write_padded(const char *path, long size)
{
    FILE *file = fopen(path, "w");

    assert_non_null(file);
    assert_true(fputs(SLOT, file) >= 0);
    for (long i = (long)strlen(SLOT); i < size; i++)
        assert_true(fputc(' ', file) == ' ');
    assert_int_equal(fclose(file), 0);
}

static void
a_file_of_one_mebibyte_is_read_and_one_byte_more_is_not(void **state)
{
    char path[] = "/tmp/p11kmip-conf-size-XXXXXX";
    int fd = mkstemp(path);
    p11kmip_conf *conf;

    (void)state;
    assert_true(fd >= 0);
    close(fd);
    write_padded(path, MIB);
    conf = p11kmip_conf_load_file(path, err, sizeof(err));
    if (conf == NULL)
        fail_msg("1 MiB refused: %s", err);
    p11kmip_conf_free(conf);
    write_padded(path, MIB + 1);
    assert_null(p11kmip_conf_load_file(path, err, sizeof(err)));
    assert_non_null(strstr(err, "of at most 1048576 bytes"));
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_number_with_a_sign_or_a_space_is_refused),
        cmocka_unit_test(
            a_file_of_one_mebibyte_is_read_and_one_byte_more_is_not),
    };

    setenv("XDG_CONFIG_HOME", "/nonexistent", 1);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
