// SPDX-License-Identifier: Apache-2.0
/* The table of open KMIP streams (kmipd/streams.h): bound to client, key
 * and operation, bounded per client and in all, expiring when idle; and
 * a streamed cipher giving what the single-part one gives. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "kmip/tags.h"

#include "kmipd/streams.h"

static const uint8_t key[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14};
static const uint8_t iv[12] = {9, 8, 7};

static kmipd_cipher_stream *gcm_stream(bool encrypt)
{
    kmipd_crypto_params params = {.block_cipher_mode =
                                      KMIP_BLOCK_CIPHER_MODE_GCM};
    kmipd_cipher_input input = {.iv = iv, .iv_len = sizeof(iv)};
    kmipd_cipher_stream *s = NULL;
    kmipd_buf generated = {0};
    kmip_status st;
    assert_int_equal(kmipd_cipher_stream_start(key, sizeof(key), &params,
                                               &input, encrypt, &s, &generated,
                                               &st),
                     KMIP_OK);
    assert_null(generated.data);
    return s;
}

static const kmipd_stream_key alice = {"alice", "1", KMIP_OPERATION_ENCRYPT};

static void a_stream_is_its_owners_for_its_key_and_operation(void **state)
{
    (void)state;
    kmipd_streams *streams = kmipd_streams_new(2, 4, 60000);
    uint8_t id[KMIPD_STREAM_ID_LEN];
    kmipd_cipher_stream *s = NULL;
    assert_int_equal(kmipd_streams_open(streams, &alice, gcm_stream(true), id),
                     KMIPD_STREAM_OK);
    kmipd_stream_key bob = {"bob", "1", KMIP_OPERATION_ENCRYPT};
    kmipd_stream_key other_key = {"alice", "2", KMIP_OPERATION_ENCRYPT};
    kmipd_stream_key decrypt = {"alice", "1", KMIP_OPERATION_DECRYPT};
    assert_int_equal(kmipd_streams_take(streams, &bob, id, sizeof(id), &s),
                     KMIPD_STREAM_FOREIGN);
    assert_int_equal(
        kmipd_streams_take(streams, &other_key, id, sizeof(id), &s),
        KMIPD_STREAM_MISMATCH);
    assert_int_equal(kmipd_streams_take(streams, &decrypt, id, sizeof(id), &s),
                     KMIPD_STREAM_MISMATCH);
    assert_int_equal(kmipd_streams_take(streams, &alice, id, 15, &s),
                     KMIPD_STREAM_UNKNOWN);
    assert_int_equal(kmipd_streams_take(streams, &alice, id, sizeof(id), &s),
                     KMIPD_STREAM_OK);
    assert_non_null(s);
    /* Taken: unknown until put back. */
    kmipd_cipher_stream *again = NULL;
    assert_int_equal(
        kmipd_streams_take(streams, &alice, id, sizeof(id), &again),
        KMIPD_STREAM_UNKNOWN);
    assert_true(kmipd_streams_put(streams, &alice, id, s));
    assert_int_equal(kmipd_streams_count(streams), 1);
    kmipd_streams_free(streams); /* frees the open stream */
}

static void a_client_holds_at_most_its_share(void **state)
{
    (void)state;
    kmipd_streams *streams = kmipd_streams_new(2, 3, 60000);
    uint8_t id[KMIPD_STREAM_ID_LEN];
    kmipd_stream_key bob = {"bob", "1", KMIP_OPERATION_ENCRYPT};
    kmipd_stream_key carol = {"carol", "1", KMIP_OPERATION_ENCRYPT};
    for (int i = 0; i < 2; i++)
        assert_int_equal(
            kmipd_streams_open(streams, &alice, gcm_stream(true), id),
            KMIPD_STREAM_OK);
    kmipd_cipher_stream *s = gcm_stream(true);
    assert_int_equal(kmipd_streams_open(streams, &alice, s, id),
                     KMIPD_STREAM_FULL);
    assert_int_equal(kmipd_streams_open(streams, &bob, s, id), KMIPD_STREAM_OK);
    s = gcm_stream(true);
    assert_int_equal(kmipd_streams_open(streams, &carol, s, id),
                     KMIPD_STREAM_FULL); /* the server's bound */
    kmipd_cipher_stream_free(s);
    kmipd_streams_free(streams);
}

static void an_idle_stream_expires(void **state)
{
    (void)state;
    kmipd_streams *streams = kmipd_streams_new(1, 1, 20);
    uint8_t id[KMIPD_STREAM_ID_LEN];
    kmipd_cipher_stream *s = NULL;
    assert_int_equal(kmipd_streams_open(streams, &alice, gcm_stream(true), id),
                     KMIPD_STREAM_OK);
    struct timespec pause = {0, 50 * 1000 * 1000};
    nanosleep(&pause, NULL);
    assert_int_equal(kmipd_streams_count(streams), 0);
    assert_int_equal(kmipd_streams_take(streams, &alice, id, sizeof(id), &s),
                     KMIPD_STREAM_UNKNOWN);
    assert_int_equal(kmipd_streams_open(streams, &alice, gcm_stream(true), id),
                     KMIPD_STREAM_OK);
    kmipd_streams_free(streams);
}

/* Parts of 5, 20 and 7 bytes give the single-part ciphertext and tag. */
static void a_streamed_cipher_gives_the_single_part_output(void **state)
{
    (void)state;
    static const uint8_t data[32] = "thirty-two bytes of plaintext..";
    kmipd_crypto_params params = {.block_cipher_mode =
                                      KMIP_BLOCK_CIPHER_MODE_GCM};
    kmipd_cipher_input input = {.iv = iv, .iv_len = sizeof(iv)};
    kmipd_cipher_output whole, last;
    kmip_status st;
    assert_int_equal(kmipd_aes_encrypt(key, sizeof(key), &params, &input, data,
                                       sizeof(data), &whole, &st),
                     KMIP_OK);
    kmipd_cipher_stream *s = gcm_stream(true);
    uint8_t got[32];
    size_t at = 0;
    for (size_t from = 0; from < 25; from = from == 0 ? 5 : 25) {
        size_t n = from == 0 ? 5 : 20;
        kmipd_buf out;
        assert_int_equal(
            kmipd_cipher_stream_update(s, data + from, n, &out, &st), KMIP_OK);
        memcpy(got + at, out.data, out.len);
        at += out.len;
        kmipd_buf_clear(&out);
    }
    assert_int_equal(
        kmipd_cipher_stream_finish(s, data + 25, 7, NULL, 0, &last, &st),
        KMIP_OK);
    memcpy(got + at, last.data.data, last.data.len);
    assert_int_equal(at + last.data.len, sizeof(data));
    assert_memory_equal(got, whole.data.data, sizeof(data));
    assert_memory_equal(last.tag.data, whole.tag.data, 16);
    kmipd_cipher_stream_free(s);
    kmipd_cipher_output_clear(&last);
    /* Decryption without a tag at the end is refused. */
    s = gcm_stream(false);
    assert_int_not_equal(
        kmipd_cipher_stream_finish(s, got, 32, NULL, 0, &last, &st), KMIP_OK);
    kmipd_cipher_stream_free(s);
    kmipd_cipher_output_clear(&whole);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_stream_is_its_owners_for_its_key_and_operation),
        cmocka_unit_test(a_client_holds_at_most_its_share),
        cmocka_unit_test(an_idle_stream_expires),
        cmocka_unit_test(a_streamed_cipher_gives_the_single_part_output),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
