public enum _CaseRulesPlaceholder {}
