#include "CPKCS11.h"
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

int webj_p11_load(const char *path, webj_p11_module *module, char *error, size_t error_size) {
    module->handle = NULL;
    module->functions = NULL;
    void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (handle == NULL) {
        const char *reason = dlerror();
        snprintf(error, error_size, "%s", reason ? reason : "dlopen failed");
        return 1;
    }
    CK_C_GetFunctionList get = (CK_C_GetFunctionList)dlsym(handle, "C_GetFunctionList");
    if (get == NULL) {
        snprintf(error, error_size, "no C_GetFunctionList symbol");
        dlclose(handle);
        return 2;
    }
    CK_FUNCTION_LIST_PTR functions = NULL;
    CK_RV rv = get(&functions);
    if (rv != CKR_OK || functions == NULL) {
        snprintf(error, error_size, "C_GetFunctionList returned 0x%lx", (unsigned long)rv);
        dlclose(handle);
        return 3;
    }
    module->handle = handle;
    module->functions = functions;
    return 0;
}

void webj_p11_unload(webj_p11_module *module, int initialized) {
    if (initialized && module->functions) module->functions->C_Finalize(NULL);
    if (module->handle) dlclose(module->handle);
    module->handle = NULL;
    module->functions = NULL;
}

CK_RV webj_p11_initialize(webj_p11_module *module) {
    CK_C_INITIALIZE_ARGS args;
    memset(&args, 0, sizeof args);
    args.flags = CKF_OS_LOCKING_OK;
    return module->functions->C_Initialize(&args);
}

CK_RV webj_p11_slots(webj_p11_module *module, CK_SLOT_ID *slots, CK_ULONG *count) {
    return module->functions->C_GetSlotList(CK_TRUE, slots, count);
}

CK_RV webj_p11_token_label(webj_p11_module *module, CK_SLOT_ID slot, unsigned char label[32]) {
    CK_TOKEN_INFO info;
    CK_RV rv = module->functions->C_GetTokenInfo(slot, &info);
    if (rv == CKR_OK) memcpy(label, info.label, 32);
    return rv;
}

CK_RV webj_p11_open_session(webj_p11_module *module, CK_SLOT_ID slot, CK_SESSION_HANDLE *session) {
    return module->functions->C_OpenSession(slot, CKF_SERIAL_SESSION, NULL, NULL, session);
}

CK_RV webj_p11_login(webj_p11_module *module, CK_SESSION_HANDLE session, const unsigned char *pin, CK_ULONG length) {
    return module->functions->C_Login(session, CKU_USER, (CK_UTF8CHAR_PTR)pin, length);
}

void webj_p11_close_session(webj_p11_module *module, CK_SESSION_HANDLE session, int logged_in) {
    if (logged_in) module->functions->C_Logout(session);
    module->functions->C_CloseSession(session);
}

CK_RV webj_p11_find(webj_p11_module *module, CK_SESSION_HANDLE session, CK_OBJECT_CLASS object_class,
                    const unsigned char *id, CK_ULONG id_length, CK_OBJECT_HANDLE *object, int *found) {
    CK_ATTRIBUTE template[2] = {
        {CKA_CLASS, &object_class, sizeof object_class},
        {CKA_ID, (void *)id, id_length},
    };
    *found = 0;
    CK_RV rv = module->functions->C_FindObjectsInit(session, template, 2);
    if (rv != CKR_OK) return rv;
    CK_ULONG count = 0;
    rv = module->functions->C_FindObjects(session, object, 1, &count);
    module->functions->C_FindObjectsFinal(session);
    if (rv == CKR_OK && count == 1) *found = 1;
    return rv;
}

CK_RV webj_p11_value(webj_p11_module *module, CK_SESSION_HANDLE session, CK_OBJECT_HANDLE object,
                     unsigned char *value, CK_ULONG *length) {
    CK_ATTRIBUTE attribute = {CKA_VALUE, value, value ? *length : 0};
    CK_RV rv = module->functions->C_GetAttributeValue(session, object, &attribute, 1);
    *length = attribute.ulValueLen;
    return rv;
}

CK_RV webj_p11_key_type(webj_p11_module *module, CK_SESSION_HANDLE session, CK_OBJECT_HANDLE object, CK_KEY_TYPE *type) {
    CK_ATTRIBUTE attribute = {CKA_KEY_TYPE, type, sizeof *type};
    return module->functions->C_GetAttributeValue(session, object, &attribute, 1);
}

CK_RV webj_p11_sign_sha256_rsa(webj_p11_module *module, CK_SESSION_HANDLE session, CK_OBJECT_HANDLE key,
                               const unsigned char *data, CK_ULONG data_length,
                               unsigned char *signature, CK_ULONG *length) {
    CK_MECHANISM mechanism = {CKM_SHA256_RSA_PKCS, NULL, 0};
    CK_RV rv = module->functions->C_SignInit(session, &mechanism, key);
    if (rv != CKR_OK) return rv;
    return module->functions->C_Sign(session, (CK_BYTE_PTR)data, data_length, signature, length);
}
