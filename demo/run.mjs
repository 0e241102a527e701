#!/usr/bin/env node
// npm run demo [-- --verbose] [-- --report <file>] [-- --without registry,database]
// Runs the front-end and back-end pipelines end to end on this machine through the bundled actions, against
// local peers, prints each step's outputs, and writes a Markdown report (default demo/report.md, which git
// ignores). Everything it starts is stopped before it exits. Exit code 1 when a step failed.
import path from 'node:path';
import { runDemo } from './lib/demo.mjs';

const args = process.argv.slice(2);
const reportIndex = args.indexOf('--report');
const reportFile = reportIndex === -1 ? undefined : path.resolve(args[reportIndex + 1] ?? 'report.md');

const withoutIndex = args.indexOf('--without');
const without = withoutIndex === -1 ? [] : (args[withoutIndex + 1] ?? '').split(',').filter(Boolean);

const result = await runDemo({ verbose: args.includes('--verbose'), reportFile, without });

console.log(`\n${'─'.repeat(72)}`);
for (const job of result.jobs) {
  const counts = {};
  for (const step of job.steps) counts[step.status] = (counts[step.status] ?? 0) + 1;
  const detail = Object.entries(counts)
    .map(([status, n]) => `${n} ${status}`)
    .join(', ');
  console.log(
    `${job.status === 'success' ? '✓' : '✗'} ${job.name.padEnd(26)} ${detail} (${(job.durationMs / 1000).toFixed(1)} s)`
  );
}
for (const step of result.pending) console.log(`  pending: ${step.job} › ${step.name}: ${step.reason}`);
console.log(
  `\n${result.ok ? (result.complete ? 'Every step succeeded' : 'No step failed, some are pending') : 'A step failed'} in ${(result.durationMs / 1000).toFixed(1)} s. Report: ${path.relative(process.cwd(), result.reportFile)}`
);
process.exitCode = result.ok ? 0 : 1;
