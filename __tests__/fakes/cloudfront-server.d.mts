/** Types for cloudfront-server.mjs, the CloudFront stand-in (REST-XML 2020-05-31). */
export interface CloudFrontFakeConfig {
  /** GetInvalidation polls of an invalidation after which it is Completed (default 2; 0 = at once). */
  completeAfterPolls?: number;
  /** Or milliseconds after creation; overrides polls when set. */
  completeAfterMs?: number;
  /** Never complete on its own; `complete(id)` still does. */
  neverComplete?: boolean;
  maxFilesInProgress?: number;
  maxWildcardsInProgress?: number;
  maxPathsPerRequest?: number;
  /** At most `requests` API calls per `windowMs`; the excess gets 400 Throttling. */
  throttle?: { requests: number; windowMs: number };
  /** Answer the next N new CreateInvalidation calls with TooManyInvalidationsInProgress. */
  rejectCreates?: number;
  /** Answer the next N GetInvalidation calls with 503 ServiceUnavailable. */
  failGets?: number;
}

export interface FakeDistribution {
  id: string;
  aliases?: string[];
  domainName?: string;
}

export interface CloudFrontRequest {
  method: string;
  path: string;
  query: string;
  operation: '' | 'CreateInvalidation' | 'GetInvalidation' | 'ListInvalidations' | 'ListDistributions';
  status: number;
  error?: string;
}

export interface FakeInvalidation {
  id: string;
  distributionId: string;
  status: 'InProgress' | 'Completed';
  paths: string[];
  callerReference: string;
  polls: number;
  /** Creates answered with this invalidation because of a repeated CallerReference. */
  replays: number;
}

export interface CloudFrontFake {
  endpoint: string;
  port: number;
  requests(): CloudFrontRequest[];
  invalidations(): FakeInvalidation[];
  configure(next: CloudFrontFakeConfig): CloudFrontFakeConfig;
  complete(id?: string): { ok: true };
  addDistribution(distribution: FakeDistribution): void;
  reset(): { ok: true };
  close(): Promise<void>;
}

export function startCloudFrontServer(options?: {
  port?: number;
  distributions?: FakeDistribution[];
  config?: CloudFrontFakeConfig;
}): Promise<CloudFrontFake>;
