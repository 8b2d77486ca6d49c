__gz.meta(0,{"count":4,"docIssuers":"##$!$#!#!","docSerials":"',,+","docYears":"##!!","issuers":["三亚市人民政府","三亚市民政局","三亚市财政局"],"yearBase":2019,"years":[2020,2019]});
