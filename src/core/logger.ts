/**
 * The Logger that domain code receives as a parameter: GitHub's workflow commands in an action,
 * plain console lines from the local runner, an in-memory record in tests.
 */
import * as core from '@actions/core';

export interface AnnotationProperties {
  title?: string;
  file?: string;
  startLine?: number;
}

export interface Logger {
  info(message: string): void;
  debug(message: string): void;
  warning(message: string, properties?: AnnotationProperties): void;
  error(message: string, properties?: AnnotationProperties): void;
  notice(message: string, properties?: AnnotationProperties): void;
  /** Runs `fn` inside a collapsible log group. */
  group<T>(name: string, fn: () => Promise<T>): Promise<T>;
}

/** Logs through @actions/core workflow commands. */
export const actionsLogger: Logger = {
  info: (message) => core.info(message),
  debug: (message) => core.debug(message),
  warning: (message, properties) => core.warning(message, properties),
  error: (message, properties) => core.error(message, properties),
  notice: (message, properties) => core.notice(message, properties),
  group: (name, fn) => core.group(name, fn)
};

export interface RecordedLine {
  level: 'info' | 'debug' | 'warning' | 'error' | 'notice' | 'group';
  message: string;
  properties?: AnnotationProperties;
}

/** A Logger that keeps every line, for tests. */
export class MemoryLogger implements Logger {
  readonly lines: RecordedLine[] = [];
  info(message: string): void {
    this.lines.push({ level: 'info', message });
  }
  debug(message: string): void {
    this.lines.push({ level: 'debug', message });
  }
  warning(message: string, properties?: AnnotationProperties): void {
    this.lines.push({ level: 'warning', message, properties });
  }
  error(message: string, properties?: AnnotationProperties): void {
    this.lines.push({ level: 'error', message, properties });
  }
  notice(message: string, properties?: AnnotationProperties): void {
    this.lines.push({ level: 'notice', message, properties });
  }
  async group<T>(name: string, fn: () => Promise<T>): Promise<T> {
    this.lines.push({ level: 'group', message: name });
    return fn();
  }
  /** Every message of one level (all levels when omitted), in order. */
  messages(level?: RecordedLine['level']): string[] {
    return this.lines.filter((line) => !level || line.level === level).map((line) => line.message);
  }
  /** All lines joined, for substring assertions. */
  text(): string {
    return this.lines.map((line) => `${line.level}: ${line.message}`).join('\n');
  }
}
