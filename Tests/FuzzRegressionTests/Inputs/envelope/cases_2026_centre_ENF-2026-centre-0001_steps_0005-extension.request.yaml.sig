{
  "payloadSHA256" : "5667279f72fe31acc14ee2a6eca2f0a5ea3cfc9bed07b950a7202fe7e5671b2d",
  "payloadType" : "application/vnd.webjcase.step+yaml",
  "signatures" : [
    {
      "keyid" : "SHA256:umHcrVOr4badpUKiTVGliaXhqfR05fStP3Y3ReBxxRQ",
      "sig" : "Bq1t9JMOE2rzufW72WywNOAZg1sAes7kKGoiv9dLAkV7Qi8rlVeoRFPzV+N3ZNf7WBrQlTBciRQmDDOTtuT0Cg=="
    }
  ]
}
