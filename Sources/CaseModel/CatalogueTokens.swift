/// What `hub token` says: a token is made only for a node of the policy, and kept where
/// only its owner reads it.
extension Catalogue {
    static let tokenEntries: [MessageID: LocalizedText] = [
        .hubTokenUnknownNode: t("`{node}` is not a node of {policy} (an identity holding agency-node, centre-node or auditor, not revoked); no token was made. Nodes there: {known}. Add the node to the policy first (admins, threshold), or check the name.",
                                "`{node}` 不是 {policy} 中的節點（具 agency-node、centre-node 或 auditor 角色且未撤銷的身分）；未產生權杖。該政策中的節點：{known}。請先將節點加入信任政策（由管理者依門檻簽署），或檢查名稱。"),
        .hubTokenWritten: t("The token for {node} is in {file} (readable by you only): give it to the node only. Its line for the hub's config:",
                            "{node} 的權杖已寫入 {file}（僅您可讀取）：僅交付該節點。其於中樞設定檔的內容："),
        .hubTokenOnTerminal: t("The token is shown on this terminal: it is a password. Next time write it with --out FILE (mode 0600).",
                               "權杖顯示於此終端機：它等同密碼。下次請以 --out FILE 寫入檔案（權限 0600）。"),
        .hubTokenFileTightened: t("The file standard output goes to was readable by others: it is now readable by its owner only (0600).",
                                  "標準輸出所寫入的檔案原可由他人讀取：已改為僅擁有者可讀取（0600）。"),
    ]
}
