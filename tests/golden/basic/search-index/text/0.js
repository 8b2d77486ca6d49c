__gz.text(0,{"date":"2020-03-10","issuers":"三亚市民政局","more":false,"number":"三民字〔2020〕5号","text":"","title":"三亚市民政局关于内部核查安排的通知","url":"notices/2020/sanminzi-2020-5.html"});
