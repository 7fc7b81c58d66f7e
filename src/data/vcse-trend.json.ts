// vcse-trend.json: VCSE and total spending per council x year, for the embeddable trend chart.
import {trend} from "../../pipeline/compact/trend.ts";
import {siteStore} from "../../pipeline/compact/site-store.ts";

process.stdout.write(JSON.stringify(await trend(siteStore())));
