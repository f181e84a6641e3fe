/// What `webjcase sign --cms` says, in both languages.
extension Catalogue {
    static let cmsSignEntries: [MessageID: LocalizedText] = [
        .cmsWrote: t("Signed {file} with {subject} ({keyid}): wrote {signature}, a detached CMS signature (SignedData, DER) that `webjcase sign --verify {file}` and `openssl cms -verify -binary -inform DER -content {file}` check.",
                     "已以 {subject}（{keyid}）簽署 {file}：寫入 {signature}，為分離式 CMS 簽章（SignedData，DER），可由 `webjcase sign --verify {file}` 及 `openssl cms -verify -binary -inform DER -content {file}` 驗證。"),
        .cmsNeedsCertificate: t("{file}: a CMS signature carries the signer's certificate; sign with --cms together with --key KEY --cert CHAIN (a PEM RSA or P-256 key and its certificate chain) or with --pkcs11 MODULE (a card).",
                                "{file}：CMS 簽章須附簽署者憑證；--cms 請與 --key 金鑰 --cert 憑證鏈（PEM 格式之 RSA 或 P-256 金鑰及其憑證鏈）或 --pkcs11 模組（IC 卡）併用。"),
    ]
}
