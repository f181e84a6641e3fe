{
  "payloadSHA256" : "a7a7d8806a9fe72a61f841d63b6584f9f4d221c0d558ac27192950eb81f3e673",
  "payloadType" : "application/vnd.webjcase.step+yaml",
  "signatures" : [
    {
      "keyid" : "SHA256:+n8SXsR3h82JgubPTIlvUi3ZXI79GNUx7+6+jBw1CVs",
      "sig" : "eB172Y/eQELLxD3U4M+UhHSJZmJrd63hTk4a2mUIbeqwSOt7ZYviYwJ11bPXYnZOCfd3O55ac3zuwEteUVbwBA=="
    }
  ]
}
