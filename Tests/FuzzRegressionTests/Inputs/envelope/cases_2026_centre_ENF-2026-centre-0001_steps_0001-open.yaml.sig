{
  "payloadSHA256" : "5726129d8200c2bd52d5b6e193443c0a3854244902e38082b9cccd8eb65f9515",
  "payloadType" : "application/vnd.webjcase.step+yaml",
  "signatures" : [
    {
      "keyid" : "SHA256:+n8SXsR3h82JgubPTIlvUi3ZXI79GNUx7+6+jBw1CVs",
      "sig" : "3nFRq7J5TXcIqiEH0aKNTs+xoiDmQ7vFAxGvMIvDTe6Op4iTiTT7VjGLTQyLGTKpSlhbiqN8tXDuJN16YiymBA=="
    }
  ]
}
