// classification.parquet: spending per council x year x sector x classification basis.
import {classification} from "../../pipeline/compact/classification.ts";
import {siteStore} from "../../pipeline/compact/site-store.ts";

process.stdout.write(await classification("parquet", siteStore()));
