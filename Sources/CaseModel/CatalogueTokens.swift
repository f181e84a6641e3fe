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
        .policyKeyFileUnusable: t("{file} (given with {option}) is not a public key file: give the .pub file `webjcase keys new NAME` wrote (one `ssh-ed25519 AAAA…` line).",
                                  "{file}（以 {option} 指定）不是公鑰檔：請指定 `webjcase keys new NAME` 所產生的 .pub 檔（一行 `ssh-ed25519 AAAA…`）。"),
        .policyJurisdictionsDiffer: t("{file} is the key of {name}, given again for another jurisdiction: one identity acts for one jurisdiction. Give each jurisdiction its own key.",
                                      "{file} 為 {name} 的金鑰，卻又指定給另一個轄區：一個身分只代表一個轄區。請為每個轄區使用各自的金鑰。"),
        .policyWritten: t("Wrote {file}: {count} identities, threshold {threshold}. Check it, then give it to `webjcase hub init` (hub.yaml's policy:) or `webjcase init --policy`.",
                          "已寫入 {file}：{count} 個身分，門檻 {threshold}。請檢查後交由 `webjcase hub init`（hub.yaml 的 policy:）或 `webjcase init --policy` 使用。"),
        .configProblems: t("{file}: {count} problem(s); fix them all, then run again:\n{list}",
                           "{file}：有 {count} 個問題；請全部修正後再執行：\n{list}"),
        .hubReloaded: t("SIGHUP: read {config} again; {count} node token(s) now in force.", "SIGHUP：已重新讀取 {config}；目前生效的節點權杖共 {count} 個。"),
        .hubReloadFailed: t("SIGHUP: {config} was not taken, the tokens in force stay: {reason}", "SIGHUP：未採用 {config}，維持目前生效的權杖：{reason}"),
        .configValueInvalid: t("{file}: `{field}` is `{found}`; it must be {expected}.", "{file}：`{field}` 的值為「{found}」；應為 {expected}。"),
        .configFileMissing: t("{file}: `{field}` names {path}, which does not exist. Make it ({make}) or correct the path (relative paths are read from the config's directory).",
                              "{file}：`{field}` 指向 {path}，但該檔案不存在。請建立之（{make}），或更正路徑（相對路徑以設定檔所在目錄為準）。"),
        .configProblemMissingKey: t("{file}: the required key `{key}` is missing; `webjcase template {template}` shows what it holds",
                                    "{file}：缺少必要欄位 `{key}`；`webjcase template {template}` 有其範例"),
    ]
}
