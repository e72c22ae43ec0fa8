#!/usr/bin/env node
// The `commissioner` command. TypeScript is loaded through tsx so the CLI runs right after
// `npm ci`, with no build step; the Electron app bundles the same modules with Vite instead.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
