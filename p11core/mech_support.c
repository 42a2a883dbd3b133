/* SPDX-License-Identifier: Apache-2.0 */
/* What each slot's server offers of the module's mechanisms: the table's
 * flags less what the server refused, learned from its answers (a
 * refused operation, key generation or derivation, Digested Data refused
 * for the mechanisms that sign a hash). */
#include "core.h"
#include "mech_params.h"

/* The operation flag of each operation kind the server performs. */
static const CK_FLAGS op_flags[P11_OP_KINDS] = {
    [P11_OP_ENCRYPT] = CKF_ENCRYPT,
    [P11_OP_DECRYPT] = CKF_DECRYPT,
    [P11_OP_SIGN] = CKF_SIGN,
};

#define OPERATION_FLAGS                                                        \
    (CKF_ENCRYPT | CKF_DECRYPT | CKF_DIGEST | CKF_SIGN | CKF_VERIFY |          \
     CKF_GENERATE | CKF_GENERATE_KEY_PAIR | CKF_DERIVE | CKF_WRAP |            \
     CKF_UNWRAP)

static size_t mechanism_index(const struct p11_mechanism *mechanism)
{
    return (size_t)(mechanism - p11_mechanisms);
}

/* Whether the mechanism signs a hash, which needs Digested Data. */
static bool signs_a_hash(CK_MECHANISM_TYPE type)
{
    const p11_mech_kmip *mech = p11_mech_kmip_find(type);
    return mech != NULL && (mech->input == P11_INPUT_HASH ||
                            mech->input == P11_INPUT_DIGEST_INFO);
}

CK_FLAGS p11_mechanism_flags(p11_server *server,
                             const struct p11_mechanism *mechanism)
{
    CK_FLAGS flags =
        mechanism->flags &
        ~atomic_load(&server->refused_flags[mechanism_index(mechanism)]);
    if (signs_a_hash(mechanism->type) &&
        p11_server_knows(server, P11_FACT_DIGESTED_SIGN) == P11_SUPPORT_REFUSED)
        flags &= ~(CK_FLAGS)CKF_SIGN;
    return (flags & OPERATION_FLAGS) != 0 ? flags : 0;
}

bool p11_mechanism_offered(p11_server *server, CK_MECHANISM_TYPE type,
                           CK_FLAGS flag)
{
    const struct p11_mechanism *mechanism = p11_mechanism_find(type);
    return mechanism != NULL && (p11_mechanism_flags(server, mechanism) & flag);
}

void p11_mechanism_flags_refused(p11_server *server, CK_MECHANISM_TYPE type,
                                 CK_FLAGS flags)
{
    const struct p11_mechanism *mechanism = p11_mechanism_find(type);
    if (mechanism == NULL || flags == 0)
        return;
    CK_FLAGS before = atomic_fetch_or(
        &server->refused_flags[mechanism_index(mechanism)], flags);
    if ((before & flags) != flags)
        p11_log_info("slot %lu: the server refused mechanism 0x%lx: no "
                     "longer offered for it",
                     server->slot_id, type);
}

void p11_mechanism_refused(p11_server *server, CK_MECHANISM_TYPE type,
                           p11_op_kind kind)
{
    p11_mechanism_flags_refused(server, type, op_flags[kind]);
}

CK_RV p11_mechanism_answer(p11_server *server, CK_MECHANISM_TYPE type,
                           CK_FLAGS flag, p11_reply reply)
{
    if (reply.answer != P11_ANSWER_UNSUPPORTED)
        return reply.rv;
    p11_mechanism_flags_refused(server, type, flag);
    return CKR_MECHANISM_INVALID;
}
