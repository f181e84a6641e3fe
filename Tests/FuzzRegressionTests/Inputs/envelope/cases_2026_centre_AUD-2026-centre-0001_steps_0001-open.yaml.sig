{
  "payloadSHA256" : "20193ec358095f271479954e042668562e11ec3d5f37b4d407eec71e4456e71a",
  "payloadType" : "application/vnd.webjcase.step+yaml",
  "signatures" : [
    {
      "keyid" : "SHA256:+n8SXsR3h82JgubPTIlvUi3ZXI79GNUx7+6+jBw1CVs",
      "sig" : "pIyM2P+PfOMK7kd+UroVGzcF48bufp080EUnI+fefpQ6D6ehi6+2sGHDsKsQq5IRMMs644gl4avXhjpGAM5OBA=="
    }
  ]
}
