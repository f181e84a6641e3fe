// The PKCS#11 (Cryptoki) calls webjcase makes to sign with a card: a module loaded at
// run time (dlopen, C_GetFunctionList) and thin wrappers over its function list.
// pkcs11.h is p11-kit's header (unlimited permission, notice kept in the file).
#ifndef WEBJ_CPKCS11_H
#define WEBJ_CPKCS11_H

#include <stddef.h>
#include "pkcs11.h"

typedef struct webj_p11_module {
    void *handle;
    CK_FUNCTION_LIST_PTR functions;
} webj_p11_module;

/// 0: loaded; 1: dlopen failed (error holds dlerror()); 2: no C_GetFunctionList symbol;
/// 3: C_GetFunctionList failed or returned no list.
int webj_p11_load(const char *path, webj_p11_module *module, char *error, size_t error_size);
/// C_Finalize (when initialized) and dlclose.
void webj_p11_unload(webj_p11_module *module, int initialized);

/// C_Initialize with CKF_OS_LOCKING_OK.
CK_RV webj_p11_initialize(webj_p11_module *module);
/// The ids of the slots with a token present; *count in: capacity, out: number.
CK_RV webj_p11_slots(webj_p11_module *module, CK_SLOT_ID *slots, CK_ULONG *count);
/// The token's label (32 bytes, blank padded, not terminated).
CK_RV webj_p11_token_label(webj_p11_module *module, CK_SLOT_ID slot, unsigned char label[32]);
CK_RV webj_p11_open_session(webj_p11_module *module, CK_SLOT_ID slot, CK_SESSION_HANDLE *session);
CK_RV webj_p11_login(webj_p11_module *module, CK_SESSION_HANDLE session, const unsigned char *pin, CK_ULONG length);
void webj_p11_close_session(webj_p11_module *module, CK_SESSION_HANDLE session, int logged_in);
/// The first object of class `object_class` with CKA_ID `id`; *found is 0 or 1.
CK_RV webj_p11_find(webj_p11_module *module, CK_SESSION_HANDLE session, CK_OBJECT_CLASS object_class,
                    const unsigned char *id, CK_ULONG id_length, CK_OBJECT_HANDLE *object, int *found);
/// CKA_VALUE of an object; with value NULL, *length receives its size.
CK_RV webj_p11_value(webj_p11_module *module, CK_SESSION_HANDLE session, CK_OBJECT_HANDLE object,
                     unsigned char *value, CK_ULONG *length);
/// CKA_KEY_TYPE of a key object.
CK_RV webj_p11_key_type(webj_p11_module *module, CK_SESSION_HANDLE session, CK_OBJECT_HANDLE object, CK_KEY_TYPE *type);
/// One RSA PKCS#1 v1.5 signature over SHA-256(data) (CKM_SHA256_RSA_PKCS); *length in: capacity, out: size.
CK_RV webj_p11_sign_sha256_rsa(webj_p11_module *module, CK_SESSION_HANDLE session, CK_OBJECT_HANDLE key,
                               const unsigned char *data, CK_ULONG data_length,
                               unsigned char *signature, CK_ULONG *length);

#endif
