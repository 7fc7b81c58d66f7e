// classification.parquet: spending per council x year x sector x classification basis.
import {classification} from "../../pipeline/compact/classification.ts";

process.stdout.write(await classification("parquet"));
