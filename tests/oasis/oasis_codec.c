/* SPDX-License-Identifier: Apache-2.0 */
/* The codec as a line filter for replay.py: "E <KMIP JSON>" is answered
 * with the TTLV in hex, "D <hex TTLV>" with the KMIP JSON text, an error
 * with "! <message>". One answer line per request line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmip/json.h"

static void encode(const char *text)
{
    kmip_status status;
    kmip_status_clear(&status);
    json_object *obj = json_tokener_parse(text);
    kmip_item *item = NULL;
    uint8_t *ttlv = NULL;
    size_t len = 0;
    if (obj == NULL) {
        printf("! not JSON\n");
        return;
    }
    if (kmip_item_from_json(obj, &item, &status) == KMIP_OK &&
        kmip_ttlv_encode_alloc(item, &ttlv, &len, &status) == KMIP_OK) {
        for (size_t i = 0; i < len; i++)
            printf("%02x", ttlv[i]);
        printf("\n");
    } else {
        printf("! %s\n", status.message);
    }
    free(ttlv);
    kmip_item_free(item);
    json_object_put(obj);
}

static void decode(const char *hex)
{
    size_t len = strlen(hex) / 2;
    uint8_t *ttlv = malloc(len + 1);
    kmip_status status;
    kmip_status_clear(&status);
    for (size_t i = 0; ttlv != NULL && i < len; i++) {
        unsigned int byte;
        if (sscanf(hex + 2 * i, "%2x", &byte) != 1) {
            printf("! not hex\n");
            free(ttlv);
            return;
        }
        ttlv[i] = (uint8_t)byte;
    }
    char *json =
        ttlv != NULL ? kmip_ttlv_to_json_text(ttlv, len, 0, &status) : NULL;
    if (json != NULL)
        printf("%s\n", json);
    else
        printf("! %s\n", ttlv != NULL ? status.message : "out of memory");
    free(json);
    free(ttlv);
}

int main(void)
{
    char *line = NULL;
    size_t size = 0;
    ssize_t n;
    while ((n = getline(&line, &size, stdin)) > 0) {
        if (line[n - 1] == '\n')
            line[n - 1] = '\0';
        if (strncmp(line, "E ", 2) == 0)
            encode(line + 2);
        else if (strncmp(line, "D ", 2) == 0)
            decode(line + 2);
        else
            printf("! unknown command\n");
        fflush(stdout);
    }
    free(line);
    return 0;
}
