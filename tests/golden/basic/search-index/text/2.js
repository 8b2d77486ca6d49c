__gz.text(2,{"date":"2019-05-01","issuers":"三亚市人民政府","more":false,"number":"三府〔2019〕10号","text":"公交线路自即日起调整。","title":"三亚市人民政府关于公交线路调整的通知","url":"notices/2019/sanfu-2019-10.html"});
