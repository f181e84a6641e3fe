{
  "payloadSHA256" : "0dc4d0cb7e76b07be2ab6eda06cd8d3c6167a79bcd0e654289182917cba683b5",
  "payloadType" : "application/vnd.webjcase.step+yaml",
  "signatures" : [
    {
      "keyid" : "SHA256:+n8SXsR3h82JgubPTIlvUi3ZXI79GNUx7+6+jBw1CVs",
      "sig" : "Bh/H7M6JdoShZ4gqAQVZEMAOyWsWZC9dF+S70d1JPlce/CJ+Q7Bb+UaSXpeVnhTmrLOs1JyASbjFl0Lo6uPoCA=="
    }
  ]
}
