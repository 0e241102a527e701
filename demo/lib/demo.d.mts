/** Types for demo/lib/demo.mjs (plain Node ESM), so the TypeScript test can drive the demo. */
export interface DemoStep {
  job: string;
  id: string;
  name: string;
  /** The action the step uses; undefined for a run: step. */
  uses?: string;
  status: 'success' | 'failure' | 'skipped' | 'pending';
  reason?: string;
  inputs: Record<string, string | undefined>;
  outputs: Record<string, string>;
  summary: string;
  notes: string[];
  annotations: { level: string; text: string }[];
  durationMs: number;
  logTail?: string;
}

export interface DemoJob {
  name: string;
  status: 'success' | 'failure';
  steps: Omit<DemoStep, 'job'>[];
  durationMs: number;
  output(id: string, name: string): string;
}

export interface DemoResult {
  /** No step failed. */
  ok: boolean;
  /** No step is pending (every action and stand-in is in this checkout). */
  complete: boolean;
  durationMs: number;
  jobs: DemoJob[];
  steps: DemoStep[];
  pending: DemoStep[];
  peers: Record<string, { missing?: string; kind?: string; address?: string }>;
  state: {
    site?: string[];
    revisions?: string[];
    invalidations?: { id: string; status: string; paths: string[]; distributionId: string }[];
    deployments?: {
      deploymentId: string;
      status: string;
      applicationName: string;
      deploymentGroupName: string;
      revision: { s3Location: { bucket: string; key: string } };
      targets?: {
        id: string;
        status: string;
        lifecycleEvents: { lifecycleEventName: string; status: string }[];
      }[];
    }[];
    messages?: { id: string; content: string; edits: number; embeds: { title?: string; color?: number }[] }[];
    registry?: { image: string; served?: string };
    history?: { version: string | null; description: string; success: number | boolean }[];
  };
  report: string;
  reportFile: string;
}

export const ROOT: string;
export function runDemo(options?: {
  root?: string;
  log?: (line: string) => void;
  reportFile?: string;
  verbose?: boolean;
  /** Peers to leave out (s3, cloudfront, codedeploy, discord, registry, database), to see the fallbacks. */
  without?: string[];
}): Promise<DemoResult>;
