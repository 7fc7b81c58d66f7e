import {DuckDBInstance} from "@duckdb/node-api";
const i = await DuckDBInstance.create(":memory:"); const c = await i.connect();
const sql = process.argv[2];
const r = (await c.runAndReadAll(sql)).getRowObjects();
for (const x of r) console.log(JSON.stringify(x, (k,v)=> typeof v==="bigint"? Number(v): v));
