// Public API of @hookproof/otel. Every export is listed here explicitly.
export { HookproofInstrumentation } from './instrumentation.js';
export type { HookproofInstrumentationConfig } from './instrumentation.js';
export { ATTR, METRIC } from './names.js';
