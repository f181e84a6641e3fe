{
  "payloadSHA256" : "155b827a854c02673f7f2df91d54b4396923be76c740e2752ec97000f8b8b1bf",
  "payloadType" : "application/vnd.webjcase.document+yaml",
  "signatures" : [
    {
      "keyid" : "SHA256:OHUMD1WotfoMX5F8mm1h+7GSYyvVWuck1qPgPUJ5i8A",
      "sig" : "T7aw47E5MR+MPImZNfNx3t+NeoKYThnxN2HRd/0GX74X2eH5QXWQTyxyjjumBTJRzMheNW/3KK2ylAxz4w4WAw=="
    }
  ]
}
