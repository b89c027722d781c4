import { config } from 'zod';

// The console's pages run under a CSP without 'unsafe-eval'. zod 4 probes for eval (`new Function('')`)
// when it builds an object schema, and the browser reports the refused probe as a policy violation;
// jitless zod never probes. Imported first by main.ts, before any contract schema is built.
config({ jitless: true });
