{
  "payloadSHA256" : "0436ad2032663d0e37343b9b58aee52e43aecbe4fe27af945247d2d70c34811e",
  "payloadType" : "application/vnd.webjcase.step+yaml",
  "signatures" : [
    {
      "keyid" : "SHA256:+n8SXsR3h82JgubPTIlvUi3ZXI79GNUx7+6+jBw1CVs",
      "sig" : "7UVaxUzHlBd9xhQimDrCRWsnsYsE3GCWsjYyPMzjKYafyUl9798Aq3Kj0Vxjy++L4tW1mnJ0pDlc63fFWbKQCQ=="
    }
  ]
}
