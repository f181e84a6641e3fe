{
  "payloadSHA256" : "d3735b94f7477bd9bc150cf54a29bb327698ed777d1d3fa227fdd060b8e0cb00",
  "payloadType" : "application/vnd.webjcase.step+yaml",
  "signatures" : [
    {
      "keyid" : "SHA256:+n8SXsR3h82JgubPTIlvUi3ZXI79GNUx7+6+jBw1CVs",
      "sig" : "vRxBmh9WuyPu6+F7qvpAzXxXwFoFM5Y0Eff3eBQJPnuVb7+IXNKQ9Q4oOkoi6fbQuwKNA3gkdIcYEIxEDihWBw=="
    }
  ]
}
