{
  "payloadSHA256" : "6c813b4dd055fb3aaca09a9b1107112fa6b13c6b64d8c92df0517a18f6b75ad4",
  "payloadType" : "application/vnd.webjcase.step+yaml",
  "signatures" : [
    {
      "keyid" : "SHA256:+n8SXsR3h82JgubPTIlvUi3ZXI79GNUx7+6+jBw1CVs",
      "sig" : "o6Ou8KUrjMeCstWeyabrzjI+rDQI0KoJF0zbKYWbJAeqytu37DoArvzGYpOSfzuVznPldA8THDFnIiK0g6wxDg=="
    }
  ]
}
