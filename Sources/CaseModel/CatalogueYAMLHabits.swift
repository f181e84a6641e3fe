/// What the strict YAML reader says about what people write by habit: tabs, misspelled
/// keys, values of a closed set, and dates the Taiwanese way.
extension Catalogue {
    static let yamlHabitEntries: [MessageID: LocalizedText] = [
        .yamlTab: t("{file}:{line}: a tab. YAML indents with spaces only: replace the tab at that line with spaces (two per level).",
                    "{file}:{line}：含有定位字元（Tab）。YAML 只能以空白縮排：請將該行的 Tab 改為空白（每層兩個）。"),
        .yamlMisspelledKey: t("{file}:{line}: the required key `{key}` is missing, and this line has `{found}`, most likely it misspelled. Write `{key}`.",
                              "{file}:{line}：缺少必要欄位 `{key}`，而此行的 `{found}` 應是其誤拼。請改寫為 `{key}`。"),
        .yamlUnknownKeyClosest: t("{file}:{line}: unknown key `{key}`; did you mean `{closest}`? Allowed here: {allowed}.",
                                  "{file}:{line}：不明欄位 `{key}`；是否應為 `{closest}`？此處可用的欄位：{allowed}。"),
        .yamlBadValueNoChoices: t("{file}:{line}: `{field}` is `{value}`, which this field does not take. See `webjcase template` or docs/format.md for what it takes.",
                                  "{file}:{line}：`{field}` 的值「{value}」不是此欄位可用的值。可用的值請見 `webjcase template` 或 docs/format.md。"),
        .yamlROCDate: t("{file}:{line}: `{field}` is `{value}`, a date of the Republic of China calendar. Write it in the Gregorian calendar as YYYY-MM-DD: {iso}.",
                        "{file}:{line}：`{field}` 的值「{value}」為民國紀年。請以西元年 YYYY-MM-DD 格式書寫：{iso}。"),
        .yamlSlashDate: t("{file}:{line}: `{field}` is `{value}`; dates are written with dashes as YYYY-MM-DD: {iso}.",
                          "{file}:{line}：`{field}` 的值「{value}」；日期請以連字號寫成 YYYY-MM-DD：{iso}。"),
    ]
}
