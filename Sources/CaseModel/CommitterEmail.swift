/// How a commit names who made it: the e-mail of a node's commits in a case repository,
/// in its personal store, and of the hub's receipts. Written by the node-commit writer and
/// checked by the rules (S-COMMITTER, S-PERSONAL-SIGNER): one spelling for both.
public enum CommitterEmail {
    public static func node(_ node: String, jurisdiction: String) -> String { "\(node)@\(jurisdiction).webjcase" }
    public static func personal(_ node: String) -> String { "\(node)@personal.webjcase" }
    public static func hub(jurisdiction: String) -> String { "hub@\(jurisdiction).webjcase" }
}
