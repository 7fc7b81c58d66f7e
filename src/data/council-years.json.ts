// council-years.json: the overview's council x year figures as compact JSON (see councilYearsOverview).
import {councilYearsOverview} from "../../pipeline/compact/council-years.ts";

process.stdout.write(JSON.stringify(await councilYearsOverview()));
