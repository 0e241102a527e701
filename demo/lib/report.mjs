// The demo's report as Markdown (pure: the run's result in, text out): which peers were real and which
// stand-ins, each job's steps with their outputs, the job summaries the actions wrote, and what the peers
// hold at the end.

const ICON = { success: '✅', failure: '❌', skipped: '➖', pending: '⏳' };

/** A table cell: one line, pipes escaped, cut at `max` characters. */
export function cell(text, max = 100) {
  const flat = String(text ?? '')
    .replace(/\r?\n/g, ' ')
    .replace(/\|/g, '\\|')
    .trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

function headline(result) {
  if (!result.ok) return '❌ a step failed';
  if (!result.complete) return `⏳ ${result.pending.length} step(s) pending`;
  return '✅ every step succeeded';
}

/** The peers' names, by their key in the result. */
export const PEER_NAMES = {
  s3: 'S3',
  cloudfront: 'CloudFront',
  codedeploy: 'CodeDeploy',
  discord: 'Discord',
  registry: 'Registry',
  database: 'Database'
};

function peersTable(peers) {
  const names = PEER_NAMES;
  const rows = Object.entries(peers).map(
    ([key, peer]) =>
      `| ${names[key] ?? key} | ${cell(peer.missing ? `not available: ${peer.missing}` : peer.kind, 200)} |`
  );
  return ['| Peer | What ran here |', '| --- | --- |', ...rows].join('\n');
}

function stepRow(step) {
  const outputs = Object.entries(step.outputs ?? {})
    .map(([name, value]) => `\`${name}\`=${cell(value, 60)}`)
    .join('<br>');
  const result = `${ICON[step.status] ?? ''} ${step.status}${step.reason ? `: ${cell(step.reason, 160)}` : ''}`;
  return `| ${cell(step.name)} | ${step.uses ? `\`${step.uses}\`` : 'run'} | ${result} | ${seconds(step.durationMs ?? 0)} | ${outputs} |`;
}

function stepDetails(step) {
  const parts = [];
  const inputs = Object.entries(step.inputs ?? {}).filter(([, v]) => v !== undefined);
  if (inputs.length)
    parts.push(['**Inputs**', '', ...inputs.map(([k, v]) => `- \`${k}\`: ${cell(v, 300)}`)].join('\n'));
  const outputs = Object.entries(step.outputs ?? {});
  if (outputs.length)
    parts.push(['**Outputs**', '', ...outputs.map(([k, v]) => `- \`${k}\`: ${cell(v, 600)}`)].join('\n'));
  if (step.annotations?.length)
    parts.push(
      ['**Annotations**', '', ...step.annotations.map((a) => `- ${a.level}: ${cell(a.text, 300)}`)].join('\n')
    );
  if (step.notes?.length) parts.push(step.notes.map((n) => `- ${cell(n, 300)}`).join('\n'));
  if (step.logTail) parts.push(['**Log tail**', '', '```', step.logTail, '```'].join('\n'));
  if (step.summary?.trim())
    parts.push(['**Job summary written by the action**', '', step.summary.trim()].join('\n'));
  if (!parts.length) return '';
  return `<details><summary>${step.name}</summary>\n\n${parts.join('\n\n')}\n\n</details>`;
}

function stateSection(state) {
  const lines = ['## What the peers hold at the end', ''];
  if (state.site)
    lines.push(
      `- **Site bucket** (${state.site.length} objects): ${state.site.map((k) => `\`${k}\``).join(', ')}`
    );
  if (state.revisions)
    lines.push(`- **Revision bucket**: ${state.revisions.map((k) => `\`${k}\``).join(', ') || 'empty'}`);
  for (const inv of state.invalidations ?? [])
    lines.push(
      `- **Invalidation** \`${inv.id}\` (${inv.status}): ${inv.paths.map((p) => `\`${p}\``).join(', ')}`
    );
  for (const d of state.deployments ?? []) {
    lines.push(
      `- **Deployment** \`${d.deploymentId}\` of ${d.applicationName}/${d.deploymentGroupName}: ${d.status}`
    );
    for (const target of d.targets ?? []) {
      const events = target.lifecycleEvents.map((e) => `${e.lifecycleEventName} ${e.status}`).join(' → ');
      lines.push(`  - \`${target.id}\` ${target.status}: ${events}`);
    }
  }
  for (const m of state.messages ?? []) {
    const embed = m.embeds?.[0] ?? {};
    lines.push(
      `- **Discord message** \`${m.id}\`: “${cell(embed.title ?? m.content, 120)}”${m.edits ? `, edited ${m.edits}×` : ''}`
    );
  }
  if (state.registry)
    lines.push(
      `- **Registry** serves \`acme/api:main\` as \`${state.registry.served ?? 'nothing'}\`; the action output \`${state.registry.image}\``
    );
  if (state.history)
    lines.push(
      `- **flyway_schema_history**: ${state.history.map((r) => `${r.version ?? 'R'} ${r.description}${r.success ? '' : ' (failed)'}`).join('; ') || 'empty'}`
    );
  return lines.length > 2 ? lines.join('\n') : '';
}

export function renderReport(result) {
  const out = [
    `# deploy-actions demo: ${headline(result)}`,
    '',
    `Both pipelines of \`workflows/deploy-frontend.yml\` (two releases) and \`workflows/deploy-backend.yml\`, step for step, through the bundled actions in \`dist/\`, in ${seconds(result.durationMs)}. Each step got the previous steps' outputs as in the workflows.`,
    '',
    peersTable(result.peers),
    ''
  ];
  for (const job of result.jobs) {
    out.push(`## ${job.name}: ${ICON[job.status]} ${job.status} (${seconds(job.durationMs)})`, '');
    out.push('| Step | Action | Result | Time | Outputs |', '| --- | --- | --- | --- | --- |');
    for (const step of job.steps) out.push(stepRow(step));
    out.push('');
    for (const step of job.steps) {
      const details = stepDetails(step);
      if (details) out.push(details, '');
    }
  }
  const state = stateSection(result.state ?? {});
  if (state) out.push(state, '');
  if (result.pending.length) {
    out.push('## Pending', '');
    for (const step of result.pending) out.push(`- ${step.job} › ${step.name}: ${step.reason}`);
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
