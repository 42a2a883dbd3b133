/* SPDX-License-Identifier: Apache-2.0 */
/* Objects listed for the operator: a table, or a JSON array. */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "objects.h"
#include "print.h"

static void print_row(const cli_object *object)
{
    char bits[24] = "-";
    char *id = object->id != NULL ? cli_hex(object->id, object->id_len) : NULL;

    if (object->bits != 0)
        snprintf(bits, sizeof(bits), "%lu", object->bits);
    printf("%-10s %-6s %5s  %-24s %s\n", cli_class_name(object->object_class),
           cli_object_kind(object), bits,
           object->label[0] != '\0' ? object->label : "-",
           id != NULL ? id : "-");
    free(id);
}

int cli_print_objects(const cli_token *token, const CK_OBJECT_HANDLE *handles,
                      size_t n, bool json)
{
    json_object *array = json ? json_object_new_array() : NULL;
    cli_object object;
    int code = CLI_OK;

    if (!json)
        printf("%-10s %-6s %5s  %-24s %s\n", "TYPE", "KIND", "BITS", "LABEL",
               "ID");
    for (size_t i = 0; i < n && code == CLI_OK; i++) {
        code = cli_object_read(token, handles[i], &object);
        if (code != CLI_OK)
            break;
        if (json)
            json_object_array_add(array, cli_object_json(token, &object));
        else
            print_row(&object);
        cli_object_clear(&object);
    }
    if (json && code == CLI_OK)
        printf("%s\n", json_object_to_json_string_ext(
                           array, JSON_C_TO_STRING_PRETTY |
                                      JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(array);
    return code;
}
