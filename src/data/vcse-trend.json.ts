// vcse-trend.json: VCSE and total spending per council x year, for the embeddable trend chart.
import {trend} from "../../pipeline/compact/trend.ts";

process.stdout.write(JSON.stringify(await trend()));
