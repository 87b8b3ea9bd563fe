/**
 * Quiet tests: in-process servers log at `warn` unless LOG_LEVEL says otherwise (`LOG_LEVEL=debug npx
 * vitest run …` to watch them). Processes a test spawns read their own LOG_LEVEL, like production.
 */
import { readConfig } from '../../kernel/config.js';
import { setLogLevel } from '../../kernel/log.js';

setLogLevel(readConfig({ LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' }, 'tool').logLevel);
