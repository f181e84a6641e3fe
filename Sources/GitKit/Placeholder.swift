public enum _GitKitPlaceholder {}
