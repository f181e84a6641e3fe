{
  "payloadSHA256" : "fe1f499d41d1c20f359929f1a5f1a71b33187548b19f3b50b84ca64761ab3c83",
  "payloadType" : "application/vnd.webjcase.step+yaml",
  "signatures" : [
    {
      "keyid" : "SHA256:+n8SXsR3h82JgubPTIlvUi3ZXI79GNUx7+6+jBw1CVs",
      "sig" : "3yONpeeayJV5ZSQl/kDC0n20lw71WvMSpufHXWZJx1cR4qO3Bw3rWzWYgmmO7UAmjV0GmZodVXB+W47uRk0CAw=="
    }
  ]
}
