/** Types for the CodeDeploy stand-in (codedeploy-server.mjs). */
import type { CodeDeployClient, CodeDeployClientConfig } from '@aws-sdk/client-codedeploy';

export type InstanceScript =
  | 'success'
  | `hang:${string}`
  | { hang: string }
  | { fail: string; errorCode?: string; scriptName?: string; message?: string; logTail?: string };

export interface GroupSpec {
  instances?: Array<{ id: string; script?: InstanceScript }>;
  autoRollback?: { enabled: boolean; events?: string[] };
  deploymentConfigName?: string;
  loadBalancer?: boolean;
  /** Scripts for the instances of automatic rollback deployments (default: all succeed). */
  rollbackScripts?: Record<string, InstanceScript>;
  lastGoodRevision?: unknown;
}

export interface FailRule {
  op: string;
  type?: string;
  message?: string;
  status?: number;
  /** How many calls fail (default: all). */
  times?: number;
  skip?: number;
}

export interface LoggedRequest {
  op: string;
  /** The JSON request body as the SDK sent it; tests read into it freely. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: Record<string, any>;
}

export interface FakeLifecycleEvent {
  lifecycleEventName: string;
  status: string;
  startTime?: number;
  endTime?: number;
  diagnostics?: { errorCode: string; scriptName: string; message: string; logTail: string };
}

export interface FakeDeploymentInfo {
  deploymentId: string;
  applicationName: string;
  deploymentGroupName: string;
  deploymentConfigName: string;
  status: string;
  description?: string;
  creator: string;
  revision: {
    revisionType: string;
    s3Location: { bucket: string; key: string; bundleType: string; eTag?: string; version?: string };
  };
  deploymentOverview: Record<string, number>;
  errorInformation?: { code: string; message: string };
  rollbackInfo?: {
    rollbackDeploymentId?: string;
    rollbackTriggeringDeploymentId?: string;
    rollbackMessage?: string;
  };
  autoRollbackConfiguration?: { enabled: boolean; events?: string[] };
  fileExistsBehavior: string;
  ignoreApplicationStopFailures: boolean;
  createTime: number;
  startTime?: number;
  completeTime?: number;
  targets?: Array<{ id: string; status: string; lifecycleEvents: FakeLifecycleEvent[] }>;
}

export interface CodeDeployServer {
  port: number;
  endpoint: string;
  addGroup(application: string, group: string, spec?: GroupSpec): void;
  startDeployment(
    application: string,
    group: string,
    spec?: { description?: string; scripts?: Record<string, InstanceScript> }
  ): string;
  fail(rule: FailRule): void;
  tick(n?: number, deploymentId?: string): void;
  requests(): LoggedRequest[];
  deployments(): FakeDeploymentInfo[];
  deployment(id: string): FakeDeploymentInfo | undefined;
  revisions(): Array<{ application: string; revision: unknown; description?: string }>;
  reset(): void;
  /** A real SDK client pointed at this server. */
  client(config?: CodeDeployClientConfig): CodeDeployClient;
  close(): Promise<void>;
}

export interface ServerOptions {
  /** 'poll' (default): a deployment advances one step per GetDeployment; 'manual': only on tick(). */
  advance?: 'poll' | 'manual';
  stepSeconds?: number;
  pageSize?: number;
  port?: number;
  region?: string;
  startTime?: number;
}

export function startCodeDeployServer(options?: ServerOptions): Promise<CodeDeployServer>;
export function demoScenario(server: CodeDeployServer, options?: { fail?: boolean }): void;
