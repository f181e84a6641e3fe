{
  "payloadSHA256" : "2eddabf6b1aa6f32c6a024917508803cdb2c8a375154bb22f7d3b22e240ab477",
  "payloadType" : "application/vnd.webjcase.step+yaml",
  "signatures" : [
    {
      "keyid" : "SHA256:umHcrVOr4badpUKiTVGliaXhqfR05fStP3Y3ReBxxRQ",
      "sig" : "EW36hI/atabIZcbNBU/XfpMXMHJz8AKwZ8+21Ko+gUNlL8pc8Y+Pdt+7U3Vdwj2FRkt/SgWLRltrPNMNUbFzBw=="
    }
  ]
}
