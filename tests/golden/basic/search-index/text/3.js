__gz.text(3,{"date":"2019-05-01","issuers":"三亚市人民政府","more":false,"number":"三府〔2019〕9号","text":"停车收费按本通知标准执行。","title":"三亚市人民政府关于旧版停车收费标准的通知","url":"notices/2019/sanfu-2019-9.html"});
