// The shared conformance table (conformance/table.ts) through the Fetch port, handleWebhook,
// served by node:http as Fetch-on-Node servers do: the same answers as every framework adapter.
import { runConformance } from '../../../conformance/run.js';
import { fetchDriver } from '../../../hardening/fetch-driver.js';

runConformance(fetchDriver);
