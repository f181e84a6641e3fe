{
  "payloadSHA256" : "0967ea953ee4f9fc39798589ab62c3d9da3c250a9e20b521c3c040bd3c1138a5",
  "payloadType" : "application/vnd.webjcase.step+yaml",
  "signatures" : [
    {
      "keyid" : "SHA256:+nIt+bmt8PU86whxfs+DaZbI6l7oGKnZO+h2fMYc1eA",
      "sig" : "c/XzIKo40XOSTH0VS0m2HyhLweWaysYyZfD75EIxWwT2Wt3piHNV1N3Km4z8WDl12Lf3y3dPYQBcKFYZqwfLBw=="
    }
  ]
}
