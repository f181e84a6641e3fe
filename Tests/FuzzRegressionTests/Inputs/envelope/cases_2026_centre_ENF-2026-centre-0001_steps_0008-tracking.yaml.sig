{
  "payloadSHA256" : "ddc3058287c64971fce5c410e1d8a0425a4af6466d0865862cb4e70a6b5bae4c",
  "payloadType" : "application/vnd.webjcase.step+yaml",
  "signatures" : [
    {
      "keyid" : "SHA256:+n8SXsR3h82JgubPTIlvUi3ZXI79GNUx7+6+jBw1CVs",
      "sig" : "HzRM5gaPsqOb9Ip2hrEtAAIypZDd46vVU3PTcD+7NtTP8z6h3rUh9ljsjx5aEKrAsI/uZoR+twhQVhspvW+0Bg=="
    }
  ]
}
