{
  "payloadSHA256" : "73b10002d159a97ad548edb40b7f253442fd16f733e4b240ea8ef3c3acc07fac",
  "payloadType" : "application/vnd.webjcase.step+yaml",
  "signatures" : [
    {
      "keyid" : "SHA256:umHcrVOr4badpUKiTVGliaXhqfR05fStP3Y3ReBxxRQ",
      "sig" : "YTCj57lGKRBRjm6mPQwJksXNEcSyw8pC1BsfhLwT3s27Z58nhRpV4LaAB4yKiFSPgYv4YiwjeTPN2x7jF6a3BQ=="
    }
  ]
}
