/// What a bad demo story is told, in both languages: each names the file and the beat.
extension Catalogue {
    static let demoStoryEntries: [MessageID: LocalizedText] = [
        .demoStoryStart: t("{file}: the story's `start` `{time}` is not a time. Write YYYY-MM-DDTHH:MM (Taipei time) or YYYY-MM-DDTHH:MM:SS+08:00.",
                           "{file}：故事的 `start` `{time}` 不是時間。請寫成 YYYY-MM-DDTHH:MM（臺北時間）或 YYYY-MM-DDTHH:MM:SS+08:00。"),
        .demoStoryUnknownChapter: t("{file}: chapter {chapter} has the title `{title}`, which is no chapter of the demo's narration. Use one of: {titles}.",
                                    "{file}：第 {chapter} 章的標題 `{title}` 不是示範敘述的章節。請使用其中之一：{titles}。"),
        .demoStoryBeatKinds: t("{file}: chapter {chapter}, beat {beat} is written as {kinds}; a beat is exactly one of open, step, sync, showOrganization, showDue, trustTestXCA, applicantSigns. Split it or add the missing one.",
                               "{file}：第 {chapter} 章第 {beat} 個情節寫成 {kinds}；每個情節須恰為 open、step、sync、showOrganization、showDue、trustTestXCA、applicantSigns 其中之一。請拆開或補上。"),
        .demoStoryBadTime: t("{file}: chapter {chapter}, beat {beat} ({what}): `{time}` is not a time. Write YYYY-MM-DDTHH:MM (Taipei time) or YYYY-MM-DDTHH:MM:SS+08:00.",
                             "{file}：第 {chapter} 章第 {beat} 個情節（{what}）：`{time}` 不是時間。請寫成 YYYY-MM-DDTHH:MM（臺北時間）或 YYYY-MM-DDTHH:MM:SS+08:00。"),
        .demoStoryTimeBackwards: t("{file}: chapter {chapter}, beat {beat} ({what}) happens at {time}, before the beat ahead of it ({previous}). Within a chapter time only moves on: move the beat later, or into a chapter of its own.",
                                   "{file}：第 {chapter} 章第 {beat} 個情節（{what}）發生於 {time}，早於前一情節（{previous}）。同一章內時間只能前進：請將此情節移後，或移至另一章。"),
        .demoStoryUnknownClone: t("{file}: chapter {chapter}, beat {beat} ({what}) names the clone `{clone}`; the demo's clones are {clones}.",
                                  "{file}：第 {chapter} 章第 {beat} 個情節（{what}）指定的複製 `{clone}` 不存在；示範的複製為 {clones}。"),
        .demoStoryUnknownSigner: t("{file}: chapter {chapter}, beat {beat} ({what}) names `{signer}`, who is not in the story's cast. Add them to `cast:` or name one of {cast}.",
                                   "{file}：第 {chapter} 章第 {beat} 個情節（{what}）指定的 `{signer}` 不在故事的 `cast:` 名單中。請加入名單，或改用 {cast} 其中之一。"),
        .demoStoryBadKind: t("{file}: chapter {chapter}, beat {beat} ({what}): `{kind}` is not a kind of case. Use one of: {kinds}.",
                             "{file}：第 {chapter} 章第 {beat} 個情節（{what}）：`{kind}` 不是案件種類。請使用其中之一：{kinds}。"),
        .demoStoryDuplicateName: t("{file}: chapter {chapter}, beat {beat} ({what}) opens a case as `{name}`, a name an earlier beat already gave. Give each opened case its own name.",
                                   "{file}：第 {chapter} 章第 {beat} 個情節（{what}）以 `{name}` 命名開立的案件，但先前的情節已使用此名稱。請為每個開立的案件取不同名稱。"),
        .demoStoryUnknownName: t("{file}: chapter {chapter}, beat {beat} ({what}) uses the case `{name}`, which no earlier beat opened. Open it first: an `open` beat with `name: \"{name}\"`.",
                                 "{file}：第 {chapter} 章第 {beat} 個情節（{what}）使用的案件 `{name}` 尚未由先前的情節開立。請先以 `open` 情節開立，並寫 `name: \"{name}\"`。"),
        .demoStoryBadAction: t("{file}: chapter {chapter}, beat {beat} ({what}): `{action}` is not a step of a {kind} case. Use one of: {actions}.",
                               "{file}：第 {chapter} 章第 {beat} 個情節（{what}）：`{action}` 不是 {kind} 案件的步驟。請使用其中之一：{actions}。"),
        .demoStoryUnsignedForm: t("{file}: chapter {chapter}, beat {beat} ({what}) carries the form of organization {organization}, which no earlier applicantSigns beat signed. Add that beat before it.",
                                  "{file}：第 {chapter} 章第 {beat} 個情節（{what}）附上機關團體 {organization} 的申請表，但先前沒有 applicantSigns 情節簽署。請在其前加入該情節。"),
    ]
}
