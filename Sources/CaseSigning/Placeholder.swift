public enum _CaseSigningPlaceholder {}
