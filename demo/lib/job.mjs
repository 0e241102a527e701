// A job of the demo, run the way the GitHub runner runs one: steps in order, each step's outputs available to
// the next, a failed step skips the rest except `always` steps (`if: always()`), and job.status is what
// those see. Steps are either one of our bundled actions or a plain function (a `run:` step).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadManifest, runAction } from './run-action.mjs';

/** Replaces every secret in text with *** (what GitHub's log masking does). */
export function masker(secrets) {
  return (text) => {
    let out = String(text ?? '');
    for (const secret of secrets) if (secret) out = out.split(secret).join('***');
    return out;
  };
}

/**
 * Why an action step cannot run in this checkout yet, or undefined when it can: its bundle is missing, or
 * its action.yml does not declare an input the step gives (the action has not been merged yet).
 */
export function pendingReason(root, action, inputs) {
  const manifestFile = path.join(root, 'actions', action, 'action.yml');
  if (!existsSync(manifestFile)) return `actions/${action}/action.yml is not in this checkout`;
  const manifest = loadManifest(manifestFile);
  const undeclared = Object.entries(inputs)
    .filter(([name, value]) => value !== undefined && !(name in manifest.inputs))
    .map(([name]) => name);
  if (undeclared.length)
    return `actions/${action}/action.yml does not declare ${undeclared.join(', ')} yet (the action has not landed in this checkout)`;
  const bundle = path.resolve(path.dirname(manifestFile), manifest.runs.main ?? '');
  if (!existsSync(bundle)) return `${path.relative(root, bundle)} is missing: run npm run build`;
  return undefined;
}

export class Job {
  /**
   * @param {string} name  what the report calls this job
   * @param {object} context  { root, env, expressions, log, mask, verbose, workflow }
   */
  constructor(name, context) {
    this.name = name;
    this.context = context;
    this.status = 'success';
    this.steps = [];
    this.startedAt = Date.now();
  }

  /** Outputs of an earlier step by id ('' when it did not run, as in GitHub expressions). */
  output(id, name) {
    return this.steps.find((s) => s.id === id)?.outputs?.[name] ?? '';
  }

  #begin(step, uses) {
    const { log } = this.context;
    log('');
    log(`▶ ${this.name} › ${step.name}${uses ? ` (${uses})` : ''}`);
    return {
      id: step.id,
      name: step.name,
      uses,
      inputs: {},
      outputs: {},
      summary: '',
      notes: [],
      annotations: []
    };
  }

  #skip(record, status, reason) {
    record.status = status;
    record.reason = reason;
    record.durationMs = 0;
    this.context.log(`  ${status === 'pending' ? '… pending' : '– skipped'}: ${reason}`);
    this.steps.push(record);
    return record;
  }

  #gate(step, record) {
    if (this.status !== 'success' && !step.always)
      return this.#skip(
        record,
        'skipped',
        `an earlier step ${this.status === 'failure' ? 'failed' : 'was cancelled'}`
      );
    const waiting = (step.needs ?? []).filter(
      (id) => this.steps.find((s) => s.id === id)?.status === 'pending'
    );
    if (waiting.length)
      return this.#skip(record, 'pending', `needs the outputs of the pending step ${waiting.join(', ')}`);
    return undefined;
  }

  #finish(record, started, ok) {
    const { log, mask } = this.context;
    record.durationMs = Date.now() - started;
    record.status = ok ? 'success' : 'failure';
    if (!ok) this.status = 'failure';
    const seconds = (record.durationMs / 1000).toFixed(1);
    log(`  ${ok ? '✓' : '✗'} ${record.status} in ${seconds}s`);
    for (const [name, value] of Object.entries(record.outputs)) {
      const shown = mask(value).replace(/\s*\n\s*/g, ' ');
      log(`    ${name} = ${shown.length > 160 ? `${shown.slice(0, 157)}…` : shown}`);
    }
    for (const note of record.notes) log(`    note: ${note}`);
    this.steps.push(record);
    return record;
  }

  /**
   * A step that uses one of our actions: { id, name, action, with, env, always, needs, pending }. `needs`
   * lists the earlier steps whose outputs it reads (it waits while one of them is pending); `pending` is a
   * reason known up front (e.g. its stand-in is missing); `excuse(record)` may turn an expected failure
   * into a skip with a reason (the migration's dry run when no database answers).
   */
  async uses(step) {
    const { root, env, expressions, log, mask, verbose } = this.context;
    const record = this.#begin(step, step.action);
    record.inputs = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, mask(v)]));
    const gated = this.#gate(step, record);
    if (gated) return gated;
    const reason = step.pending ?? pendingReason(root, step.action, step.with ?? {});
    if (reason) return this.#skip(record, 'pending', reason);
    const started = Date.now();
    const result = await runAction({
      actionYml: path.join(root, 'actions', step.action, 'action.yml'),
      inputs: step.with ?? {},
      env: { ...env, ...step.env },
      expressions: { ...expressions, 'job.status': this.status },
      cwd: env.GITHUB_WORKSPACE,
      onLine: (_stream, line) => {
        const annotation = /^::(error|warning|notice)[^:]*::(.*)$/.exec(line);
        if (annotation) {
          const text = mask(annotation[2].replace(/%0A/g, ' ').replace(/%25/g, '%'));
          record.annotations.push({ level: annotation[1], text });
          log(`    ${annotation[1]}: ${text}`);
        } else if (verbose && !line.startsWith('::')) log(`    | ${mask(line)}`);
      }
    });
    record.outputs = Object.fromEntries(Object.entries(result.outputs).map(([k, v]) => [k, mask(v)]));
    record.summary = mask(result.summary);
    record.exitCode = result.exitCode;
    const postFailed = result.post && result.post.exitCode !== 0;
    if (postFailed) record.notes.push(`post step exited ${result.post.exitCode}`);
    if (result.exitCode !== 0) {
      const tail = mask(`${result.stdout}\n${result.stderr}`).trim().split('\n').slice(-15).join('\n');
      record.logTail = tail;
    }
    const ok = result.exitCode === 0 && !postFailed;
    const excuse = ok ? undefined : step.excuse?.(record);
    if (excuse) {
      // A failure the demo expects on this machine (said in the report), not a failure of the pipeline.
      record.durationMs = Date.now() - started;
      record.status = 'skipped';
      record.reason = excuse;
      log(`  – skipped: ${excuse}`);
      this.steps.push(record);
      return record;
    }
    return this.#finish(record, started, ok);
  }

  /** A `run:` step: { id, name, run: async () => ({ outputs, notes }), always, needs, pending }. */
  async run(step) {
    const record = this.#begin(step);
    const gated = this.#gate(step, record);
    if (gated) return gated;
    if (step.pending) return this.#skip(record, 'pending', step.pending);
    const started = Date.now();
    try {
      const result = (await step.run()) ?? {};
      record.outputs = Object.fromEntries(
        Object.entries(result.outputs ?? {}).map(([k, v]) => [k, this.context.mask(v)])
      );
      record.notes.push(...(result.notes ?? []));
      return this.#finish(record, started, true);
    } catch (error) {
      record.logTail = this.context.mask(error instanceof Error ? error.message : String(error));
      this.context.log(`    error: ${record.logTail}`);
      return this.#finish(record, started, false);
    }
  }

  /** Marks a step as deliberately not run here (say why). */
  skip(step, reason) {
    return this.#skip(this.#begin(step, step.action), 'skipped', reason);
  }

  get durationMs() {
    return (this.finishedAt ?? Date.now()) - this.startedAt;
  }
}
