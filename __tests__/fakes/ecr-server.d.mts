export interface EcrRequest {
  method: string;
  path: string;
  target: string;
  contentType: string;
  /** True when the Authorization header is a SigV4 signature for the ecr service. */
  signed: boolean;
  body: string;
}

export interface EcrFailure {
  /** The AWS error code, e.g. AccessDeniedException. */
  type: string;
  message: string;
  status?: number;
}

export interface EcrServer {
  endpoint: string;
  /** `<account>.dkr.ecr.<region>.amazonaws.com`. */
  registry: string;
  /** The decoded password behind the token. */
  password: string;
  /** The base64 `AWS:<password>` authorizationToken. */
  token: string;
  requests: EcrRequest[];
  failWith(fail: EcrFailure | undefined): void;
  close(): Promise<void>;
}

export function startEcrServer(options?: {
  port?: number;
  account?: string;
  region?: string;
  password?: string;
  fail?: EcrFailure;
}): Promise<EcrServer>;
